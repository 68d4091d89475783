package org.certifier.service;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.certifier.claims.SignedPolicy;
import org.certifier.client.enclave.SimulatedEnclave;
import org.certifier.crypto.Certificates;
import org.certifier.evidence.VerificationException;
import org.certifier.proto.key_message;
import org.certifier.proto.signed_claim_message;
import org.certifier.proto.trust_request_message;
import org.certifier.protocol.MalformedMessageException;
import org.certifier.protocol.Messages;
import org.certifier.service.certify.Certifier;
import org.certifier.service.issue.SerialNumbers;
import org.certifier.testing.TestVectors;
import org.certifier.verifiers.vse.VseVerifier;

/**
 * The reference capture's domain "datica-test" (testvectors/certifier-reference), with the clock
 * pinned inside its policy's validity (2026-11-22 .. 2027-12-01).
 */
public final class ReferenceDomain {
  public static final Instant PINNED = Instant.parse("2026-11-22T12:00:00Z");
  public static final Clock CLOCK = Clock.fixed(PINNED, ZoneOffset.UTC);

  private ReferenceDomain() {}

  public static DomainKeys keys() throws IOException, GeneralSecurityException {
    key_message key = parse(key_message.parser(),
        "provisioning/policy_key_file.datica-test");
    return DomainKeys.of(key, Certificates.parseDer(
        TestVectors.reference("provisioning/policy_cert_file.datica-test")));
  }

  public static SignedPolicy policy(DomainKeys keys) throws VerificationException {
    return SignedPolicy.parse(TestVectors.reference("provisioning/policy.bin"),
        keys.publicKey(), PINNED);
  }

  /** A certifier for the reference domain and policy at the pinned time. */
  public static Certifier certifier(DomainKeys keys) throws VerificationException {
    return certifier(keys, policy(keys), CLOCK);
  }

  public static Certifier certifier(DomainKeys keys, SignedPolicy policy, Clock clock) {
    AtomicLong serial = new AtomicLong(100);
    SerialNumbers serials = () -> BigInteger.valueOf(serial.incrementAndGet());
    return new Certifier(keys, () -> policy, List.of(new VseVerifier()), serials, clock,
        Duration.ofDays(365));
  }

  public static trust_request_message request(String file) {
    return parse(trust_request_message.parser(), "wire/" + file);
  }

  /** The reference app's simulated enclave (attest key, measurement, endorsement). */
  public static SimulatedEnclave enclave(Clock clock) throws Exception {
    return SimulatedEnclave.of(
        parse(key_message.parser(), "provisioning/attest_key_file.bin"),
        TestVectors.reference("provisioning/example_app.measurement"),
        parse(signed_claim_message.parser(), "provisioning/platform_attest_endorsement.bin"),
        clock);
  }

  public static <T extends com.google.protobuf.MessageLite> T parse(
      com.google.protobuf.Parser<T> parser, String file) {
    try {
      return Messages.parse(parser, TestVectors.reference(file), file);
    } catch (MalformedMessageException e) {
      throw new AssertionError(e);
    }
  }
}
