package org.certifier.client.enclave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.certifier.client.TrustManager;
import org.certifier.client.TrustManagerException;
import org.certifier.proto.evidence;
import org.certifier.proto.sev_attestation_message;
import org.certifier.protocol.Messages;
import org.certifier.testing.amd.FakeAmdSp;
import org.certifier.testing.tsm.FakeConfigfsTsm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SEV-SNP attester against a fake configfs-tsm with a fake AMD secure processor behind. */
class SevSnpEnclaveTest {
  private static final byte[] MEASUREMENT = filled(48, 0x5A);
  private static final byte[] WHAT_TO_SAY = "serialized attestation_user_data"
      .getBytes(StandardCharsets.US_ASCII);
  private static FakeAmdSp sp;

  @TempDir
  Path dir;

  @BeforeAll
  static void fakeAmd() {
    sp = FakeAmdSp.milan();
  }

  @Test
  void attestsAsTheReferenceWithTheHostsCertificates() throws Exception {
    FakeConfigfsTsm tsm = sp.configfsTsm(r -> r.measurement(MEASUREMENT), true);
    SevSnpEnclave enclave = SevSnpEnclave.builder().reportRoot(tsm.reportRoot()).build();

    assertEquals("sev-enclave", enclave.enclaveType());
    assertEquals("sev-platform-package", enclave.submittedEvidenceType());
    assertArrayEquals(MEASUREMENT, enclave.measurement());
    List<evidence> certs = enclave.platformEvidence();
    assertEquals(List.of("cert", "cert", "cert"),
        certs.stream().map(evidence::getEvidenceType).toList());
    assertArrayEquals(sp.arkDer(), certs.get(0).getSerializedEvidence().toByteArray());
    assertArrayEquals(sp.askDer(), certs.get(1).getSerializedEvidence().toByteArray());
    assertArrayEquals(sp.vcekDer(), certs.get(2).getSerializedEvidence().toByteArray());

    evidence attestation = enclave.attest(WHAT_TO_SAY);

    assertEquals("sev-attestation", attestation.getEvidenceType());
    sev_attestation_message message = Messages.parse(sev_attestation_message.parser(),
        attestation.getSerializedEvidence(), "attestation");
    assertArrayEquals(WHAT_TO_SAY, message.getWhatWasSaid().toByteArray());
    byte[] report = message.getReportedAttestation().toByteArray();
    assertEquals(0x4A0, report.length);
    byte[] expected = Arrays.copyOf(MessageDigest.getInstance("SHA-384").digest(WHAT_TO_SAY), 64);
    assertArrayEquals(expected, Arrays.copyOfRange(report, 0x50, 0x90));
    // One report to build, one to attest; both entries removed again.
    assertEquals(2, tsm.reportsMade());
    assertEquals(Set.of(), tsm.entryNames());
  }

  @Test
  void certificatesGivenToTheBuilderNeedNoHostTable() throws Exception {
    FakeConfigfsTsm tsm = sp.configfsTsm(r -> r.measurement(MEASUREMENT), false);
    SevSnpEnclave enclave = SevSnpEnclave.builder().reportRoot(tsm.reportRoot())
        .certificates(sp.arkDer(), sp.askDer(), sp.vcekDer()).build();

    assertArrayEquals(sp.vcekDer(),
        enclave.platformEvidence().get(2).getSerializedEvidence().toByteArray());
    assertThrows(EnclaveException.class, () -> SevSnpEnclave.builder()
        .reportRoot(tsm.reportRoot()).certificates(sp.arkDer(), new byte[] {1}, sp.vcekDer())
        .build());
  }

  @Test
  void noCertificatesAnywhereIsAClearError() {
    FakeConfigfsTsm tsm = sp.configfsTsm(r -> r.measurement(MEASUREMENT), false);
    EnclaveException e = assertThrows(EnclaveException.class,
        () -> SevSnpEnclave.builder().reportRoot(tsm.reportRoot()).build());
    assertTrue(e.getMessage().contains("auxblob is empty"), e.getMessage());
  }

  @Test
  void anotherWriterInOurEntryIsDetectedByTheGeneration() throws Exception {
    FakeConfigfsTsm tsm = sp.configfsTsm(r -> r.measurement(MEASUREMENT), true);
    SevSnpEnclave enclave = SevSnpEnclave.builder().reportRoot(tsm.reportRoot()).build();
    tsm.raceNextInblobWith(filled(64, 0xEE));

    EnclaveException e = assertThrows(EnclaveException.class,
        () -> enclave.attest(WHAT_TO_SAY));

    assertTrue(e.getMessage().contains("written by another process while we used it"
        + " (generation 2, expected 1)"), e.getMessage());
    assertEquals(Set.of(), tsm.entryNames());
  }

  @Test
  void theVmplIsWrittenAsPrivlevelAndCounted() throws Exception {
    FakeConfigfsTsm tsm = sp.configfsTsm(r -> r.measurement(MEASUREMENT), true);
    SevSnpEnclave enclave = SevSnpEnclave.builder().reportRoot(tsm.reportRoot()).vmpl(2)
        .build();

    byte[] report = Messages.parse(sev_attestation_message.parser(),
        enclave.attest(WHAT_TO_SAY).getSerializedEvidence(), "attestation")
        .getReportedAttestation().toByteArray();

    assertEquals(2, ByteBuffer.wrap(report).order(ByteOrder.LITTLE_ENDIAN).getInt(0x30));
    FakeConfigfsTsm floorTwo = new FakeConfigfsTsm("sev_guest", 2, (in, level) ->
        new FakeConfigfsTsm.Blobs(new byte[0x4A0], new byte[0]));
    EnclaveException e = assertThrows(EnclaveException.class, () -> SevSnpEnclave.builder()
        .reportRoot(floorTwo.reportRoot()).vmpl(1).build());
    assertTrue(e.getMessage().contains("refused privlevel"), e.getMessage());
  }

  @Test
  void anotherTeeOrNoConfigfsAtAllAreClearErrors() {
    FakeConfigfsTsm tdx = new FakeConfigfsTsm("tdx_guest", 0, (in, level) ->
        new FakeConfigfsTsm.Blobs(new byte[1024], new byte[0]));
    EnclaveException wrongTee = assertThrows(EnclaveException.class,
        () -> SevSnpEnclave.builder().reportRoot(tdx.reportRoot()).build());
    assertTrue(wrongTee.getMessage().contains("\"tdx_guest\", not sev_guest"));
    assertEquals(Set.of(), tdx.entryNames());

    EnclaveException missing = assertThrows(EnclaveException.class,
        () -> SevSnpEnclave.builder().reportRoot(dir.resolve("no-configfs")).build());
    assertTrue(missing.getMessage().contains("Linux 6.7 or later"), missing.getMessage());
  }

  @Test
  void firmwareFailuresAndOddReportsAreClearErrors() {
    FakeConfigfsTsm failing = new FakeConfigfsTsm("sev_guest", 0, (in, level) -> {
      throw new IOException("Input/output error");
    });
    EnclaveException e = assertThrows(EnclaveException.class,
        () -> SevSnpEnclave.builder().reportRoot(failing.reportRoot()).build());
    assertTrue(e.getMessage().contains("could not produce outblob"), e.getMessage());
    assertEquals(Set.of(), failing.entryNames());

    FakeConfigfsTsm shortReport = new FakeConfigfsTsm("sev_guest", 0, (in, level) ->
        new FakeConfigfsTsm.Blobs(new byte[0x2A0], new byte[0]));
    assertThrows(EnclaveException.class,
        () -> SevSnpEnclave.builder().reportRoot(shortReport.reportRoot()).build());
    // A report that does not carry what we wrote was made for someone else.
    FakeConfigfsTsm stale = new FakeConfigfsTsm("sev_guest", 0, (in, level) ->
        new FakeConfigfsTsm.Blobs(sp.report().reportData(filled(64, 1)).signed(),
            sp.certificateTable()));
    EnclaveException foreign = assertThrows(EnclaveException.class,
        () -> SevSnpEnclave.builder().reportRoot(stale.reportRoot()).build());
    assertTrue(foreign.getMessage().contains("made for someone else"), foreign.getMessage());
  }

  @Test
  void withoutADerivedKeyThereIsNoSealing() throws Exception {
    FakeConfigfsTsm tsm = sp.configfsTsm(r -> r.measurement(MEASUREMENT), true);
    SevSnpEnclave enclave = SevSnpEnclave.builder().reportRoot(tsm.reportRoot()).build();

    assertFalse(enclave.canSeal());
    EnclaveException seal = assertThrows(EnclaveException.class,
        () -> enclave.seal(new byte[] {1}));
    assertTrue(seal.getMessage().contains("SNP_GET_DERIVED_KEY"), seal.getMessage());
    assertThrows(EnclaveException.class, () -> enclave.unseal(new byte[80]));
    // So the trust manager's sealed store cannot be written, and says why.
    TrustManager tm = TrustManager.open(enclave, dir.resolve("store"));
    TrustManagerException e = assertThrows(TrustManagerException.class,
        () -> tm.initializeKeys("rsa-2048", "aes-256-cbc-hmac-sha256", false));
    assertTrue(e.getMessage().contains("SNP_GET_DERIVED_KEY"), e.getMessage());
  }

  @Test
  void withADerivedKeyItSealsAsTheReferenceDoes() throws Exception {
    FakeConfigfsTsm tsm = sp.configfsTsm(r -> r.measurement(MEASUREMENT), true);
    byte[] derived = derivedKey(0);
    SevSnpEnclave enclave = SevSnpEnclave.builder().reportRoot(tsm.reportRoot())
        .derivedSealingKey(derived).build();

    assertTrue(enclave.canSeal());
    assertArrayEquals(new byte[32], derived, "the caller's copy is zeroed");
    byte[] sealed = enclave.seal("secret".getBytes(StandardCharsets.US_ASCII));
    assertEquals("secret", new String(enclave.unseal(sealed), StandardCharsets.US_ASCII));
    // IV(16) || AES-256-CBC || HMAC-SHA256(32), as the C++ authenticated_encrypt writes it.
    assertEquals(16 + 16 + 32, sealed.length);
    SevSnpEnclave otherGuest = SevSnpEnclave.builder().reportRoot(tsm.reportRoot())
        .derivedSealingKey(derivedKey(1)).build();
    assertThrows(EnclaveException.class, () -> otherGuest.unseal(sealed));

    // The trust manager's store works and survives a restart.
    Path store = dir.resolve("store");
    TrustManager.open(enclave, store).initializeKeys("rsa-2048", "aes-256-cbc-hmac-sha256",
        false);
    assertTrue(TrustManager.open(SevSnpEnclave.builder().reportRoot(tsm.reportRoot())
        .derivedSealingKey(derivedKey(0)).build(), store).hasKeys());
    assertThrows(TrustManagerException.class, () -> TrustManager.open(otherGuest, store));
  }

  @Test
  void theSealingKeyIsTheReferencesKdfOfTheDerivedKey() throws Exception {
    // Computed with an independent transcription of the reference's kdf() (sev_support.cc)
    // in Python: HMAC-SHA256, 100 iterations, salt 07 01 08 02 08 33 11 44 (x4, first 28
    // bytes) + little-endian block index, for the derived key 00 01 02 ... 1f.
    assertEquals("328312b019e2e5227cb3a476688d56c78a43f33c21be7b7fa608dfa6763ba7bf"
            + "262e57d9b148fe81930a885cd5887f99cc3057c004d6d71649f4acc4e9bdad4c",
        HexFormat.of().formatHex(SevSnpEnclave.sealingKey(derivedKey(0))));
    assertThrows(IllegalArgumentException.class,
        () -> SevSnpEnclave.builder().derivedSealingKey(new byte[16]));
  }

  /** 32 bytes: i + offset. */
  private static byte[] derivedKey(int offset) {
    byte[] key = new byte[32];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) (i + offset);
    }
    return key;
  }

  private static byte[] filled(int length, int value) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) value);
    return bytes;
  }
}
