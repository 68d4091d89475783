package org.certifier.verifiers.sevsnp;

import com.google.protobuf.ByteString;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.util.Arrays;
import org.certifier.crypto.KeyMessages;
import org.certifier.proto.attestation_user_data;
import org.certifier.proto.evidence;
import org.certifier.proto.evidence_package;
import org.certifier.proto.key_message;
import org.certifier.proto.sev_attestation_message;
import org.certifier.testing.amd.FakeAmdSp;

/** Builds {@code sev-platform-package}s as the reference's SEV client does (§4.4, §6.1). */
final class SevPackages {
  /** The public auth key the packages attest. */
  static final key_message ENCLAVE_KEY = enclaveKey();
  static final byte[] MEASUREMENT = measurement();

  private SevPackages() {}

  /** Serialized attestation_user_data naming {@code key}, as the reference client writes it. */
  static byte[] userData(key_message key, String enclaveType) {
    return attestation_user_data.newBuilder().setEnclaveType(enclaveType)
        .setTime("2026-01-01T00:00: 0.00000Z").setEnclaveKey(key).build().toByteArray();
  }

  static byte[] userData() {
    return userData(ENCLAVE_KEY, SevEvidenceVerifier.ENCLAVE_TYPE);
  }

  /** SHA-384(whatToSay) followed by 16 zero bytes. */
  static byte[] reportData(byte[] whatToSay) throws Exception {
    return Arrays.copyOf(MessageDigest.getInstance("SHA-384").digest(whatToSay), 64);
  }

  /** A report of {@code sp} attesting {@code whatToSay}, for {@link #MEASUREMENT}. */
  static byte[] report(FakeAmdSp sp, byte[] whatToSay) throws Exception {
    return sp.report().measurement(MEASUREMENT).reportData(reportData(whatToSay)).signed();
  }

  static byte[] attestation(byte[] whatWasSaid, byte[] report) {
    return sev_attestation_message.newBuilder()
        .setWhatWasSaid(ByteString.copyFrom(whatWasSaid))
        .setReportedAttestation(ByteString.copyFrom(report))
        .build().toByteArray();
  }

  /** The reference's order: cert ARK, cert ASK, cert VCEK, sev-attestation. */
  static evidence_package of(byte[] ark, byte[] ask, byte[] vcek, byte[] attestation) {
    return evidence_package.newBuilder().setProverType("vse-verifier")
        .setEnclaveType(SevEvidenceVerifier.ENCLAVE_TYPE)
        .addFactAssertion(item("cert", ark))
        .addFactAssertion(item("cert", ask))
        .addFactAssertion(item("cert", vcek))
        .addFactAssertion(item("sev-attestation", attestation))
        .build();
  }

  /** A complete, valid package of {@code sp}. */
  static evidence_package valid(FakeAmdSp sp) throws Exception {
    byte[] said = userData();
    return of(sp.arkDer(), sp.askDer(), sp.vcekDer(), attestation(said, report(sp, said)));
  }

  static evidence item(String type, byte[] bytes) {
    return evidence.newBuilder().setEvidenceType(type)
        .setSerializedEvidence(ByteString.copyFrom(bytes)).build();
  }

  private static key_message enclaveKey() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair pair = generator.generateKeyPair();
      return KeyMessages.fromPublicKey(pair.getPublic(), "auth-key");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] measurement() {
    byte[] m = new byte[48];
    for (int i = 0; i < m.length; i++) {
      m[i] = (byte) (0x30 + i);
    }
    return m;
  }
}
