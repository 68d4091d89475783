package org.certifier.service.certify;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.certifier.claims.SignedClaims;
import org.certifier.claims.SignedPolicy;
import org.certifier.claims.VersionedPolicy;
import org.certifier.crypto.KeyMessages;
import org.certifier.evidence.EvidenceVerifier;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.policy.Clauses;
import org.certifier.policy.Entities;
import org.certifier.policy.Verb;
import org.certifier.proto.key_message;
import org.certifier.proto.trust_request_message;
import org.certifier.proto.vse_clause;
import org.certifier.service.DomainKeys;
import org.certifier.service.issue.CertificateFactory;
import org.certifier.service.issue.SerialNumbers;

/**
 * Decides one certification (reference-certifier.md §2.4) and issues its outcome: the
 * {@link Appraiser} decides (evidence -> statements -> the relevant policy statements -> a
 * constructed and re-checked proof of {@code enclaveKey is-trusted-for-<purpose>}), then this
 * class signs an admission certificate or platform rule.
 * Never throws: every outcome, including bugs, is a {@link Decision}.
 */
public final class Certifier {
  public static final String PURPOSE_AUTHENTICATION = "authentication";
  public static final String PURPOSE_ATTESTATION = "attestation";

  private final DomainKeys keys;
  private final Supplier<Terms> terms;
  private final Appraiser appraiser;
  private final SerialNumbers serials;
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
    this.appraiser = new Appraiser(verifiers, revocations);
    this.serials = serials;
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
      Instant now = clock.instant();
      return issue(appraiser.appraise(request, current.policy(), now), requester,
          current.policy(), now, shorter(lifetime, current.policyLifetime()));
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

  /** The admission certificate (authentication) or platform rule (attestation) decided on. */
  private Decision issue(Appraiser.Appraisal decided, Optional<InetAddress> requester,
      SignedPolicy current, Instant now, Duration validity)
      throws IOException, GeneralSecurityException {
    Appraiser.Evidence evidence = decided.evidence();
    key_message enclaveKey = evidence.verified().enclaveKey();
    String proofText = decided.proofText();
    Instant notAfter = now.plus(validity);
    if (evidence.goalVerb() == Verb.IS_TRUSTED_FOR_ATTESTATION) {
      vse_clause rule = Clauses.says(Entities.key(keys.publicKey()),
          Clauses.unary(Entities.key(enclaveKey), Verb.IS_TRUSTED_FOR_ATTESTATION));
      byte[] artifact = SignedClaims.sign(rule, keys.privateKeyMessage(), now, notAfter,
          "platform-rule").toByteArray();
      return new Decision.Admitted(artifact, Optional.empty(), decided.measurement(),
          evidence.purpose(), proofText, current.sha256());
    }
    // The appraiser made sure an authentication key is RSA.
    PublicKey subjectKey = KeyMessages.toPublicKey(enclaveKey);
    BigInteger serial = serials.next();
    byte[] cert = CertificateFactory.encodeAdmissionCertificate(keys.privateKey(),
        keys.certificate(), subjectKey, decided.measurement(), requester, serial, now, notAfter);
    Decision.Certificate terms = new Decision.Certificate(serial,
        now.truncatedTo(ChronoUnit.SECONDS), notAfter.truncatedTo(ChronoUnit.SECONDS),
        subjectKey.getEncoded());
    return new Decision.Admitted(cert, Optional.of(terms), decided.measurement(),
        evidence.purpose(), proofText, current.sha256());
  }
}
