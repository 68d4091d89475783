package org.certifier.fuzz;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.certifier.claims.SignedPolicy;
import org.certifier.crypto.Certificates;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.proto.key_message;
import org.certifier.proto.trust_request_message;
import org.certifier.protocol.MalformedMessageException;
import org.certifier.protocol.Messages;
import org.certifier.service.DomainKeys;
import org.certifier.service.certify.Certifier;
import org.certifier.service.certify.Decision;
import org.certifier.verifiers.collateral.CollateralSource;
import org.certifier.verifiers.dcap.IntelRoots;
import org.certifier.verifiers.intel.GramineEvidenceVerifier;
import org.certifier.verifiers.intel.TdxEvidenceVerifier;
import org.certifier.verifiers.sevsnp.AmdRoots;
import org.certifier.verifiers.sevsnp.SevEvidenceVerifier;
import org.certifier.verifiers.vse.VseVerifier;

/**
 * The whole decision path (parse, every evidence verifier, proof, issuance) for the reference capture's
 * domain with the clock pinned inside its policy's validity. Every input must end in a decision;
 * an internal error means hostile bytes reached a bug, which is a finding.
 */
public final class TrustRequestTarget {
  static final List<String> SEEDS = List.of(
      "certifier-reference/wire/trust_request.pb",
      "certifier-reference/wire/trust_request.tampered.pb");
  private static final Instant PINNED = Instant.parse("2026-11-22T12:00:00Z");
  /** Intel evidence gets as far as the quote checks; collateral is a different target's. */
  private static final CollateralSource NO_COLLATERAL = key -> {
    throw new VerificationException(Failure.COLLATERAL_UNAVAILABLE, "no collateral here");
  };
  private static Certifier certifier;

  private TrustRequestTarget() {}

  public static void fuzzerInitialize() throws Exception {
    DomainKeys keys = DomainKeys.of(
        Messages.parse(key_message.parser(),
            Vectors.bytes("certifier-reference/provisioning/policy_key_file.datica-test"), "key"),
        Certificates.parseDer(
            Vectors.bytes("certifier-reference/provisioning/policy_cert_file.datica-test")));
    SignedPolicy policy = SignedPolicy.parse(
        Vectors.bytes("certifier-reference/provisioning/policy.bin"), keys.publicKey(), PINNED);
    AtomicLong serial = new AtomicLong();
    certifier = new Certifier(keys, () -> policy,
        List.of(new VseVerifier(), new SevEvidenceVerifier(AmdRoots.embedded()),
            new TdxEvidenceVerifier(IntelRoots.embedded(), NO_COLLATERAL),
            new GramineEvidenceVerifier(IntelRoots.embedded(), NO_COLLATERAL)),
        () -> BigInteger.valueOf(serial.incrementAndGet()), Clock.fixed(PINNED, ZoneOffset.UTC),
        Duration.ofDays(1));
  }

  public static void fuzzerTestOneInput(byte[] data) {
    trust_request_message request;
    try {
      request = Messages.parse(trust_request_message.parser(), data, "request");
    } catch (MalformedMessageException expected) {
      return;
    }
    Decision decision = certifier.certify(request, Optional.empty());
    if (decision instanceof Decision.Rejected rejected
        && rejected.failure() == Failure.INTERNAL_ERROR) {
      throw new IllegalStateException("internal error on hostile input: " + rejected.reason());
    }
  }
}
