package org.certifier.service;

import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.certifier.crypto.CryptoProviders;
import org.certifier.evidence.VerificationException;
import org.certifier.service.certify.Certifier;
import org.certifier.service.store.Database;
import org.certifier.service.store.JdbcServiceStore;
import org.certifier.service.store.Revocation;
import org.certifier.service.store.ServiceStore;
import org.certifier.service.tcp.CertifierTcpServer;
import org.certifier.verifiers.sevsnp.AmdRoots;
import org.certifier.verifiers.sevsnp.SevEvidenceVerifier;
import org.certifier.verifiers.vse.VseVerifier;

/**
 * The Certifier Service, wired in one place: domain keys, the reloading policy, the verifiers,
 * the store (serial numbers, issuance and audit log), the certifier and the reference TCP
 * listener. No registries, no scanning: what runs is what this class constructs.
 */
public final class CertifierService implements Closeable {
  private static final System.Logger LOG = System.getLogger("org.certifier.service");

  /**
   * How to run a service.
   *
   * @param stateDir where the embedded database lives (unless {@code database} names another);
   *     created if missing
   * @param database where the service keeps its state; empty for the embedded database in
   *     {@code stateDir}
   * @param certificateLifetime validity of issued admission certificates and platform rules
   * @param logProfile how much the log says about refusals; production unless chosen
   */
  public record Config(Path policyKeyFile, Path policyCertFile, Path policyFile, String host,
      int port, Path stateDir, Optional<Database> database, Duration certificateLifetime,
      CertifierTcpServer.Limits limits, Clock clock, LogProfile logProfile) {
    public Config {
      if (certificateLifetime.isNegative() || certificateLifetime.isZero()) {
        throw new IllegalArgumentException("certificate lifetime must be positive");
      }
    }

    /**
     * The defaults of the reference's simpleserver (localhost:8123, one-year certificates) and
     * the embedded database in {@code certifier-state}.
     */
    public static Config of(Path policyKeyFile, Path policyCertFile, Path policyFile) {
      return new Config(policyKeyFile, policyCertFile, policyFile, "localhost", 8123,
          Path.of("certifier-state"), Optional.empty(), Duration.ofDays(365),
          CertifierTcpServer.Limits.defaults(), Clock.systemUTC(), LogProfile.PRODUCTION);
    }

    public Config withAddress(String newHost, int newPort) {
      return new Config(policyKeyFile, policyCertFile, policyFile, newHost, newPort, stateDir,
          database, certificateLifetime, limits, clock, logProfile);
    }

    public Config withStateDir(Path dir) {
      return new Config(policyKeyFile, policyCertFile, policyFile, host, port, dir, database,
          certificateLifetime, limits, clock, logProfile);
    }

    /** A shared database (PostgreSQL) instead of the embedded one. */
    public Config withDatabase(Database shared) {
      return new Config(policyKeyFile, policyCertFile, policyFile, host, port, stateDir,
          Optional.of(shared), certificateLifetime, limits, clock, logProfile);
    }

    public Config withCertificateLifetime(Duration lifetime) {
      return new Config(policyKeyFile, policyCertFile, policyFile, host, port, stateDir,
          database, lifetime, limits, clock, logProfile);
    }

    public Config withClock(Clock newClock) {
      return new Config(policyKeyFile, policyCertFile, policyFile, host, port, stateDir,
          database, certificateLifetime, limits, newClock, logProfile);
    }

    public Config withLimits(CertifierTcpServer.Limits newLimits) {
      return new Config(policyKeyFile, policyCertFile, policyFile, host, port, stateDir,
          database, certificateLifetime, newLimits, clock, logProfile);
    }

    public Config withLogProfile(LogProfile profile) {
      return new Config(policyKeyFile, policyCertFile, policyFile, host, port, stateDir,
          database, certificateLifetime, limits, clock, profile);
    }

    /** The database actually used: the one given, or the embedded one in the state dir. */
    public Database effectiveDatabase() {
      return database.orElseGet(() -> Database.embedded(stateDir));
    }
  }

  private final DomainKeys keys;
  private final PolicyHolder policy;
  private final ServiceStore store;
  private final CertifierTcpServer server;

  private CertifierService(DomainKeys keys, PolicyHolder policy, ServiceStore store,
      CertifierTcpServer server) {
    this.keys = keys;
    this.policy = policy;
    this.store = store;
    this.server = server;
  }

  /**
   * Loads keys and policy, opens (and if need be migrates) the store, then listens; fails fast
   * on any unusable input, including a store that belongs to another domain.
   */
  public static CertifierService start(Config config) throws IOException, VerificationException {
    CryptoProviders.install();
    DomainKeys keys = DomainKeys.load(config.policyKeyFile(), config.policyCertFile());
    PolicyHolder policy = PolicyHolder.load(config.policyFile(), keys.publicKey(),
        config.clock());
    Database database = config.effectiveDatabase();
    if (database.isEmbedded()) {
      Files.createDirectories(config.stateDir());
    }
    JdbcServiceStore store = JdbcServiceStore.open(database, keys.certificate(),
        JdbcServiceStore.DEFAULT_CONNECTIONS);
    CertifierTcpServer server;
    try {
      Certifier certifier = new Certifier(keys, policy, List.of(new VseVerifier(),
          new SevEvidenceVerifier(AmdRoots.embedded())), store,
          hex -> store.measurementRevocation(hex).map(Revocation::reason),
          config.clock(), config.certificateLifetime());
      server = CertifierTcpServer.start(certifier, config.host(), config.port(),
          config.limits(), new DecisionRecorder(store, config.clock(), config.logProfile()));
    } catch (IOException | RuntimeException e) {
      store.close();
      throw e;
    }
    LOG.log(Level.INFO, "Certifier Service for {0} listening on {1}:{2,number,#} with {3}"
        + " policy statements; state in {4} (schema version {5})",
        keys.certificate().getSubjectX500Principal(), config.host(), server.port(),
        policy.get().size(), database.redactedUrl(), store.metadata().schemaVersion());
    return new CertifierService(keys, policy, store, server);
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

  /** The service's store: serial numbers, issued certificates, audit log, revocations. */
  public ServiceStore store() {
    return store;
  }

  @Override
  public void close() throws IOException {
    // The listener first: requests in flight are still recorded before the store closes.
    try {
      server.close();
    } finally {
      store.close();
    }
  }
}
