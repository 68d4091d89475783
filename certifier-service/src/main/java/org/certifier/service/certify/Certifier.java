package org.certifier.service.certify;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.certifier.claims.SignedClaims;
import org.certifier.claims.SignedPolicy;
import org.certifier.claims.VersionedPolicy;
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
import org.certifier.proto.proof;
import org.certifier.proto.proof_step;
import org.certifier.proto.trust_request_message;
import org.certifier.proto.vse_clause;
import org.certifier.service.DomainKeys;
import org.certifier.service.issue.CertificateFactory;
import org.certifier.service.issue.SerialNumbers;

/**
 * Decides one certification (reference-certifier.md §2.4): evidence -> statements (per-platform
 * verifier) -> the relevant policy statements -> a constructed and re-checked proof of
 * {@code enclaveKey is-trusted-for-<purpose>} -> an admission certificate or platform rule.
 * Never throws: every outcome, including bugs, is a {@link Decision}.
 */
public final class Certifier {
  public static final String PURPOSE_AUTHENTICATION = "authentication";
  public static final String PURPOSE_ATTESTATION = "attestation";

  private final DomainKeys keys;
  private final Supplier<Terms> terms;
  private final Map<String, EvidenceVerifier> verifiers;
  private final SerialNumbers serials;
  private final Revocations revocations;
  private final Clock clock;
  private final Duration lifetime;

  /**
   * The policy one decision applies, read once with the lifetime it allows, so a policy update
   * meanwhile cannot pair one policy's statements with another's lifetime.
   */
  private record Terms(SignedPolicy policy, Optional<Duration> policyLifetime) {}

  /** A certifier that consults no revocations (tests, benchmarks). */
  public Certifier(DomainKeys keys, Supplier<SignedPolicy> policy,
      List<EvidenceVerifier> verifiers, SerialNumbers serials, Clock clock, Duration lifetime) {
    this(keys, policy, verifiers, serials, Revocations.none(), clock, lifetime);
  }

  /** A certifier under a policy that sets no lifetime: {@code lifetime} applies alone. */
  public Certifier(DomainKeys keys, Supplier<SignedPolicy> policy,
      List<EvidenceVerifier> verifiers, SerialNumbers serials, Revocations revocations,
      Clock clock, Duration lifetime) {
    this(keys, verifiers, serials, revocations, clock, lifetime,
        () -> new Terms(policy.get(), Optional.empty()));
  }

  /**
   * A certifier under the domain's versioned policy (the service's {@code PolicyHolder}): what
   * it issues is valid for the shorter of {@code lifetime} and the lifetime the policy in force
   * allows, if it sets one ({@link #lifetimeUnder}).
   */
  public static Certifier underVersionedPolicy(DomainKeys keys,
      Supplier<VersionedPolicy> policy, List<EvidenceVerifier> verifiers, SerialNumbers serials,
      Revocations revocations, Clock clock, Duration lifetime) {
    return new Certifier(keys, verifiers, serials, revocations, clock, lifetime, () -> {
      VersionedPolicy inForce = policy.get();
      return new Terms(inForce.policy(), inForce.certificateLifetime());
    });
  }

  private Certifier(DomainKeys keys, List<EvidenceVerifier> verifiers, SerialNumbers serials,
      Revocations revocations, Clock clock, Duration lifetime, Supplier<Terms> terms) {
    this.keys = keys;
    this.terms = terms;
    java.util.HashMap<String, EvidenceVerifier> byType = new java.util.HashMap<>();
    for (EvidenceVerifier v : verifiers) {
      if (byType.put(v.evidenceType(), v) != null) {
        throw new IllegalArgumentException("two verifiers for " + v.evidenceType());
      }
    }
    this.verifiers = Map.copyOf(byType);
    this.serials = serials;
    this.revocations = revocations;
    this.clock = clock;
    this.lifetime = lifetime;
  }

  public Decision certify(trust_request_message request, Optional<InetAddress> requester) {
    // One policy for the whole decision, so the audit log names the policy that was applied
    // even if the file is reloaded meanwhile.
    Optional<String> policyVersion = Optional.empty();
    try {
      Terms current = terms.get();
      policyVersion = Optional.of(current.policy().sha256());
      return decide(request, requester, current.policy(),
          shorter(lifetime, current.policyLifetime()));
    } catch (VerificationException e) {
      return new Decision.Rejected(e.failure(), e.getMessage(), policyVersion);
    } catch (IOException | GeneralSecurityException e) {
      return new Decision.Rejected(Failure.INTERNAL_ERROR, "issuing failed: " + e, policyVersion);
    } catch (RuntimeException e) {
      // A bug must cost one request, never the service (the Go service died on any panic).
      return new Decision.Rejected(Failure.INTERNAL_ERROR, "unexpected " + e, policyVersion);
    }
  }

  /**
   * How long what this certifier issues under {@code policy} is valid: the service's lifetime,
   * shortened by the policy's if it sets a shorter one. A policy can only shorten it, so an
   * operator's shorter setting still wins.
   */
  public Duration lifetimeUnder(VersionedPolicy policy) {
    return shorter(lifetime, policy.certificateLifetime());
  }

  private static Duration shorter(Duration service, Optional<Duration> policy) {
    return policy.filter(p -> p.compareTo(service) < 0).orElse(service);
  }

  private Decision decide(trust_request_message request, Optional<InetAddress> requester,
      SignedPolicy current, Duration validity)
      throws VerificationException, IOException, GeneralSecurityException {
    Verb goalVerb = switch (request.getPurpose()) {
      case PURPOSE_AUTHENTICATION -> Verb.IS_TRUSTED_FOR_AUTHENTICATION;
      case PURPOSE_ATTESTATION -> Verb.IS_TRUSTED_FOR_ATTESTATION;
      default -> throw new VerificationException(Failure.WRONG_PURPOSE, "purpose \""
          + request.getPurpose() + "\" is neither " + PURPOSE_AUTHENTICATION + " nor "
          + PURPOSE_ATTESTATION);
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
    Instant now = clock.instant();
    VerifiedEvidence verified = verifier.verify(request.getSupport(), now);

    List<vse_clause> known = new ArrayList<>();
    known.add(current.axiom());
    known.addAll(current.relevantTo(verified.statements(), now));
    known.addAll(verified.statements());
    vse_clause goal = Clauses.unary(Entities.key(verified.enclaveKey()), goalVerb);
    proof p = Prover.prove(goal, known);
    ProofChecker.check(goal, p, known);
    byte[] measurement = provenMeasurement(verified.enclaveKey(), p, known);
    String measurementHex = java.util.HexFormat.of().formatHex(measurement);
    Optional<String> revoked = revocations.measurementRevocation(measurementHex);
    if (revoked.isPresent()) {
      // The policy still trusts the program, but an operator withdrew it: refuse re-admission.
      throw new VerificationException(Failure.REVOKED, "Measured-" + measurementHex
          + " is revoked: " + revoked.get());
    }
    String proofText = Statements.describe(p);

    Instant notAfter = now.plus(validity);
    if (goalVerb == Verb.IS_TRUSTED_FOR_ATTESTATION) {
      vse_clause rule = Clauses.says(Entities.key(keys.publicKey()),
          Clauses.unary(Entities.key(verified.enclaveKey()), Verb.IS_TRUSTED_FOR_ATTESTATION));
      byte[] artifact = SignedClaims.sign(rule, keys.privateKeyMessage(), now, notAfter,
          "platform-rule").toByteArray();
      return new Decision.Admitted(artifact, Optional.empty(), measurement,
          request.getPurpose(), proofText, current.sha256());
    }
    PublicKey subjectKey = KeyMessages.toPublicKey(verified.enclaveKey());
    if (!(subjectKey instanceof RSAPublicKey)) {
      throw new VerificationException(Failure.UNSUPPORTED_ALGORITHM,
          "admission certificates certify RSA keys only (reference profile, §2.5)");
    }
    BigInteger serial = serials.next();
    X509Certificate cert = CertificateFactory.admissionCertificate(keys.privateKey(),
        keys.certificate(), subjectKey, measurement, requester, serial, now, notAfter);
    return new Decision.Admitted(cert.getEncoded(), Optional.of(serial), measurement,
        request.getPurpose(), proofText, current.sha256());
  }

  /**
   * The measurement the admitted key speaks for: the object of the proved
   * {@code enclaveKey speaks-for Measurement[m]} (or of an environment carrying m).
   */
  private static byte[] provenMeasurement(org.certifier.proto.key_message enclaveKey, proof p,
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
