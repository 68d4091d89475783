package org.certifier.service;

import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.certifier.claims.VersionedPolicy;
import org.certifier.crypto.CryptoProviders;
import org.certifier.evidence.EvidenceVerifier;
import org.certifier.evidence.VerificationException;
import org.certifier.service.audit.AuditLog;
import org.certifier.service.certify.Certifier;
import org.certifier.service.metrics.ServiceMetrics;
import org.certifier.service.operator.OperatorApi;
import org.certifier.service.operator.OperatorEndpoints;
import org.certifier.service.revocation.CrlPublisher;
import org.certifier.service.store.Database;
import org.certifier.service.store.JdbcServiceStore;
import org.certifier.service.store.Revocation;
import org.certifier.service.store.ServiceStore;
import org.certifier.service.tcp.CertifierTcpServer;
import org.certifier.verifiers.collateral.CollateralSource;
import org.certifier.verifiers.dcap.IntelRoots;
import org.certifier.verifiers.intel.GramineEvidenceVerifier;
import org.certifier.verifiers.intel.TdxEvidenceVerifier;
import org.certifier.verifiers.sevsnp.AmdRoots;
import org.certifier.verifiers.sevsnp.SevEvidenceVerifier;
import org.certifier.verifiers.sevsnp.SnpCrls;
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
   * @param certificateLifetime validity of issued admission certificates and platform rules; a
   *     versioned policy that sets a shorter lifetime shortens it while it is in force
   * @param logProfile how much the log says about refusals; production unless chosen
   * @param policyPollInterval how often to look for a newer policy in the file and the store
   * @param collateral where the TEE verifiers get vendor collateral (Intel TCB info, QE
   *     identity and CRLs; AMD CRLs); none by default, so Intel evidence fails with
   *     collateral-unavailable and AMD's CRLs are not checked
   */
  public record Config(Path policyKeyFile, Path policyCertFile, Path policyFile, String host,
      int port, Path stateDir, Optional<Database> database, Duration certificateLifetime,
      CertifierTcpServer.Limits limits, Clock clock, LogProfile logProfile,
      Duration policyPollInterval, CollateralSettings collateral) {
    /** How often each replica looks for a new policy by default (file and store). */
    public static final Duration DEFAULT_POLICY_POLL = Duration.ofSeconds(2);

    public Config {
      if (certificateLifetime.isNegative() || certificateLifetime.isZero()) {
        throw new IllegalArgumentException("certificate lifetime must be positive");
      }
      if (policyPollInterval.isNegative() || policyPollInterval.isZero()) {
        throw new IllegalArgumentException("the policy poll interval must be positive");
      }
      Objects.requireNonNull(collateral, "collateral");
    }

    /**
     * The defaults of the reference's simpleserver (localhost:8123, one-year certificates) and
     * the embedded database in {@code certifier-state}.
     */
    public static Config of(Path policyKeyFile, Path policyCertFile, Path policyFile) {
      return new Config(policyKeyFile, policyCertFile, policyFile, "localhost", 8123,
          Path.of("certifier-state"), Optional.empty(), Duration.ofDays(365),
          CertifierTcpServer.Limits.defaults(), Clock.systemUTC(), LogProfile.PRODUCTION,
          DEFAULT_POLICY_POLL, CollateralSettings.NONE);
    }

    public Config withAddress(String newHost, int newPort) {
      return new Config(policyKeyFile, policyCertFile, policyFile, newHost, newPort, stateDir,
          database, certificateLifetime, limits, clock, logProfile,
          policyPollInterval, collateral);
    }

    public Config withStateDir(Path dir) {
      return new Config(policyKeyFile, policyCertFile, policyFile, host, port, dir, database,
          certificateLifetime, limits, clock, logProfile,
          policyPollInterval, collateral);
    }

    /** A shared database (PostgreSQL) instead of the embedded one. */
    public Config withDatabase(Database shared) {
      return new Config(policyKeyFile, policyCertFile, policyFile, host, port, stateDir,
          Optional.of(shared), certificateLifetime, limits, clock, logProfile,
          policyPollInterval, collateral);
    }

    public Config withCertificateLifetime(Duration lifetime) {
      return new Config(policyKeyFile, policyCertFile, policyFile, host, port, stateDir,
          database, lifetime, limits, clock, logProfile,
          policyPollInterval, collateral);
    }

    public Config withClock(Clock newClock) {
      return new Config(policyKeyFile, policyCertFile, policyFile, host, port, stateDir,
          database, certificateLifetime, limits, newClock, logProfile,
          policyPollInterval, collateral);
    }

    public Config withLimits(CertifierTcpServer.Limits newLimits) {
      return new Config(policyKeyFile, policyCertFile, policyFile, host, port, stateDir,
          database, certificateLifetime, newLimits, clock, logProfile,
          policyPollInterval, collateral);
    }

    public Config withLogProfile(LogProfile profile) {
      return new Config(policyKeyFile, policyCertFile, policyFile, host, port, stateDir,
          database, certificateLifetime, limits, clock, profile,
          policyPollInterval, collateral);
    }

    /** How often to look for a new policy in the file and the store (default 2 s). */
    public Config withPolicyPollInterval(Duration interval) {
      return new Config(policyKeyFile, policyCertFile, policyFile, host, port, stateDir,
          database, certificateLifetime, limits, clock, logProfile, interval, collateral);
    }

    /** Where the TEE verifiers get vendor collateral. */
    public Config withCollateral(CollateralSettings settings) {
      return new Config(policyKeyFile, policyCertFile, policyFile, host, port, stateDir,
          database, certificateLifetime, limits, clock, logProfile, policyPollInterval,
          settings);
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
  private final ServiceMetrics metrics;
  private final Optional<OperatorApi> operatorApi;
  private final AuditLog auditLog;

  private CertifierService(DomainKeys keys, PolicyHolder policy, ServiceStore store,
      CertifierTcpServer server, ServiceMetrics metrics, Optional<OperatorApi> operatorApi,
      AuditLog auditLog) {
    this.keys = keys;
    this.policy = policy;
    this.store = store;
    this.server = server;
    this.metrics = metrics;
    this.operatorApi = operatorApi;
    this.auditLog = auditLog;
  }

  /**
   * Loads keys and policy, opens (and if need be migrates) the store, then listens; fails fast
   * on any unusable input, including a store that belongs to another domain.
   */
  public static CertifierService start(Config config) throws IOException, VerificationException {
    return start(config, Optional.empty());
  }

  /**
   * As {@link #start(Config)}, with the operator API on its own port if {@code operator} is
   * given (docs/operations.md, "Operator API").
   */
  public static CertifierService start(Config config, Optional<OperatorApi.Config> operator)
      throws IOException, VerificationException {
    CryptoProviders.install();
    List<EvidenceVerifier> verifiers = verifiers(config.collateral().source(config.clock()));
    DomainKeys keys = DomainKeys.load(config.policyKeyFile(), config.policyCertFile());
    Database database = config.effectiveDatabase();
    if (database.isEmbedded()) {
      Files.createDirectories(config.stateDir());
    }
    JdbcServiceStore store = JdbcServiceStore.open(database, keys.certificate(),
        JdbcServiceStore.DEFAULT_CONNECTIONS);
    PolicyHolder policy;
    ServiceMetrics metrics = new ServiceMetrics();
    AuditLog auditLog = AuditLog.signing(store, keys, config.clock());
    Certifier certifier;
    CertifierTcpServer server;
    Optional<OperatorApi> api = Optional.empty();
    try {
      policy = PolicyHolder.load(config.policyFile(), store, keys.publicKey(), config.clock());
    } catch (IOException | VerificationException | RuntimeException e) {
      store.close();
      throw e;
    }
    try {
      certifier = Certifier.underVersionedPolicy(keys, policy::current,
          verifiers, store,
          hex -> store.measurementRevocation(hex).map(Revocation::reason),
          config.clock(), config.certificateLifetime());
      policy.onChange(p -> announceLifetime(certifier, p));
      policy.pollEvery(config.policyPollInterval());
      if (operator.isPresent()) {
        CrlPublisher crl = new CrlPublisher(store, keys, config.clock(),
            operator.get().crlValidity());
        List<OperatorApi.Endpoint> endpoints = new OperatorEndpoints(store, keys, policy,
            metrics, crl, auditLog, config.clock()).all();
        api = Optional.of(OperatorApi.start(operator.get(), endpoints, config.clock(),
            metrics));
      }
      server = CertifierTcpServer.start(certifier, config.host(), config.port(),
          config.limits(), new DecisionRecorder(store, config.clock(), config.logProfile()),
          metrics);
    } catch (IOException | RuntimeException e) {
      api.ifPresent(OperatorApi::close);
      policy.close();
      store.close();
      throw e;
    }
    LOG.log(Level.INFO, "Certifier Service for {0} listening on {1}:{2,number,#} with {3};"
        + " state in {4} (schema version {5})",
        keys.certificate().getSubjectX500Principal(), config.host(), server.port(),
        policy.current(), database.redactedUrl(), store.metadata().schemaVersion());
    announceLifetime(certifier, policy.current());
    return new CertifierService(keys, policy, store, server, metrics, api, auditLog);
  }

  /** Says how long certificates issued under {@code policy} are valid, and why. */
  private static void announceLifetime(Certifier certifier, VersionedPolicy policy) {
    LOG.log(Level.INFO, "admission certificates and platform rules issued under policy version"
        + " {0,number,#} are valid for {1} ({2})", policy.version(),
        certifier.lifetimeUnder(policy),
        policy.certificateLifetime().map(l -> "the policy allows at most " + l)
            .orElse("the policy sets no lifetime"));
  }

  /**
   * Every verifier the service runs, with the vendors' embedded roots: the simulated enclave,
   * SEV-SNP (checking AMD's CRLs when there is a collateral source), Intel TDX and SGX under
   * Gramine (which fail with collateral-unavailable without one). Public so that the offline
   * {@code certifier verify request} decides with exactly the service's verifiers.
   */
  public static List<EvidenceVerifier> verifiers(Optional<CollateralSource> collateral)
      throws VerificationException {
    CollateralSource intel = collateral.orElse(CollateralSettings.UNCONFIGURED);
    return List.of(new VseVerifier(),
        new SevEvidenceVerifier(AmdRoots.embedded(),
            collateral.map(SnpCrls::from).orElse(SnpCrls.NONE)),
        new TdxEvidenceVerifier(IntelRoots.embedded(), intel),
        new GramineEvidenceVerifier(IntelRoots.embedded(), intel));
  }

  public int port() {
    return server.port();
  }

  /** The operator API's port, if it runs. */
  public java.util.OptionalInt operatorPort() {
    return operatorApi.map(a -> java.util.OptionalInt.of(a.port()))
        .orElse(java.util.OptionalInt.empty());
  }

  /** The service's counters, as {@code GET /v1/metrics} renders them. */
  public ServiceMetrics metrics() {
    return metrics;
  }

  public DomainKeys keys() {
    return keys;
  }

  /**
   * Looks for a newer policy now, in the file and the store (as the poller does every
   * {@link Config#policyPollInterval()}); true if one is now in force.
   */
  public boolean reloadPolicy() {
    return policy.refresh();
  }

  /** The policy in force, its version and where it came from. */
  public PolicyHolder policy() {
    return policy;
  }

  /** The service's store: serial numbers, issued certificates, audit log, revocations. */
  public ServiceStore store() {
    return store;
  }

  /** The audit log as a Merkle tree: signed tree heads, inclusion and consistency proofs. */
  public AuditLog auditLog() {
    return auditLog;
  }

  @Override
  public void close() throws IOException {
    // The listeners first: requests in flight are still recorded before the store closes.
    try {
      operatorApi.ifPresent(OperatorApi::close);
      server.close();
    } finally {
      policy.close();
      store.close();
    }
  }
}
