package org.certifier.policy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import org.certifier.proto.attestation_user_data;
import org.certifier.proto.buffer_sequence;
import org.certifier.proto.claim_message;
import org.certifier.proto.evidence;
import org.certifier.proto.evidence_package;
import org.certifier.proto.key_message;
import org.certifier.proto.signed_claim_message;
import org.certifier.proto.signed_report;
import org.certifier.proto.vse_attestation_report_info;
import org.certifier.proto.vse_clause;
import org.certifier.testing.TestVectors;

/**
 * The statements the service establishes for the reference capture
 * ({@code certifier-reference/wire/evidence_package.pb} against {@code provisioning/policy.bin}),
 * built without cryptography: signatures are the verifiers' business, here only the clauses
 * inside the signed objects matter (§3.7.1, §3.7.2).
 */
final class ReferenceVectors {
  final key_message policyKey;
  final List<vse_clause> policy;
  /** {@code platformKey says attestKey is-trusted-for-attestation} (signed-claim evidence). */
  final vse_clause platformEndorsement;
  final key_message attestKey;
  final key_message enclaveKey;
  final ByteString measurement;

  ReferenceVectors() throws InvalidProtocolBufferException {
    buffer_sequence blocks = buffer_sequence.parseFrom(
        TestVectors.reference("provisioning/policy.bin"));
    List<vse_clause> clauses = new ArrayList<>();
    key_message signer = null;
    for (ByteString block : blocks.getBlockList()) {
      signed_claim_message signed = signed_claim_message.parseFrom(block);
      signer = signed.getSigningKey();
      clauses.add(clauseOf(signed));
    }
    this.policyKey = signer;
    this.policy = List.copyOf(clauses);

    evidence_package evp = evidence_package.parseFrom(
        TestVectors.reference("wire/evidence_package.pb"));
    evidence claim = evp.getFactAssertion(0);
    evidence report = evp.getFactAssertion(1);
    if (!claim.getEvidenceType().equals("signed-claim")
        || !report.getEvidenceType().equals("signed-vse-attestation-report")) {
      throw new IllegalStateException("unexpected evidence order in the reference capture");
    }
    this.platformEndorsement = clauseOf(signed_claim_message.parseFrom(
        claim.getSerializedEvidence()));
    signed_report sr = signed_report.parseFrom(report.getSerializedEvidence());
    vse_attestation_report_info info = vse_attestation_report_info.parseFrom(sr.getReport());
    this.attestKey = sr.getSigningKey();
    this.enclaveKey = attestation_user_data.parseFrom(info.getUserData()).getEnclaveKey();
    this.measurement = info.getVerifiedMeasurement();
  }

  static vse_clause clauseOf(signed_claim_message signed) throws InvalidProtocolBufferException {
    claim_message claim = claim_message.parseFrom(signed.getSerializedClaimMessage());
    if (!claim.getClaimFormat().equals("vse-clause")) {
      throw new IllegalStateException("claim format " + claim.getClaimFormat());
    }
    return vse_clause.parseFrom(claim.getSerializedClaim());
  }

  vse_clause axiom() {
    return Clauses.unary(Entities.key(policyKey), Verb.IS_TRUSTED);
  }

  /** {@code attestKey says enclaveKey speaks-for Measurement[m]} from the signed report. */
  vse_clause attestation(key_message signer) {
    return Clauses.says(Entities.key(signer), Clauses.simple(Entities.key(enclaveKey),
        Verb.SPEAKS_FOR, Entities.measurement(measurement.toByteArray())));
  }

  /** Axiom, policy, then the evidence statements in the order the service appends them. */
  List<vse_clause> established() {
    List<vse_clause> all = new ArrayList<>();
    all.add(axiom());
    all.addAll(policy);
    all.add(platformEndorsement);
    all.add(attestation(attestKey));
    return all;
  }

  vse_clause goal(Verb purpose) {
    return Clauses.unary(Entities.key(enclaveKey), purpose);
  }
}
