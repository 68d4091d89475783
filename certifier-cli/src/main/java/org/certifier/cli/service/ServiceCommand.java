package org.certifier.cli.service;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.certifier.cli.CommandFailure;
import org.certifier.cli.ExitCodes;
import org.certifier.evidence.VerificationException;
import org.certifier.service.CertifierService;
import org.certifier.service.LogProfile;
import org.certifier.service.operator.OperatorApi;
import org.certifier.service.store.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code certifier service}: run the Certifier Service until stopped. */
@Command(name = "service", mixinStandardHelpOptions = true,
    description = {"Run the Certifier Service on the reference's TCP protocol. Accepts the"
        + " reference's files: policy key (key_message), policy certificate (DER or PEM) and"
        + " signed policy (signed_claim_sequence / package_claims output, or a versioned policy"
        + " from policy sign). Every few seconds the service looks for a newer policy in the"
        + " file and in the store (policy publish) and switches to the newest version that"
        + " verifies; an invalid or lower version is refused and the policy in force kept.",
        "State (serial numbers, issued certificates, the audit log, revocations) is kept in an"
            + " embedded database in --state-dir, or with --database-url in a PostgreSQL"
            + " database that several replicas share; the schema is created or upgraded at"
            + " start. The database user and password are read from the environment variables"
            + " " + ServiceCommand.USER_VARIABLE + " and " + ServiceCommand.PASSWORD_VARIABLE
            + ", never from the command line.",
        "With --operator-port, the operator API (HTTP/JSON: health, info, policy, certificates,"
            + " revocations, CRL, audit log, metrics) listens on its own port: HTTPS with"
            + " --operator-tls-key/--operator-tls-cert, operators authenticated by a client"
            + " certificate from --operator-ca or the token whose SHA-256 is in"
            + " --operator-token-sha256-file. Plain HTTP only on loopback and with a token.",
        "Vendor collateral for SEV-SNP, TDX and SGX evidence (Intel TCB info, QE identity and"
            + " CRLs, AMD CRLs) comes from --collateral-dir (a bundle directory, for air-gapped"
            + " sites) and/or, with --collateral-fetch, from AMD KDS and Intel PCS through a"
            + " cache; --collateral-url-* point at mirrors (e.g. an Intel PCCS). Without any,"
            + " TDX and SGX evidence is refused with collateral-unavailable and AMD's CRLs are"
            + " not checked.",
        "Prints \"listening on HOST:PORT\" once ready. Stops on SIGTERM/SIGINT."})
public final class ServiceCommand implements Runnable {
  public static final String USER_VARIABLE = "CERTIFIER_DB_USER";
  public static final String PASSWORD_VARIABLE = "CERTIFIER_DB_PASSWORD";
  private static final long DEFAULT_DAYS = 365;
  /** Held here: java.util.logging keeps loggers weakly, and with them the level set below. */
  private static final java.util.logging.Logger ADMISSIONS_LOG =
      java.util.logging.Logger.getLogger(LogProfile.ADMISSIONS_LOGGER);

  @Spec
  CommandSpec spec;

  @Option(names = {"--policy-key-file", "--policy_key_file"}, required = true,
      description = "The domain's private policy key (key_message).")
  Path policyKeyFile;

  @Option(names = {"--policy-cert-file", "--policy_cert_file"}, required = true,
      description = "The domain's policy certificate.")
  Path policyCertFile;

  @Option(names = {"--policy-file", "--policyFile"}, required = true,
      description = "The signed policy.")
  Path policyFile;

  @Option(names = "--host", defaultValue = "localhost",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "8123",
      description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--state-dir", defaultValue = "certifier-state",
      description = "Where the embedded database lives when no --database-url is given"
          + " (default: ${DEFAULT-VALUE}).")
  Path stateDir;

  @Option(names = "--database-url", paramLabel = "JDBC-URL",
      description = "A shared database instead of the embedded one, e.g."
          + " jdbc:postgresql://db.example:5432/certifier (credentials from "
          + USER_VARIABLE + " / " + PASSWORD_VARIABLE + "; a password in the URL is refused).")
  String databaseUrl;

  @Option(names = "--certificate-days", paramLabel = "DAYS",
      description = "Lifetime of admission certificates in days (default: 365).")
  Long certificateDays;

  @Option(names = "--certificate-lifetime", paramLabel = "DURATION",
      description = "Lifetime of admission certificates as an ISO-8601 duration, e.g. PT10M or"
          + " P30D; short lifetimes are renewed by the client library by itself. Use either"
          + " this or --certificate-days.")
  Duration certificateLifetime;

  @Option(names = "--policy-poll-seconds", defaultValue = "2",
      description = "How often to look for a newer policy in the file and the store"
          + " (default: ${DEFAULT-VALUE}).")
  long policyPollSeconds;

  @Option(names = "--log-profile", defaultValue = "PRODUCTION",
      description = "PRODUCTION logs refusals with their failure code only (the log leaves the"
          + " TEE); DEVELOPMENT adds the explanation (default: ${DEFAULT-VALUE}).")
  LogProfile logProfile;

  @Option(names = "--log-admissions",
      description = "Log one line per admission too, not only per refusal (every decision is"
          + " in the audit log either way; the line costs throughput on a busy service).")
  boolean logAdmissions;

  @Option(names = "--operator-port", paramLabel = "PORT",
      description = "Run the operator API on this port (0 picks a free one); off unless given.")
  Integer operatorPort;

  @Option(names = "--operator-host", defaultValue = "localhost",
      description = "Address of the operator API (default: ${DEFAULT-VALUE}).")
  String operatorHost;

  @Option(names = "--operator-token-sha256-file", paramLabel = "FILE",
      description = "The SHA-256 (hex) of the operator token, from `certifier operator token`;"
          + " never the token itself.")
  Path operatorTokenDigest;

  @Option(names = "--operator-ca", paramLabel = "PEM",
      description = "The CA whose client certificates are operators (needs TLS).")
  Path operatorCa;

  @Option(names = "--operator-tls-key", paramLabel = "PEM",
      description = "The operator API's TLS private key (PEM), with --operator-tls-cert.")
  Path operatorTlsKey;

  @Option(names = "--operator-tls-cert", paramLabel = "PEM",
      description = "The operator API's TLS certificate chain (PEM).")
  Path operatorTlsCert;

  @Option(names = "--crl-validity-minutes", defaultValue = "60",
      description = "Time from a CRL's thisUpdate to its nextUpdate; a new CRL is signed after"
          + " half of it, or at once when revocations change (default: ${DEFAULT-VALUE}).")
  long crlValidityMinutes;

  @Mixin
  CollateralOptions collateral;

  @Override
  public void run() {
    configureLogging();
    CertifierService.Config config = config();
    CertifierService service;
    try {
      service = CertifierService.start(config, operatorConfig());
    } catch (VerificationException e) {
      throw new CommandFailure(ExitCodes.BAD_INPUT, "policy refused: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new CommandFailure(ExitCodes.IO, e.getMessage(), e);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        service.close();
      } catch (IOException e) {
        // the process is ending; nothing to recover
      }
      stopped.countDown();
    }));
    spec.commandLine().getOut().println("listening on " + host + ":" + service.port());
    service.operatorPort().ifPresent(p -> spec.commandLine().getOut().println(
        "operator API on " + operatorHost + ":" + p));
    spec.commandLine().getOut().flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The operator API's settings, if it is to run. */
  private Optional<OperatorApi.Config> operatorConfig() {
    if (operatorPort == null) {
      if (operatorTokenDigest != null || operatorCa != null || operatorTlsKey != null
          || operatorTlsCert != null) {
        throw new CommandFailure(ExitCodes.USAGE, "the --operator-* options need"
            + " --operator-port");
      }
      return Optional.empty();
    }
    try {
      OperatorApi.Config api = OperatorApi.Config.on(operatorHost, operatorPort)
          .withCrlValidity(Duration.ofMinutes(crlValidityMinutes));
      if (operatorTokenDigest != null) {
        api = api.withToken(operatorTokenDigest);
      }
      if (operatorCa != null) {
        api = api.withOperatorCa(operatorCa);
      }
      if (operatorTlsKey != null || operatorTlsCert != null) {
        if (operatorTlsKey == null || operatorTlsCert == null) {
          throw new CommandFailure(ExitCodes.USAGE, "--operator-tls-key and"
              + " --operator-tls-cert go together");
        }
        api = api.withTls(operatorTlsKey, operatorTlsCert);
      }
      return Optional.of(api);
    } catch (IllegalArgumentException e) {
      throw new CommandFailure(ExitCodes.USAGE, e.getMessage(), e);
    }
  }

  /** One line per admission only if asked for; refusals are always logged. */
  void configureLogging() {
    ADMISSIONS_LOG.setLevel(logAdmissions ? java.util.logging.Level.INFO
        : java.util.logging.Level.WARNING);
  }

  /** The service's configuration from the options; usage errors are thrown here. */
  CertifierService.Config config() {
    CertifierService.Config config = CertifierService.Config
        .of(policyKeyFile, policyCertFile, policyFile)
        .withAddress(host, port)
        .withStateDir(stateDir)
        .withCertificateLifetime(lifetime())
        .withLogProfile(logProfile);
    try {
      config = config.withPolicyPollInterval(Duration.ofSeconds(policyPollSeconds));
    } catch (IllegalArgumentException e) {
      throw new CommandFailure(ExitCodes.USAGE, "--policy-poll-seconds: " + e.getMessage(), e);
    }
    config = config.withCollateral(collateral.settings());
    return databaseUrl == null ? config : config.withDatabase(database(databaseUrl));
  }

  private Duration lifetime() {
    if (certificateDays != null && certificateLifetime != null) {
      throw new CommandFailure(ExitCodes.USAGE,
          "give --certificate-days or --certificate-lifetime, not both");
    }
    Duration lifetime = certificateLifetime != null ? certificateLifetime
        : Duration.ofDays(certificateDays != null ? certificateDays : DEFAULT_DAYS);
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw new CommandFailure(ExitCodes.USAGE, "the certificate lifetime must be positive");
    }
    return lifetime;
  }

  /**
   * The shared database, with credentials from the environment only; also for other commands
   * that open the service's store (policy publish, audit).
   */
  public static Database database(String url) {
    // Command lines are visible to every local user (ps, /proc): a secret there is leaked
    // (password=, sslpassword=, ...).
    if (url.toLowerCase(Locale.ROOT).contains("password=")) {
      throw new CommandFailure(ExitCodes.USAGE, "--database-url must not carry a password;"
          + " set " + PASSWORD_VARIABLE + " instead");
    }
    String user = System.getenv(USER_VARIABLE);
    String password = System.getenv(PASSWORD_VARIABLE);
    try {
      return new Database(url, user == null ? "" : user, password == null ? "" : password);
    } catch (IllegalArgumentException e) {
      throw new CommandFailure(ExitCodes.USAGE, e.getMessage(), e);
    }
  }
}
