package org.certifier.evidence;

import java.time.Instant;
import org.certifier.proto.evidence_package;

/**
 * Turns one platform's evidence package into the statements it proves. A returned result means:
 * every signature in the package verified under the key it names, every validity period held at
 * {@code now}, and the attestation binds {@link VerifiedEvidence#enclaveKey()}. Whether those
 * signers are trusted is not this verifier's question: the policy and the proof decide that.
 */
public interface EvidenceVerifier {
  /** The trust request's {@code submitted_evidence_type} handled, e.g. vse-attestation-package. */
  String evidenceType();

  VerifiedEvidence verify(evidence_package evidence, Instant now) throws VerificationException;
}
