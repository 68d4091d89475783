package org.certifier.verifiers.vse;

import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.certifier.claims.SignedClaims;
import org.certifier.crypto.KeyMessages;
import org.certifier.crypto.Signatures;
import org.certifier.evidence.EvidenceVerifier;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.evidence.VerifiedEvidence;
import org.certifier.policy.Clauses;
import org.certifier.policy.Entities;
import org.certifier.policy.Verb;
import org.certifier.proto.evidence;
import org.certifier.proto.evidence_package;
import org.certifier.proto.key_message;
import org.certifier.proto.signed_claim_message;
import org.certifier.proto.signed_report;
import org.certifier.proto.vse_attestation_report_info;
import org.certifier.proto.vse_clause;
import org.certifier.protocol.MalformedMessageException;
import org.certifier.protocol.Messages;
import org.certifier.verifiers.AttestedUserData;

/**
 * Verifies a {@code vse-attestation-package}: signed claims (the platform's endorsement of the
 * attest key, or an application service's platform rule) followed by exactly one signed
 * attestation report, which must come last (§3.7.2, §4.4).
 *
 * <p>Deviations from the Go service, each failing closed: a claim whose signature or validity
 * does not check is an error (Go skipped it silently and let the proof fail); the report's
 * signature is checked with the digest its algorithm label names (Go always used SHA-256); the
 * report's format, enclave type and user data are required.
 */
public final class VseVerifier implements EvidenceVerifier {
  public static final String EVIDENCE_TYPE = "vse-attestation-package";
  static final String SIGNED_CLAIM = "signed-claim";
  static final String SIGNED_REPORT = "signed-vse-attestation-report";
  static final String REPORT_FORMAT = "vse-attestation-report";
  private static final Set<String> ENCLAVE_TYPES = Set.of("simulated-enclave",
      "application-enclave");
  /** The reference sends two items; a handful more is fine, thousands are an attack. */
  private static final int MAX_ITEMS = 16;

  @Override
  public String evidenceType() {
    return EVIDENCE_TYPE;
  }

  @Override
  public VerifiedEvidence verify(evidence_package pkg, Instant now)
      throws VerificationException {
    int count = pkg.getFactAssertionCount();
    if (count == 0 || count > MAX_ITEMS) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE,
          "a vse-attestation-package needs 1.." + MAX_ITEMS + " evidence items, got " + count);
    }
    List<vse_clause> statements = new ArrayList<>();
    for (int i = 0; i < count - 1; i++) {
      evidence item = pkg.getFactAssertion(i);
      if (SIGNED_REPORT.equals(item.getEvidenceType())) {
        throw new VerificationException(Failure.MALFORMED_EVIDENCE, "evidence item " + i
            + " is an attestation report; the report must be the last item");
      }
      if (!SIGNED_CLAIM.equals(item.getEvidenceType())) {
        throw new VerificationException(Failure.UNSUPPORTED_EVIDENCE_TYPE, "evidence item " + i
            + " is \"" + item.getEvidenceType() + "\"; only signed claims may precede the"
            + " attestation report");
      }
      statements.add(SignedClaims.verify(parse(signed_claim_message.parser(), item, i), now));
    }
    evidence last = pkg.getFactAssertion(count - 1);
    if (!SIGNED_REPORT.equals(last.getEvidenceType())) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE,
          "the last evidence item must be the " + SIGNED_REPORT + ", got \""
              + last.getEvidenceType() + "\"");
    }
    signed_report report = parse(signed_report.parser(), last, count - 1);
    Attested attested = verifyReport(report, now);
    // §3.7.1: "AttestKey says EnclaveKey speaks-for Measurement[verified_measurement]".
    statements.add(Clauses.says(Entities.key(report.getSigningKey()),
        Clauses.simple(Entities.key(attested.enclaveKey()), Verb.SPEAKS_FOR,
            Entities.measurement(attested.measurement()))));
    return new VerifiedEvidence(attested.enclaveKey(), statements);
  }

  private record Attested(key_message enclaveKey, byte[] measurement) {}

  private static Attested verifyReport(signed_report report, Instant now)
      throws VerificationException {
    if (!REPORT_FORMAT.equals(report.getReportFormat())) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE, "report format \""
          + report.getReportFormat() + "\" is not " + REPORT_FORMAT);
    }
    if (!report.hasSigningKey() || !report.hasSignature() || !report.hasReport()) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE,
          "attestation report lacks its key, report or signature");
    }
    byte[] reportBytes = report.getReport().toByteArray();
    try {
      if (!Signatures.verify(report.getSigningAlgorithm(),
          KeyMessages.toPublicKey(report.getSigningKey()), reportBytes,
          report.getSignature().toByteArray())) {
        throw new VerificationException(Failure.BAD_SIGNATURE,
            "the attestation report's signature does not verify");
      }
    } catch (GeneralSecurityException e) {
      throw new VerificationException(Failure.UNSUPPORTED_ALGORITHM,
          "cannot check the attestation report's signature: " + e.getMessage(), e);
    }
    try {
      vse_attestation_report_info info = Messages.parse(vse_attestation_report_info.parser(),
          reportBytes, "attestation report");
      if (!ENCLAVE_TYPES.contains(info.getEnclaveType())) {
        throw new VerificationException(Failure.UNSUPPORTED_EVIDENCE_TYPE,
            "attestation report from enclave type \"" + info.getEnclaveType() + "\"");
      }
      SignedClaims.checkValidity(info.getNotBefore(), info.getNotAfter(), now,
          "attestation report");
      if (info.getVerifiedMeasurement().isEmpty()) {
        throw new VerificationException(Failure.MALFORMED_EVIDENCE,
            "attestation report carries no measurement");
      }
      key_message enclaveKey = AttestedUserData.parse(info.getUserData()).getEnclaveKey();
      return new Attested(enclaveKey, info.getVerifiedMeasurement().toByteArray());
    } catch (MalformedMessageException e) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE, e.getMessage(), e);
    }
  }

  private static <T extends com.google.protobuf.MessageLite> T parse(
      com.google.protobuf.Parser<T> parser, evidence item, int index)
      throws VerificationException {
    try {
      return Messages.parse(parser, item.getSerializedEvidence(), "evidence item " + index);
    } catch (MalformedMessageException e) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE, e.getMessage(), e);
    }
  }
}
