package org.certifier.client.enclave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.certifier.proto.evidence;
import org.certifier.proto.tdx_attestation_message;
import org.certifier.protocol.Messages;
import org.certifier.testing.amd.FakeAmdSp;
import org.certifier.testing.intel.FakeIntelDcap;
import org.certifier.testing.tsm.FakeConfigfsTsm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TDX attester against a fake configfs-tsm with a fake Intel TDX platform behind. */
class TdxEnclaveTest {
  private static final byte[] MRTD = filled(48, 0x7D);
  private static final byte[] WHAT_TO_SAY = "serialized attestation_user_data"
      .getBytes(StandardCharsets.US_ASCII);
  private final FakeIntelDcap dcap = FakeIntelDcap.create();

  @TempDir
  Path dir;

  @Test
  void attestsWithAQuoteBindingWhatItSays() throws Exception {
    FakeConfigfsTsm tsm = dcap.configfsTsm(td -> td.mrTd(MRTD));
    TdxEnclave enclave = TdxEnclave.builder().reportRoot(tsm.reportRoot()).build();

    assertEquals("tdx-enclave", enclave.enclaveType());
    assertEquals("tdx-evidence", enclave.submittedEvidenceType());
    assertEquals(List.of(), enclave.platformEvidence());
    assertArrayEquals(MRTD, enclave.measurement());

    evidence attestation = enclave.attest(WHAT_TO_SAY);
    assertEquals("tdx-attestation", attestation.getEvidenceType());
    tdx_attestation_message message = Messages.parse(tdx_attestation_message.parser(),
        attestation.getSerializedEvidence(), "attestation");
    assertArrayEquals(WHAT_TO_SAY, message.getWhatWasSaid().toByteArray());
    byte[] quote = message.getReportedAttestation().toByteArray();
    byte[] expected = Arrays.copyOf(MessageDigest.getInstance("SHA-384").digest(WHAT_TO_SAY),
        64);
    int reportData = FakeIntelDcap.HEADER_SIZE + FakeIntelDcap.TD_REPORT_DATA;
    assertArrayEquals(expected, Arrays.copyOfRange(quote, reportData, reportData + 64));
    assertEquals(4, quote[0]);
    assertEquals(2, tsm.reportsMade());
    assertEquals(Set.of(), tsm.entryNames());
  }

  @Test
  void readsVersion5QuotesToo() throws Exception {
    FakeConfigfsTsm tsm = dcap.configfsTsm(td -> td.version(5).mrTd(MRTD));
    TdxEnclave enclave = TdxEnclave.builder().reportRoot(tsm.reportRoot()).build();
    assertArrayEquals(MRTD, enclave.measurement());
    tdx_attestation_message message = tdx_attestation_message.parseFrom(
        enclave.attest(WHAT_TO_SAY).getSerializedEvidence());
    assertEquals(5, message.getReportedAttestation().byteAt(0));
  }

  @Test
  void sealsOnlyWithKeyMaterialAndOnlyForTheSameMrtd() throws Exception {
    FakeConfigfsTsm tsm = dcap.configfsTsm(td -> td.mrTd(MRTD));
    TdxEnclave without = TdxEnclave.builder().reportRoot(tsm.reportRoot()).build();
    assertFalse(without.canSeal());
    assertThrows(EnclaveException.class, () -> without.seal(new byte[] {1}));

    byte[] material = filled(32, 0x33);
    TdxEnclave enclave = TdxEnclave.builder().reportRoot(tsm.reportRoot())
        .sealingKeyMaterial(material).build();
    assertArrayEquals(new byte[32], material, "the material is zeroed");
    byte[] secret = "a secret".getBytes(StandardCharsets.US_ASCII);
    byte[] sealed = enclave.seal(secret);
    assertNotEquals(Arrays.toString(sealed), Arrays.toString(enclave.seal(secret)),
        "random nonces");
    assertArrayEquals(secret, enclave.unseal(sealed));
    sealed[sealed.length - 1] ^= 1;
    assertThrows(EnclaveException.class, () -> enclave.unseal(sealed));

    FakeConfigfsTsm other = dcap.configfsTsm(td -> td.mrTd(filled(48, 0x01)));
    TdxEnclave otherTd = TdxEnclave.builder().reportRoot(other.reportRoot())
        .sealingKeyMaterial(filled(32, 0x33)).build();
    assertThrows(EnclaveException.class, () -> otherTd.unseal(enclave.seal(secret)));
  }

  @Test
  void refusesWhatIsNotATdxGuest() {
    assertTrue(assertThrows(EnclaveException.class, () -> TdxEnclave.builder()
        .reportRoot(dir.resolve("absent")).build()).getMessage().contains("configfs-tsm"));
    FakeConfigfsTsm snp = FakeAmdSp.milan().configfsTsm(r -> { }, true);
    assertTrue(assertThrows(EnclaveException.class, () -> TdxEnclave.builder()
        .reportRoot(snp.reportRoot()).build()).getMessage().contains("sev_guest"));
  }

  @Test
  void refusesQuotesOfOtherKindsOrForOtherData() throws Exception {
    FakeConfigfsTsm sgxBehind = new FakeConfigfsTsm("tdx_guest", 0, (in, level) ->
        new FakeConfigfsTsm.Blobs(dcap.sgxQuote().reportData(Arrays.copyOf(in, 64)).signed(),
            new byte[0]));
    assertThrows(EnclaveException.class,
        () -> TdxEnclave.builder().reportRoot(sgxBehind.reportRoot()).build());
    FakeConfigfsTsm truncated = new FakeConfigfsTsm("tdx_guest", 0, (in, level) ->
        new FakeConfigfsTsm.Blobs(Arrays.copyOf(dcap.tdxQuote().signed(), 600), new byte[0]));
    assertThrows(EnclaveException.class,
        () -> TdxEnclave.builder().reportRoot(truncated.reportRoot()).build());
    FakeConfigfsTsm fixed = new FakeConfigfsTsm("tdx_guest", 0, (in, level) ->
        new FakeConfigfsTsm.Blobs(dcap.tdxQuote().signed(), new byte[0]));
    TdxEnclave enclave = TdxEnclave.builder().reportRoot(fixed.reportRoot()).build();
    assertTrue(assertThrows(EnclaveException.class, () -> enclave.attest(WHAT_TO_SAY))
        .getMessage().contains("someone else"));
  }

  private static byte[] filled(int size, int value) {
    byte[] b = new byte[size];
    Arrays.fill(b, (byte) value);
    return b;
  }
}
