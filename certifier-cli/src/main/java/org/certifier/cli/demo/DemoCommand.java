package org.certifier.cli.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.certifier.cli.CommandFailure;
import org.certifier.cli.ExitCodes;
import org.certifier.cli.domain.DomainFiles;
import org.certifier.cli.domain.DomainLayout;
import org.certifier.client.TrustManager;
import org.certifier.client.TrustManagerException;
import org.certifier.client.channel.SecureChannel;
import org.certifier.client.channel.SecureChannelServer;
import org.certifier.client.enclave.EnclaveException;
import org.certifier.client.enclave.SimulatedEnclave;
import org.certifier.crypto.KeyAlgorithm;
import org.certifier.evidence.VerificationException;
import org.certifier.files.AtomicFiles;
import org.certifier.policy.Verb;
import org.certifier.proto.key_message;
import org.certifier.proto.signed_claim_message;
import org.certifier.service.CertifierService;
import org.certifier.service.LogProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code certifier demo}: the whole story on the embedded defaults, in a temporary directory on
 * loopback: create a domain, sign its policy, start the Certifier Service, certify a client and
 * a server program in simulated enclaves, show that an unknown program is refused, and exchange
 * messages over the secure channel.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run the whole flow on the simulated enclave, on loopback, in a temporary"
        + " directory that is removed afterwards: domain, policy, service, two certified"
        + " programs, a refused one, and a secure-channel exchange."})
public final class DemoCommand implements Runnable {
  private static final String DOMAIN = "demo-domain";
  private static final String CLIENT_MESSAGE = "Hi from your secret client\n";
  private static final String SERVER_MESSAGE = "Hi from your secret server\n";

  @Spec
  CommandSpec spec;

  @Option(names = "--keep", description = "Keep the temporary directory and print its path.")
  boolean keep;

  private PrintWriter out;
  private int stepNumber;

  @Override
  public void run() {
    out = spec.commandLine().getOut();
    Path work;
    try {
      work = Files.createTempDirectory("certifier-demo-");
    } catch (IOException e) {
      throw new CommandFailure(ExitCodes.IO, "cannot create a temporary directory", e);
    }
    // The service's decisions appear in the story as indented lines instead of raw log records.
    java.util.logging.Logger serviceLog = java.util.logging.Logger.getLogger("org.certifier.service");
    java.util.logging.Handler narrator = new java.util.logging.Handler() {
      private final java.util.logging.SimpleFormatter formatter =
          new java.util.logging.SimpleFormatter();

      @Override
      public void publish(java.util.logging.LogRecord r) {
        detail("service: " + formatter.formatMessage(r));
      }

      @Override
      public void flush() {
        out.flush();
      }

      @Override
      public void close() {}
    };
    boolean useParent = serviceLog.getUseParentHandlers();
    serviceLog.setUseParentHandlers(false);
    serviceLog.addHandler(narrator);
    // Schema migration chatter of the embedded database is not part of the story.
    java.util.logging.Logger migrations = java.util.logging.Logger.getLogger("org.flywaydb");
    java.util.logging.Level migrationLevel = migrations.getLevel();
    migrations.setLevel(java.util.logging.Level.WARNING);
    try {
      story(work);
    } catch (IOException e) {
      throw new CommandFailure(ExitCodes.IO, e.getMessage(), e);
    } catch (GeneralSecurityException | VerificationException | EnclaveException e) {
      throw new CommandFailure(ExitCodes.BAD_INPUT, e.getMessage(), e);
    } catch (TrustManagerException e) {
      throw new CommandFailure(ExitCodes.REJECTED, e.getMessage(), e);
    } finally {
      serviceLog.removeHandler(narrator);
      serviceLog.setUseParentHandlers(useParent);
      migrations.setLevel(migrationLevel);
      if (keep) {
        out.println("kept " + work);
      } else {
        deleteTree(work);
      }
      out.flush();
    }
  }

  private void story(Path work) throws IOException, GeneralSecurityException,
      VerificationException, EnclaveException, TrustManagerException {
    Instant now = Instant.now();
    DomainLayout domain = new DomainLayout(work.resolve("domain"), DOMAIN);
    Files.createDirectories(domain.dir());

    step("Create the security domain \"" + DOMAIN + "\"");
    key_message policyKey = DomainFiles.createPolicyKey(KeyAlgorithm.RSA_2048, "policyKey",
        DOMAIN + "/policyAuthority", domain.policyKey(), domain.policyCert(), now);
    X509Certificate policyCert = DomainFiles.readCertificate(domain.policyCert());
    detail("policy key (RSA-2048) and self-signed certificate: "
        + policyCert.getSubjectX500Principal());

    step("Provision the simulated platform");
    key_message platformKey = DomainFiles.createKey(KeyAlgorithm.RSA_2048, "platformKey",
        domain.platformKey());
    key_message attestKey = DomainFiles.createKey(KeyAlgorithm.RSA_2048, "attestKey",
        domain.attestKey());
    signed_claim_message endorsement = DomainFiles.keyStatement(platformKey, attestKey,
        Verb.IS_TRUSTED_FOR_ATTESTATION, now, Duration.ofDays(375));
    AtomicFiles.write(domain.endorsement(), endorsement.toByteArray());
    detail("platformKey says attestKey is-trusted-for-attestation (signed by the platform)");

    step("Measure the program and write the signed policy");
    Path program = work.resolve("secure-app.bin");
    Files.writeString(program, "the program that client and server both run\n");
    byte[] measurement = DomainFiles.measure(List.of(program));
    DomainFiles.writePolicy(List.of(
        DomainFiles.keyStatement(policyKey, platformKey, Verb.IS_TRUSTED_FOR_ATTESTATION, now,
            Duration.ofDays(375)),
        DomainFiles.measurementStatement(policyKey, measurement, now, Duration.ofDays(375))),
        domain.policy());
    detail("policyKey says platformKey is-trusted-for-attestation");
    detail("policyKey says Measurement[" + HexFormat.of().formatHex(measurement)
        + "] is-trusted");

    step("Start the Certifier Service on loopback");
    CertifierService.Config config = CertifierService.Config
        .of(domain.policyKey(), domain.policyCert(), domain.policy())
        .withAddress("127.0.0.1", 0)
        .withStateDir(work.resolve("service-state"))
        // The demo shows why a program is refused; a production service logs codes only.
        .withLogProfile(LogProfile.DEVELOPMENT);
    try (CertifierService service = CertifierService.start(config)) {

      step("Certify the server program (simulated enclave)");
      TrustManager server = certify(work.resolve("server"), domain, measurement, policyCert,
          service.port());
      step("Certify the client program (simulated enclave)");
      TrustManager client = certify(work.resolve("client"), domain, measurement, policyCert,
          service.port());

      step("A program the policy does not trust asks to be certified");
      byte[] unknown = DomainFiles.measure(List.of(domain.policy()));
      TrustManager stranger = trustManager(work.resolve("stranger"), domain, unknown);
      stranger.initializeKeys("rsa-2048", "aes-256-cbc-hmac-sha256", false);
      stranger.addDomain(DOMAIN, policyCert, "127.0.0.1", service.port());
      try {
        stranger.certify(DOMAIN);
        throw new CommandFailure(ExitCodes.INTERNAL, "an untrusted program was certified");
      } catch (TrustManagerException e) {
        detail("refused as expected: " + e.failure().map(f -> f.code()).orElse(e.getMessage()));
      }

      step("Exchange messages over the secure channel (mutual TLS, policy cert as anchor)");
      exchange(client, server);
    }
    step("Done: the service stopped; the temporary directory is "
        + (keep ? "kept" : "removed"));
  }

  private TrustManager certify(Path dataDir, DomainLayout domain, byte[] measurement,
      X509Certificate policyCert, int port)
      throws IOException, EnclaveException, TrustManagerException {
    TrustManager tm = trustManager(dataDir, domain, measurement);
    tm.initializeKeys("rsa-2048", "aes-256-cbc-hmac-sha256", false);
    tm.addDomain(DOMAIN, policyCert, "127.0.0.1", port);
    X509Certificate cert = tm.certify(DOMAIN);
    detail("admission certificate: " + cert.getSubjectX500Principal().getName()
        + ", serial " + cert.getSerialNumber());
    detail("issued by " + cert.getIssuerX500Principal().getName() + ", valid until "
        + cert.getNotAfter().toInstant());
    return tm;
  }

  private static TrustManager trustManager(Path dataDir, DomainLayout domain, byte[] measurement)
      throws IOException, EnclaveException, TrustManagerException {
    Files.createDirectories(dataDir);
    Files.copy(domain.attestKey(), dataDir.resolve(SimulatedEnclave.ATTEST_KEY_FILE));
    Files.copy(domain.endorsement(), dataDir.resolve(SimulatedEnclave.ENDORSEMENT_FILE));
    Files.write(dataDir.resolve(SimulatedEnclave.MEASUREMENT_FILE), measurement);
    SimulatedEnclave enclave = SimulatedEnclave.fromDirectory(dataDir, Clock.systemUTC());
    return TrustManager.open(enclave, dataDir.resolve("policy_store." + DOMAIN));
  }

  private void exchange(TrustManager client, TrustManager server)
      throws IOException, TrustManagerException {
    try (SecureChannelServer listener = server.listen(DOMAIN, "127.0.0.1", 0)) {
      CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
        try (SecureChannel ch = listener.accept()) {
          String got = new String(ch.read(), StandardCharsets.UTF_8);
          ch.write(SERVER_MESSAGE.getBytes(StandardCharsets.UTF_8));
          return "server got \"" + got.strip() + "\" from " + ch.peerId();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      String clientSide;
      try (SecureChannel ch = client.connect(DOMAIN, "127.0.0.1", listener.port())) {
        ch.write(CLIENT_MESSAGE.getBytes(StandardCharsets.UTF_8));
        String reply = new String(ch.read(), StandardCharsets.UTF_8);
        clientSide = "client got \"" + reply.strip() + "\" from " + ch.peerId() + " over "
            + ch.protocol();
      }
      // The server finishes closing once the client has closed its end (TLS close_notify).
      try {
        detail(served.get(30, TimeUnit.SECONDS));
        detail(clientSide);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      } catch (ExecutionException e) {
        throw new IOException("the server side of the channel failed: " + e.getCause(), e);
      } catch (TimeoutException e) {
        throw new IOException("the server side of the channel did not answer in time", e);
      }
    }
  }

  private void step(String text) {
    out.printf("%n[%d] %s%n", ++stepNumber, text);
    out.flush();
  }

  private void detail(String text) {
    out.println("    " + text);
    out.flush();
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary directory is harmless
    }
  }
}
