package org.certifier.cli.inspect;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.certifier.cli.output.Facts;
import org.certifier.crypto.Certificates;
import org.certifier.crypto.CryptoException;
import org.certifier.crypto.KeyMessages;
import org.certifier.crypto.Signatures;
import org.certifier.policy.Entities;
import org.certifier.policy.Statements;
import org.certifier.policy.Verb;
import org.certifier.proto.attestation_user_data;
import org.certifier.proto.entity_message;
import org.certifier.proto.evidence;
import org.certifier.proto.evidence_package;
import org.certifier.proto.key_message;
import org.certifier.proto.signed_report;
import org.certifier.proto.trust_request_message;
import org.certifier.proto.trust_response_message;
import org.certifier.proto.vse_attestation_report_info;
import org.certifier.proto.vse_clause;
import org.certifier.protocol.MalformedMessageException;
import org.certifier.protocol.Messages;

/**
 * The Certifier Service protocol for people (§2): requests with their evidence decoded item
 * by item (§3.7.1), and responses with their artifact. Only the simulated / application
 * enclave's report format is decoded; other platforms' evidence is shown by type and size.
 */
final class EvidenceFacts {
  private static final String REPORT_FORMAT = "vse-attestation-report";

  private EvidenceFacts() {}

  static Facts request(trust_request_message r, Instant now) {
    Facts f = new Facts();
    f.put("requesting-enclave-tag", r.getRequestingEnclaveTag());
    f.put("providing-enclave-tag", r.getProvidingEnclaveTag());
    f.put("submitted-evidence-type", r.getSubmittedEvidenceType());
    f.put("purpose", r.getPurpose());
    f.child("evidence").putAll(evidencePackage(r.getSupport(), now));
    return f;
  }

  static Facts response(trust_response_message r, Instant now) {
    Facts f = new Facts();
    f.put("status", r.getStatus());
    f.put("requesting-enclave-tag", r.getRequestingEnclaveTag());
    f.put("providing-enclave-tag", r.getProvidingEnclaveTag());
    if (r.hasFailureCode()) {
      f.put("failure-code", r.getFailureCode());
    }
    if (r.getArtifact().isEmpty()) {
      f.put("artifact", "none");
      return f;
    }
    byte[] artifact = r.getArtifact().toByteArray();
    try {
      f.child("admission-certificate")
          .putAll(CertificateFacts.of(Certificates.parseDer(artifact), now));
      return f;
    } catch (CryptoException notACertificate) {
      // §2.6: for purpose "attestation" the artifact is a platform rule, a signed claim.
    }
    try {
      f.child("platform-rule").putAll(ClaimFacts.of(ClaimFacts.parse(artifact), null, now));
    } catch (NotThisKind e) {
      f.put("artifact", artifact.length + " bytes, neither a certificate nor a signed claim");
    }
    return f;
  }

  static Facts evidencePackage(evidence_package p, Instant now) {
    Facts f = new Facts();
    f.put("prover-type", p.getProverType());
    f.put("enclave-type", p.getEnclaveType());
    List<Object> items = f.list("items");
    for (evidence e : p.getFactAssertionList()) {
      items.add(item(e, now));
    }
    return f;
  }

  private static Facts item(evidence e, Instant now) {
    Facts f = new Facts();
    f.put("evidence-type", e.getEvidenceType());
    byte[] bytes = e.getSerializedEvidence().toByteArray();
    try {
      switch (e.getEvidenceType()) {
        case "signed-claim" -> f.putAll(ClaimFacts.of(ClaimFacts.parse(bytes), null, now));
        case "signed-vse-attestation-report" -> f.putAll(report(parseReport(bytes), now));
        case "cert" -> f.putAll(CertificateFacts.of(Certificates.parseDer(bytes), now));
        default -> f.put("size", bytes.length + " bytes (this evidence type is not decoded)");
      }
    } catch (NotThisKind | CryptoException ex) {
      f.put("problem", "unreadable (" + ex.getMessage() + ")");
    }
    return f;
  }

  static signed_report parseReport(byte[] bytes) throws NotThisKind {
    signed_report r = Strict.parse(signed_report.parser(), bytes, "signed_report");
    Strict.require(REPORT_FORMAT.equals(r.getReportFormat()), "report format is not "
        + REPORT_FORMAT);
    Strict.require(r.hasReport() && r.hasSigningKey() && r.hasSignature(),
        "a signed report needs its report, key and signature");
    return r;
  }

  /**
   * A simulated / application enclave report: who signed it, whether the signature holds, and
   * what it says, "attestKey says enclaveKey speaks-for Measurement[m]" (§3.7.1).
   */
  static Facts report(signed_report r, Instant now) {
    Facts f = new Facts();
    f.put("report-format", r.getReportFormat());
    f.put("signer", Statements.describe(r.getSigningKey()));
    f.put("algorithm", r.getSigningAlgorithm());
    String verdict;
    try {
      verdict = Signatures.verify(r.getSigningAlgorithm(),
          KeyMessages.toPublicKey(r.getSigningKey()), r.getReport().toByteArray(),
          r.getSignature().toByteArray()) ? "verified" : "does NOT verify";
    } catch (CryptoException e) {
      verdict = "cannot be checked (" + e.getMessage() + ")";
    }
    f.put("signature", verdict);
    vse_attestation_report_info info;
    try {
      info = Messages.parse(vse_attestation_report_info.parser(), r.getReport(), "report");
    } catch (MalformedMessageException e) {
      return f.put("report", "unreadable (" + e.getMessage() + ")");
    }
    f.put("enclave-type", info.getEnclaveType());
    f.put("measurement", HexFormat.of().formatHex(info.getVerifiedMeasurement().toByteArray()));
    f.put("not-before", info.getNotBefore().strip());
    f.put("not-after", info.getNotAfter().strip());
    f.put("validity-now", ClaimFacts.validity(info.getNotBefore(), info.getNotAfter(), now));
    attestation_user_data user;
    try {
      user = Messages.parse(attestation_user_data.parser(), info.getUserData(), "user data");
    } catch (MalformedMessageException e) {
      return f.put("user-data", "unreadable (" + e.getMessage() + ")");
    }
    Facts u = f.child("user-data");
    u.put("enclave-type", user.getEnclaveType());
    u.put("time", user.getTime().strip());
    u.put("enclave-key", Statements.describe(user.getEnclaveKey()));
    try {
      u.put("enclave-key-fingerprint", KeyFacts.fingerprint(user.getEnclaveKey()));
    } catch (CryptoException e) {
      u.put("problem", "the enclave key is not a usable public key (" + e.getMessage() + ")");
    }
    // Built field by field rather than with Clauses, which refuse malformed keys: the point
    // here is to show what the report says, whatever it is.
    vse_clause said = vse_clause.newBuilder()
        .setSubject(keyEntity(user.getEnclaveKey()))
        .setVerb(Verb.SPEAKS_FOR.label())
        .setObject(entity_message.newBuilder().setEntityType(Entities.MEASUREMENT)
            .setMeasurement(info.getVerifiedMeasurement()))
        .build();
    f.put("statement", Statements.describe(vse_clause.newBuilder()
        .setSubject(keyEntity(r.getSigningKey())).setVerb(Verb.SAYS.label()).setClause(said)
        .build()));
    return f;
  }

  private static entity_message keyEntity(key_message key) {
    return entity_message.newBuilder().setEntityType(Entities.KEY).setKey(key).build();
  }
}
