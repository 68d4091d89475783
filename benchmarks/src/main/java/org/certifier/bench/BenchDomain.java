package org.certifier.bench;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.certifier.cli.domain.DomainFiles;
import org.certifier.cli.domain.DomainLayout;
import org.certifier.client.TrustRequests;
import org.certifier.client.enclave.EnclaveException;
import org.certifier.client.enclave.SimulatedEnclave;
import org.certifier.crypto.KeyAlgorithm;
import org.certifier.crypto.KeyMessages;
import org.certifier.crypto.Randomness;
import org.certifier.claims.SignedPolicy;
import org.certifier.evidence.VerificationException;
import org.certifier.files.AtomicFiles;
import org.certifier.policy.Verb;
import org.certifier.proto.key_message;
import org.certifier.proto.signed_claim_message;
import org.certifier.proto.trust_request_message;
import org.certifier.service.DomainKeys;
import org.certifier.service.certify.Certifier;
import org.certifier.service.issue.SerialNumbers;
import org.certifier.verifiers.vse.VseVerifier;

/**
 * A throw-away domain for benchmarks, provisioned exactly as a user would (policy key and
 * certificate, simulated platform, signed policy) in a temporary directory, plus a supply of
 * fresh trust requests from a simulated enclave.
 */
public final class BenchDomain implements Closeable {
  public static final String NAME = "bench";
  private static final Duration VALIDITY = Duration.ofDays(30);

  private final Path dir;
  private final DomainLayout layout;
  private final key_message attestKey;
  private final signed_claim_message endorsement;
  private final byte[] measurement;

  private BenchDomain(Path dir, DomainLayout layout, key_message attestKey,
      signed_claim_message endorsement, byte[] measurement) {
    this.dir = dir;
    this.layout = layout;
    this.attestKey = attestKey;
    this.endorsement = endorsement;
    this.measurement = measurement;
  }

  /**
   * A domain whose policy trusts the simulated platform and {@code 1 + extraMeasurements}
   * programs (the extra ones random, to make the policy large).
   */
  public static BenchDomain create(int extraMeasurements)
      throws IOException, GeneralSecurityException {
    Path dir = Files.createTempDirectory("certifier-bench-");
    DomainLayout layout = new DomainLayout(dir, NAME);
    Instant now = Instant.now();
    key_message policyKey = DomainFiles.createPolicyKey(KeyAlgorithm.RSA_2048, "policyKey",
        NAME + "/policyAuthority", layout.policyKey(), layout.policyCert(), now);
    key_message platformKey = DomainFiles.createKey(KeyAlgorithm.RSA_2048, "platformKey",
        layout.platformKey());
    key_message attestKey = DomainFiles.createKey(KeyAlgorithm.RSA_2048, "attestKey",
        layout.attestKey());
    signed_claim_message endorsement = DomainFiles.keyStatement(platformKey, attestKey,
        Verb.IS_TRUSTED_FOR_ATTESTATION, now.minusSeconds(60), VALIDITY);
    AtomicFiles.write(layout.endorsement(), endorsement.toByteArray());
    byte[] measurement = new byte[32];
    Randomness.secureRandom().nextBytes(measurement);
    List<signed_claim_message> policy = new ArrayList<>();
    policy.add(DomainFiles.keyStatement(policyKey, platformKey, Verb.IS_TRUSTED_FOR_ATTESTATION,
        now.minusSeconds(60), VALIDITY));
    policy.add(DomainFiles.measurementStatement(policyKey, measurement, now.minusSeconds(60),
        VALIDITY));
    for (int i = 0; i < extraMeasurements; i++) {
      byte[] other = new byte[32];
      Randomness.secureRandom().nextBytes(other);
      policy.add(DomainFiles.measurementStatement(policyKey, other, now.minusSeconds(60),
          VALIDITY));
    }
    DomainFiles.writePolicy(policy, layout.policy());
    return new BenchDomain(dir, layout, attestKey, endorsement, measurement);
  }

  public DomainLayout layout() {
    return layout;
  }

  public Path dir() {
    return dir;
  }

  public SimulatedEnclave enclave(Clock clock) throws EnclaveException {
    return SimulatedEnclave.of(attestKey, measurement, endorsement, clock);
  }

  /**
   * {@code count} requests, each with a fresh attestation; the certified keys cycle through
   * {@code distinctKeys} generated RSA-2048 keys (key generation is the client's cost, not the
   * service's, so it is kept out of the measured phase).
   */
  /**
   * The service's decision path in this process, on the domain's key and policy (signed and
   * checked as the service loads them), with serial numbers from {@code serials}.
   */
  public Certifier certifier(SerialNumbers serials) throws IOException,
      GeneralSecurityException, VerificationException {
    DomainKeys keys = DomainKeys.load(layout().policyKey(), layout().policyCert());
    SignedPolicy policy = SignedPolicy.parse(Files.readAllBytes(layout().policy()),
        keys.publicKey(), Instant.now());
    return new Certifier(keys, () -> policy, List.of(new VseVerifier()), serials,
        Clock.systemUTC(), Duration.ofDays(365));
  }

  public List<trust_request_message> requests(int count, int distinctKeys)
      throws GeneralSecurityException, EnclaveException {
    SimulatedEnclave enclave = enclave(Clock.systemUTC());
    List<key_message> keys = new ArrayList<>();
    for (int i = 0; i < Math.max(1, distinctKeys); i++) {
      keys.add(KeyMessages.publicPart(KeyMessages.fromKeyPair(
          KeyMessages.generate(KeyAlgorithm.RSA_2048, Randomness.secureRandom()), "auth-key")));
    }
    List<trust_request_message> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(TrustRequests.build(enclave, keys.get(i % keys.size()), "authentication",
          Instant.now()));
    }
    return out;
  }

  @Override
  public void close() {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary directory is harmless
    }
  }
}
