package org.certifier.verifiers.intel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import org.certifier.crypto.KeyMessages;
import org.certifier.evidence.EvidenceVerifier;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.proto.attestation_user_data;
import org.certifier.proto.evidence;
import org.certifier.proto.evidence_package;
import org.certifier.proto.gramine_attestation_message;
import org.certifier.proto.key_message;
import org.certifier.proto.tdx_attestation_message;
import org.certifier.testing.intel.FakeIntelDcap;

/** Builds {@code tdx-evidence} and {@code gramine-evidence} as the client library does. */
final class IntelPackages {
  static final Instant NOW = FakeIntelDcap.TIME;
  /** The public auth key the packages attest. */
  static final key_message ENCLAVE_KEY = enclaveKey();

  private IntelPackages() {}

  static byte[] userData(String enclaveType) {
    return attestation_user_data.newBuilder().setEnclaveType(enclaveType)
        .setTime("2026-01-01T00:00: 0.00000Z").setEnclaveKey(ENCLAVE_KEY).build().toByteArray();
  }

  /** {@code hash(whatToSay)} followed by zero bytes up to 64. */
  static byte[] reportData(String hash, byte[] whatToSay) throws Exception {
    return Arrays.copyOf(MessageDigest.getInstance(hash).digest(whatToSay), 64);
  }

  static byte[] tdxAttestation(byte[] said, byte[] quote) {
    return tdx_attestation_message.newBuilder().setWhatWasSaid(ByteString.copyFrom(said))
        .setReportedAttestation(ByteString.copyFrom(quote)).build().toByteArray();
  }

  static byte[] gramineAttestation(byte[] said, byte[] quote) {
    return gramine_attestation_message.newBuilder().setWhatWasSaid(ByteString.copyFrom(said))
        .setReportedAttestation(ByteString.copyFrom(quote)).build().toByteArray();
  }

  static evidence_package tdx(byte[] attestation) {
    return evidence_package.newBuilder().setProverType("vse-verifier")
        .setEnclaveType(TdxEvidenceVerifier.ENCLAVE_TYPE)
        .addFactAssertion(item("tdx-attestation", attestation)).build();
  }

  static evidence_package gramine(byte[] certificate, byte[] attestation) {
    return evidence_package.newBuilder().setProverType("vse-verifier")
        .setEnclaveType(GramineEvidenceVerifier.ENCLAVE_TYPE)
        .addFactAssertion(item("cert", certificate))
        .addFactAssertion(item("gramine-attestation", attestation)).build();
  }

  /** A valid TDX package of {@code dcap}'s platform for a TD with this MRTD. */
  static evidence_package validTdx(FakeIntelDcap dcap, byte[] mrTd) throws Exception {
    byte[] said = userData(TdxEvidenceVerifier.ENCLAVE_TYPE);
    return tdx(tdxAttestation(said, dcap.tdxQuote().mrTd(mrTd)
        .reportData(reportData("SHA-384", said)).signed()));
  }

  /** A valid Gramine package of {@code dcap}'s platform for an enclave with this MRENCLAVE. */
  static evidence_package validGramine(FakeIntelDcap dcap, byte[] mrEnclave) throws Exception {
    byte[] said = userData(GramineEvidenceVerifier.ENCLAVE_TYPE);
    return gramine(dcap.pckCertificateDer(), gramineAttestation(said, dcap.sgxQuote()
        .mrEnclave(mrEnclave).reportData(reportData("SHA-256", said)).signed()));
  }

  static evidence item(String type, byte[] bytes) {
    return evidence.newBuilder().setEvidenceType(type)
        .setSerializedEvidence(ByteString.copyFrom(bytes)).build();
  }

  static void assertFailure(Failure expected, EvidenceVerifier verifier, evidence_package pkg) {
    VerificationException e = assertThrows(VerificationException.class,
        () -> verifier.verify(pkg, NOW));
    assertEquals(expected, e.failure(), e.getMessage());
  }

  private static key_message enclaveKey() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return KeyMessages.fromPublicKey(generator.generateKeyPair().getPublic(), "auth-key");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
