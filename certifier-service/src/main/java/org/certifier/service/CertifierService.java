package org.certifier.service;

import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.certifier.evidence.VerificationException;
import org.certifier.service.certify.Certifier;
import org.certifier.service.certify.Decision;
import org.certifier.service.issue.FileSerialNumbers;
import org.certifier.service.tcp.CertifierTcpServer;
import org.certifier.verifiers.sevsnp.AmdRoots;
import org.certifier.verifiers.sevsnp.SevEvidenceVerifier;
import org.certifier.verifiers.vse.VseVerifier;

/**
 * The Certifier Service, wired in one place: domain keys, the reloading policy, the verifiers,
 * serial numbers, the certifier and the reference TCP listener. No registries, no scanning: what
 * runs is what this class constructs.
 */
public final class CertifierService implements Closeable {
  private static final System.Logger LOG = System.getLogger("org.certifier.service");

  /**
   * How to run a service.
   *
   * @param stateDir where the service keeps its own state (serial numbers); created if missing
   * @param certificateLifetime validity of issued admission certificates and platform rules
   */
  public record Config(Path policyKeyFile, Path policyCertFile, Path policyFile, String host,
      int port, Path stateDir, Duration certificateLifetime, CertifierTcpServer.Limits limits,
      Clock clock) {
    public Config {
      if (certificateLifetime.isNegative() || certificateLifetime.isZero()) {
        throw new IllegalArgumentException("certificate lifetime must be positive");
      }
    }

    /** The defaults of the reference's simpleserver: localhost:8123, one-year certificates. */
    public static Config of(Path policyKeyFile, Path policyCertFile, Path policyFile) {
      return new Config(policyKeyFile, policyCertFile, policyFile, "localhost", 8123,
          Path.of("certifier-state"), Duration.ofDays(365), CertifierTcpServer.Limits.defaults(),
          Clock.systemUTC());
    }

    public Config withAddress(String newHost, int newPort) {
      return new Config(policyKeyFile, policyCertFile, policyFile, newHost, newPort, stateDir,
          certificateLifetime, limits, clock);
    }

    public Config withStateDir(Path dir) {
      return new Config(policyKeyFile, policyCertFile, policyFile, host, port, dir,
          certificateLifetime, limits, clock);
    }

    public Config withClock(Clock newClock) {
      return new Config(policyKeyFile, policyCertFile, policyFile, host, port, stateDir,
          certificateLifetime, limits, newClock);
    }

    public Config withLimits(CertifierTcpServer.Limits newLimits) {
      return new Config(policyKeyFile, policyCertFile, policyFile, host, port, stateDir,
          certificateLifetime, newLimits, clock);
    }
  }

  private final DomainKeys keys;
  private final PolicyHolder policy;
  private final CertifierTcpServer server;

  private CertifierService(DomainKeys keys, PolicyHolder policy, CertifierTcpServer server) {
    this.keys = keys;
    this.policy = policy;
    this.server = server;
  }

  /** Loads keys and policy, then listens; fails fast on any unusable input. */
  public static CertifierService start(Config config) throws IOException, VerificationException {
    DomainKeys keys = DomainKeys.load(config.policyKeyFile(), config.policyCertFile());
    PolicyHolder policy = PolicyHolder.load(config.policyFile(), keys.publicKey(),
        config.clock());
    Files.createDirectories(config.stateDir());
    Certifier certifier = new Certifier(keys, policy, List.of(new VseVerifier(),
        new SevEvidenceVerifier(AmdRoots.embedded())),
        new FileSerialNumbers(config.stateDir().resolve("next-serial")), config.clock(),
        config.certificateLifetime());
    CertifierTcpServer server = CertifierTcpServer.start(certifier, config.host(), config.port(),
        config.limits(), CertifierService::log);
    LOG.log(Level.INFO, "Certifier Service for {0} listening on {1}:{2,number,#} with {3}"
        + " policy statements", keys.certificate().getSubjectX500Principal(), config.host(),
        server.port(), policy.get().size());
    return new CertifierService(keys, policy, server);
  }

  public int port() {
    return server.port();
  }

  public DomainKeys keys() {
    return keys;
  }

  /** Reloads the policy now if its file changed (it is also picked up on the next request). */
  public boolean reloadPolicy() {
    return policy.reloadIfChanged();
  }

  private static void log(Decision decision, Optional<InetAddress> requester) {
    String who = requester.map(InetAddress::getHostAddress).orElse("?");
    switch (decision) {
      case Decision.Admitted a -> LOG.log(Level.INFO,
          "admitted {0} for {1}: Measured-{2}{3}", who, a.purpose(),
          HexFormat.of().formatHex(a.measurement()),
          a.serial().map(s -> ", serial " + s).orElse(""));
      case Decision.Rejected r -> LOG.log(Level.WARNING, "rejected {0}: {1}: {2}", who,
          r.failure().code(), r.reason());
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
