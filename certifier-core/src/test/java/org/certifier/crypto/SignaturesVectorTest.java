package org.certifier.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.security.PublicKey;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import org.certifier.proto.evidence;
import org.certifier.proto.evidence_package;
import org.certifier.proto.key_message;
import org.certifier.proto.signed_claim_message;
import org.certifier.proto.signed_report;
import org.certifier.proto.trust_request_message;
import org.certifier.testing.TestVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Signatures made by the reference (C++ client, Go service) verify with ours, and only as made. */
class SignaturesVectorTest {
  private static signed_claim_message claim(String file) throws Exception {
    return signed_claim_message.parseFrom(TestVectors.reference("provisioning/" + file));
  }

  private static boolean verify(signed_claim_message c) throws CryptoException {
    return Signatures.verify(c.getSigningAlgorithm(),
        KeyMessages.toPublicKey(c.getSigningKey()),
        c.getSerializedClaimMessage().toByteArray(), c.getSignature().toByteArray());
  }

  private static boolean verify(signed_report r) throws CryptoException {
    return Signatures.verify(r.getSigningAlgorithm(), KeyMessages.toPublicKey(r.getSigningKey()),
        r.getReport().toByteArray(), r.getSignature().toByteArray());
  }

  private static byte[] flipped(byte[] bytes, int index) {
    byte[] copy = bytes.clone();
    copy[index] ^= 0x01;
    return copy;
  }

  private static signed_report attestation(byte[] evidencePackage) throws Exception {
    evidence e = evidence_package.parseFrom(evidencePackage).getFactAssertion(1);
    assertEquals("signed-vse-attestation-report", e.getEvidenceType());
    return signed_report.parseFrom(e.getSerializedEvidence());
  }

  @ParameterizedTest
  @ValueSource(strings = {"signed_claim_1.bin", "signed_claim_2.bin",
      "platform_attest_endorsement.bin"})
  void signedClaimVerifiesUnderItsEmbeddedKey(String file) throws Exception {
    signed_claim_message c = claim(file);

    assertEquals("rsa-2048-sha256-pkcs-sign", c.getSigningAlgorithm());
    assertTrue(verify(c));
  }

  @ParameterizedTest
  @ValueSource(strings = {"signed_claim_1.bin", "signed_claim_2.bin",
      "platform_attest_endorsement.bin"})
  void signedClaimFailsWhenASignatureByteFlips(String file) throws Exception {
    signed_claim_message c = claim(file);
    byte[] signature = c.getSignature().toByteArray();

    for (int i : new int[] {0, signature.length / 2, signature.length - 1}) {
      assertFalse(verify(c.toBuilder()
          .setSignature(ByteString.copyFrom(flipped(signature, i))).build()),
          "signature byte " + i);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"signed_claim_1.bin", "signed_claim_2.bin",
      "platform_attest_endorsement.bin"})
  void signedClaimFailsWhenAClaimByteFlips(String file) throws Exception {
    signed_claim_message c = claim(file);
    byte[] claimBytes = c.getSerializedClaimMessage().toByteArray();

    for (int i : new int[] {0, claimBytes.length / 2, claimBytes.length - 1}) {
      assertFalse(verify(c.toBuilder().setSerializedClaimMessage(
          ByteString.copyFrom(flipped(claimBytes, i))).build()),
          "claim byte " + i);
    }
  }

  @Test
  void attestationReportVerifiesUnderTheAttestKey() throws Exception {
    signed_report report = attestation(TestVectors.reference("wire/evidence_package.pb"));
    key_message attestKeyFile = key_message.parseFrom(
        TestVectors.reference("provisioning/attest_key_file.bin"));

    assertEquals("rsa-2048-sha256-pkcs-sign", report.getSigningAlgorithm());
    assertTrue(verify(report));
    assertEquals(((RSAPublicKey) KeyMessages.toPublicKey(attestKeyFile)).getModulus(),
        ((RSAPublicKey) KeyMessages.toPublicKey(report.getSigningKey())).getModulus());
  }

  @Test
  void tamperedRequestsAttestationReportFailsToVerify() throws Exception {
    // The reference's own negative vector: the last byte of the request (inside the report's
    // signature) XOR 0x01.
    trust_request_message tampered = trust_request_message.parseFrom(
        TestVectors.reference("wire/trust_request.tampered.pb"));

    assertFalse(verify(attestation(tampered.getSupport().toByteArray())));
  }

  @Test
  void admissionCertificateIsSignedByThePolicyKey() throws Exception {
    X509Certificate admission = Certificates.parseDer(
        TestVectors.reference("wire/admission_cert.der"));
    PublicKey policyKey = Certificates.parseDer(
        TestVectors.reference("provisioning/policy_cert_file.datica-test")).getPublicKey();
    PublicKey attestKey = KeyMessages.toPublicKey(key_message.parseFrom(
        TestVectors.reference("provisioning/attest_key_file.bin")));

    admission.verify(policyKey);
    assertThrows(SignatureException.class, () -> admission.verify(attestKey));
  }
}
