package org.certifier.service.certify;

import java.io.IOException;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.certifier.claims.SignedPolicy;
import org.certifier.crypto.CryptoException;
import org.certifier.crypto.KeyMessages;
import org.certifier.evidence.EvidenceVerifier;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.evidence.VerifiedEvidence;
import org.certifier.policy.Clauses;
import org.certifier.policy.Entities;
import org.certifier.policy.Equality;
import org.certifier.policy.ProofChecker;
import org.certifier.policy.Prover;
import org.certifier.policy.Statements;
import org.certifier.policy.Verb;
import org.certifier.proto.entity_message;
import org.certifier.proto.key_message;
import org.certifier.proto.proof;
import org.certifier.proto.proof_step;
import org.certifier.proto.trust_request_message;
import org.certifier.proto.vse_clause;

/**
 * The decision half of a certification (reference-certifier.md §2.4), everything before anything
 * is issued: the purpose, the evidence (per-platform verifier), the relevant policy statements, a
 * constructed and re-checked proof of {@code enclaveKey is-trusted-for-<purpose>}, the
 * measurement, revocations and the key type a certificate can carry. One class for the service
 * ({@link Certifier}, which then issues) and the offline {@code certifier verify request}, so an
 * operator's offline answer is the service's answer and not a re-implementation of it.
 */
public final class Appraiser {
  private final Map<String, EvidenceVerifier> verifiers;
  private final Revocations revocations;

  /**
   * @param verifiers one per evidence type ({@link EvidenceVerifier#evidenceType()})
   * @param revocations where withdrawn measurements are looked up
   */
  public Appraiser(List<EvidenceVerifier> verifiers, Revocations revocations) {
    HashMap<String, EvidenceVerifier> byType = new HashMap<>();
    for (EvidenceVerifier v : verifiers) {
      if (byType.put(v.evidenceType(), v) != null) {
        throw new IllegalArgumentException("two verifiers for " + v.evidenceType());
      }
    }
    this.verifiers = Map.copyOf(byType);
    this.revocations = java.util.Objects.requireNonNull(revocations, "revocations");
  }

  /** The evidence types this appraiser verifies. */
  public Set<String> evidenceTypes() {
    return verifiers.keySet();
  }

  /**
   * A request's evidence, verified: every signature and validity period checked by the verifier
   * of its evidence type. Nothing about trust is decided yet.
   *
   * @param evidenceType the request's {@code submitted_evidence_type}
   * @param goalVerb what is to be proved of the enclave key, from the request's purpose
   */
  public record Evidence(String evidenceType, String purpose, Verb goalVerb,
      VerifiedEvidence verified) {}

  /**
   * An accepted request: {@code policyStatements} are those the proof could use,
   * {@code measurement} the program the enclave key speaks for.
   */
  public record Appraisal(Evidence evidence, List<vse_clause> policyStatements, vse_clause goal,
      proof proof, byte[] measurement) {
    public Appraisal {
      policyStatements = List.copyOf(policyStatements);
      measurement = measurement.clone();
    }

    @Override
    public byte[] measurement() {
      return measurement.clone();
    }

    /** The measurement, lowercase hex, as in {@code O=Measured-<hex>}. */
    public String measurementHex() {
      return HexFormat.of().formatHex(measurement);
    }

    /** The proof, one readable line per step ({@link Statements#describe(proof)}). */
    public String proofText() {
      return Statements.describe(proof);
    }
  }

  /** {@link #verify}, then {@link #prove}: the whole decision. */
  public Appraisal appraise(trust_request_message request, SignedPolicy policy, Instant now)
      throws VerificationException, IOException, CryptoException {
    return prove(verify(request, now), policy, now);
  }

  /**
   * Checks the request's purpose and verifies its evidence at {@code now}.
   *
   * @throws VerificationException {@link Failure#WRONG_PURPOSE},
   *     {@link Failure#MALFORMED_EVIDENCE} (no evidence), {@link Failure#UNSUPPORTED_EVIDENCE_TYPE}
   *     or whatever the platform's verifier refuses
   */
  public Evidence verify(trust_request_message request, Instant now)
      throws VerificationException {
    Verb goalVerb = switch (request.getPurpose()) {
      case Certifier.PURPOSE_AUTHENTICATION -> Verb.IS_TRUSTED_FOR_AUTHENTICATION;
      case Certifier.PURPOSE_ATTESTATION -> Verb.IS_TRUSTED_FOR_ATTESTATION;
      default -> throw new VerificationException(Failure.WRONG_PURPOSE, "purpose \""
          + request.getPurpose() + "\" is neither " + Certifier.PURPOSE_AUTHENTICATION + " nor "
          + Certifier.PURPOSE_ATTESTATION);
    };
    if (!request.hasSupport()) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE, "request carries no evidence");
    }
    EvidenceVerifier verifier = verifiers.get(request.getSubmittedEvidenceType());
    if (verifier == null) {
      throw new VerificationException(Failure.UNSUPPORTED_EVIDENCE_TYPE, "evidence type \""
          + request.getSubmittedEvidenceType() + "\" is not supported; this service accepts "
          + verifiers.keySet());
    }
    return new Evidence(request.getSubmittedEvidenceType(), request.getPurpose(), goalVerb,
        verifier.verify(request.getSupport(), now));
  }

  /**
   * Decides verified evidence under {@code policy} at {@code now}: the proof (whose failure says
   * which statement could not be established, and why), its re-check, the measurement, its
   * revocation, and for authentication an RSA enclave key (what admission certificates carry).
   */
  public Appraisal prove(Evidence evidence, SignedPolicy policy, Instant now)
      throws VerificationException, IOException, CryptoException {
    VerifiedEvidence verified = evidence.verified();
    List<vse_clause> policyStatements = policy.relevantTo(verified.statements(), now);
    List<vse_clause> known = new ArrayList<>();
    known.add(policy.axiom());
    known.addAll(policyStatements);
    known.addAll(verified.statements());
    vse_clause goal = Clauses.unary(Entities.key(verified.enclaveKey()), evidence.goalVerb());
    proof p = Prover.prove(goal, known);
    ProofChecker.check(goal, p, known);
    byte[] measurement = provenMeasurement(verified.enclaveKey(), p, known);
    String measurementHex = HexFormat.of().formatHex(measurement);
    Optional<String> revoked = revocations.measurementRevocation(measurementHex);
    if (revoked.isPresent()) {
      // The policy still trusts the program, but an operator withdrew it: refuse re-admission.
      throw new VerificationException(Failure.REVOKED, "Measured-" + measurementHex
          + " is revoked: " + revoked.get());
    }
    if (evidence.goalVerb() == Verb.IS_TRUSTED_FOR_AUTHENTICATION) {
      PublicKey subjectKey = KeyMessages.toPublicKey(verified.enclaveKey());
      if (!(subjectKey instanceof RSAPublicKey)) {
        throw new VerificationException(Failure.UNSUPPORTED_ALGORITHM,
            "admission certificates certify RSA keys only (reference profile, §2.5)");
      }
    }
    return new Appraisal(evidence, policyStatements, goal, p, measurement);
  }

  /**
   * The measurement the admitted key speaks for: the object of the proved
   * {@code enclaveKey speaks-for Measurement[m]} (or of an environment carrying m).
   */
  private static byte[] provenMeasurement(key_message enclaveKey, proof p,
      List<vse_clause> known) throws VerificationException {
    List<vse_clause> candidates = new ArrayList<>(known);
    for (proof_step step : p.getStepsList()) {
      candidates.add(step.getConclusion());
    }
    for (vse_clause c : candidates) {
      if (Verb.SPEAKS_FOR.label().equals(c.getVerb()) && c.hasObject()
          && "key".equals(c.getSubject().getEntityType())
          && Equality.sameKey(c.getSubject().getKey(), enclaveKey)) {
        entity_message object = c.getObject();
        if ("measurement".equals(object.getEntityType())) {
          return object.getMeasurement().toByteArray();
        }
        if ("environment".equals(object.getEntityType())) {
          return object.getEnvironmentEnt().getTheMeasurement().toByteArray();
        }
      }
    }
    throw new VerificationException(Failure.PROOF_FAILED,
        "the proof names no measurement for the admitted key");
  }
}
