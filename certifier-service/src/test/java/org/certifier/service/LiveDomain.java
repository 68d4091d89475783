package org.certifier.service;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.certifier.claims.SignedClaims;
import org.certifier.claims.VersionedPolicy;
import org.certifier.client.TrustManager;
import org.certifier.client.enclave.SimulatedEnclave;
import org.certifier.crypto.KeyAlgorithm;
import org.certifier.crypto.KeyMessages;
import org.certifier.crypto.Randomness;
import org.certifier.policy.Clauses;
import org.certifier.policy.Entities;
import org.certifier.policy.Verb;
import org.certifier.proto.key_message;
import org.certifier.proto.signed_claim_message;
import org.certifier.proto.signed_claim_sequence;
import org.certifier.proto.vse_clause;
import org.certifier.service.issue.CertificateFactory;
import org.certifier.testing.pki.DomainPki;

/**
 * A fresh domain on the simulated platform, on the real clock, for tests that run the real
 * service in-process and certify programs with the real TrustManager: policy key and
 * certificate, a platform key endorsing an attest key, and a policy trusting both the platform
 * and one program measurement; its CRLs are signed with the policy key, as the service's are.
 */
final class LiveDomain {
  static final String NAME = "live-test";
  static final byte[] MEASUREMENT = new byte[32];

  static {
    java.util.Arrays.fill(MEASUREMENT, (byte) 0x5a);
  }

  final Path dir;
  final key_message policyKey;
  final X509Certificate policyCert;
  private final key_message attestKey;
  private final signed_claim_message endorsement;
  /** The domain's policy in the reference's format, as first written to policy.bin. */
  private final byte[] plainPolicy;

  LiveDomain(Path dir) throws Exception {
    this.dir = dir;
    Instant now = Instant.now();
    KeyPair policyPair = KeyMessages.generate(KeyAlgorithm.RSA_2048, Randomness.secureRandom());
    policyKey = KeyMessages.fromKeyPair(policyPair, "policyKey");
    policyCert = CertificateFactory.policyCertificate(policyPair.getPrivate(),
        policyPair.getPublic(), "policyKey", NAME + "/policyAuthority", now.minusSeconds(3600),
        now.plus(Duration.ofDays(1)));
    key_message platformKey = KeyMessages.fromKeyPair(
        KeyMessages.generate(KeyAlgorithm.RSA_2048, Randomness.secureRandom()), "platformKey");
    attestKey = KeyMessages.fromKeyPair(
        KeyMessages.generate(KeyAlgorithm.RSA_2048, Randomness.secureRandom()), "attestKey");
    endorsement = says(platformKey, Clauses.unary(Entities.key(KeyMessages.publicPart(
        attestKey)), Verb.IS_TRUSTED_FOR_ATTESTATION), now);
    Files.write(dir.resolve("policy_key_file"), policyKey.toByteArray());
    Files.write(dir.resolve("policy_cert_file"), policyCert.getEncoded());
    plainPolicy = signed_claim_sequence.newBuilder().addAllClaims(
        List.of(says(policyKey, Clauses.unary(Entities.key(KeyMessages.publicPart(platformKey)),
                Verb.IS_TRUSTED_FOR_ATTESTATION), now),
            says(policyKey, Clauses.unary(Entities.measurement(MEASUREMENT), Verb.IS_TRUSTED),
                now)))
        .build().toByteArray();
    Files.write(dir.resolve("policy.bin"), plainPolicy);
  }

  /**
   * Replaces the policy file by version {@code version} of the same policy, signed in an
   * envelope with the given maximum certificate lifetime (a policy update when it runs).
   */
  void signPolicy(long version, Optional<Duration> certificateLifetime) throws Exception {
    Files.write(dir.resolve("policy.bin"), VersionedPolicy.sign(version, Instant.now(),
        Optional.empty(), certificateLifetime, plainPolicy, policyKey));
  }

  /** The real service for this domain on a free loopback port. */
  CertifierService start(Duration certificateLifetime) throws Exception {
    return CertifierService.start(CertifierService.Config.of(dir.resolve("policy_key_file"),
            dir.resolve("policy_cert_file"), dir.resolve("policy.bin"))
        .withAddress("127.0.0.1", 0).withStateDir(dir.resolve("state"))
        .withCertificateLifetime(certificateLifetime));
  }

  /** Opens (or starts) the store of the program {@code name}, as a restart would. */
  TrustManager open(String name, TrustManager.Options options) throws Exception {
    return TrustManager.open(SimulatedEnclave.of(attestKey, MEASUREMENT, endorsement,
        Clock.systemUTC()), dir.resolve(name + ".store"), Clock.systemUTC(), options);
  }

  /** A program of this domain with its own store, certified by {@code service}. */
  TrustManager certifiedMember(String name, int servicePort, TrustManager.Options options)
      throws Exception {
    TrustManager tm = open(name, options);
    tm.initializeKeys("rsa-2048", "aes-256-cbc-hmac-sha256", false);
    tm.addDomain(NAME, policyCert, "127.0.0.1", servicePort);
    tm.certify(NAME);
    return tm;
  }

  /** CRLs of this domain, signed with its policy key. */
  DomainPki pki() throws Exception {
    return DomainPki.of(KeyMessages.toKeyPair(policyKey), policyCert);
  }

  private static signed_claim_message says(key_message signer, vse_clause clause, Instant now)
      throws Exception {
    return SignedClaims.sign(Clauses.says(Entities.key(KeyMessages.publicPart(signer)), clause),
        signer, now.minusSeconds(3600), now.plus(Duration.ofDays(1)), "");
  }
}
