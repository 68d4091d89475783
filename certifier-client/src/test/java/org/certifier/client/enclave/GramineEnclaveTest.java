package org.certifier.client.enclave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import org.certifier.proto.evidence;
import org.certifier.proto.gramine_attestation_message;
import org.certifier.protocol.Messages;
import org.certifier.testing.intel.FakeGramineAttestation;
import org.certifier.testing.intel.FakeIntelDcap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Gramine attester against a fake /dev/attestation of a fake Intel SGX platform. */
class GramineEnclaveTest {
  private static final byte[] MRENCLAVE = filled(32, 0xE1);
  private static final byte[] WHAT_TO_SAY = "serialized attestation_user_data"
      .getBytes(StandardCharsets.US_ASCII);
  private final FakeIntelDcap dcap = FakeIntelDcap.create();

  @TempDir
  Path dir;

  @Test
  void attestsAsTheReference() throws Exception {
    try (FakeGramineAttestation gramine = FakeGramineAttestation.start(dir, dcap,
        q -> q.mrEnclave(MRENCLAVE))) {
      GramineEnclave enclave = GramineEnclave.builder().root(gramine.root())
          .platformCertificate(dcap.pckCertificateDer()).build();

      assertEquals("gramine-enclave", enclave.enclaveType());
      assertEquals("gramine-evidence", enclave.submittedEvidenceType());
      assertArrayEquals(MRENCLAVE, enclave.measurement());
      List<evidence> platform = enclave.platformEvidence();
      assertEquals(1, platform.size());
      assertEquals("cert", platform.get(0).getEvidenceType());
      assertArrayEquals(dcap.pckCertificateDer(),
          platform.get(0).getSerializedEvidence().toByteArray());

      evidence attestation = enclave.attest(WHAT_TO_SAY);
      assertEquals("gramine-attestation", attestation.getEvidenceType());
      gramine_attestation_message message = Messages.parse(
          gramine_attestation_message.parser(), attestation.getSerializedEvidence(), "quote");
      assertArrayEquals(WHAT_TO_SAY, message.getWhatWasSaid().toByteArray());
      byte[] quote = message.getReportedAttestation().toByteArray();
      byte[] expected = Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(WHAT_TO_SAY),
          64);
      int reportData = FakeIntelDcap.HEADER_SIZE + FakeIntelDcap.SGX_REPORT_DATA;
      assertArrayEquals(expected, Arrays.copyOfRange(quote, reportData, reportData + 64));
      assertArrayEquals(expected, Files.readAllBytes(
          gramine.root().resolve("dev/attestation/user_report_data")));
      assertEquals(2, gramine.quotesMade());
    }
  }

  @Test
  void sealsWithGraminesSealKeyAndRandomNonces() throws Exception {
    try (FakeGramineAttestation gramine = FakeGramineAttestation.start(dir, dcap, q -> { })) {
      GramineEnclave enclave = GramineEnclave.builder().root(gramine.root())
          .platformCertificate(dcap.pckCertificateDer()).build();
      assertTrue(enclave.canSeal());
      byte[] secret = "a secret".getBytes(StandardCharsets.US_ASCII);
      byte[] sealed = enclave.seal(secret);
      assertFalse(Arrays.equals(sealed, enclave.seal(secret)), "a fresh nonce each time");
      assertArrayEquals(secret, enclave.unseal(sealed));
      sealed[sealed.length - 1] ^= 1;
      assertThrows(EnclaveException.class, () -> enclave.unseal(sealed));
    }
  }

  @Test
  void withoutASealKeyItAttestsButCannotSeal() throws Exception {
    try (FakeGramineAttestation gramine = FakeGramineAttestation.start(dir, dcap, q -> { },
        "dcap", false)) {
      GramineEnclave enclave = GramineEnclave.builder().root(gramine.root())
          .platformCertificate(dcap.pckCertificateDer()).build();
      assertFalse(enclave.canSeal());
      assertTrue(assertThrows(EnclaveException.class, () -> enclave.seal(new byte[1]))
          .getMessage().contains("_sgx_mrenclave"));
      enclave.attest(WHAT_TO_SAY);
    }
  }

  @Test
  void refusesOtherAttestationTypes() throws Exception {
    try (FakeGramineAttestation gramine = FakeGramineAttestation.start(dir, dcap, q -> { },
        "epid", true)) {
      EnclaveException e = assertThrows(EnclaveException.class, () -> GramineEnclave.builder()
          .root(gramine.root()).platformCertificate(dcap.pckCertificateDer()).build());
      assertTrue(e.getMessage().contains("\"epid\", not dcap"));
    }
  }

  @Test
  void refusesAMissingDeviceOrCertificate() {
    EnclaveException missing = assertThrows(EnclaveException.class, () -> GramineEnclave
        .builder().root(dir).platformCertificate(dcap.pckCertificateDer()).build());
    assertTrue(missing.getMessage().contains("attestation_type"));
    assertThrows(EnclaveException.class, () -> GramineEnclave.builder().root(dir).build());
    assertThrows(EnclaveException.class, () -> GramineEnclave.builder().root(dir)
        .platformCertificate(new byte[] {0x30, 0x00}).build());
  }

  private static byte[] filled(int size, int value) {
    byte[] b = new byte[size];
    Arrays.fill(b, (byte) value);
    return b;
  }
}
