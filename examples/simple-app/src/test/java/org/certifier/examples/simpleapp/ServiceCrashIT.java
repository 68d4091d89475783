package org.certifier.examples.simpleapp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.certifier.client.CertifierConnection;
import org.certifier.client.TrustRequests;
import org.certifier.client.enclave.SimulatedEnclave;
import org.certifier.crypto.Certificates;
import org.certifier.crypto.KeyAlgorithm;
import org.certifier.crypto.KeyMessages;
import org.certifier.crypto.Randomness;
import org.certifier.proto.key_message;
import org.certifier.proto.signed_claim_message;
import org.certifier.proto.trust_request_message;
import org.certifier.proto.trust_response_message;
import org.certifier.protocol.Messages;
import org.certifier.service.DomainKeys;
import org.certifier.service.audit.AuditExport;
import org.certifier.service.audit.AuditLog;
import org.certifier.service.audit.AuditVerifier;
import org.certifier.service.store.AuditEntry;
import org.certifier.service.store.Database;
import org.certifier.service.store.DecisionRecord;
import org.certifier.service.store.IssuedCertificate;
import org.certifier.service.store.JdbcServiceStore;
import org.certifier.service.store.ServiceStore;
import org.certifier.transparency.SignedTreeHead;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Certifier Service as real processes under concurrent load, one of them killed with SIGKILL
 * mid-load and restarted: three replicas sharing one PostgreSQL, and one process on the embedded
 * database. Afterwards every certificate a client received is in the issuance log, byte for
 * byte; no serial number repeats; and every answer a client saw, admission or rejection, has its
 * audit entry (matched by the SHA-256 of the request), in a log numbered without gaps whose rows
 * all match their hashes. Fresh requests come from simulated enclaves of a freshly provisioned
 * domain; every tenth is for a program the policy does not trust.
 */
class ServiceCrashIT {
  private static final String DOMAIN = "crash-domain";
  private static final long WAIT_SECONDS = 120;
  /** Bounded load: CI runs everything on 2 cores. */
  private static final int CLIENTS = 6;
  private static final int ANSWERS_WANTED = 300;
  private static final int MAX_REQUESTS = 1200;
  private static final Duration LOAD_DEADLINE = Duration.ofSeconds(60);
  /** Answers the restarted process must give, so the restart is proven, not assumed. */
  private static final int ANSWERS_AFTER_RESTART = 20;

  @TempDir
  Path dir;

  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void killAll() {
    started.forEach(Process::destroyForcibly);
  }

  @Test
  void threeReplicasOnOnePostgresLoseNothingWhenOneIsKilled() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      try (Connection c = postgres.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE ROLE certifier LOGIN PASSWORD 'replica-secret'");
        s.execute("CREATE DATABASE certifier OWNER certifier");
      }
      Database database = new Database("jdbc:postgresql://127.0.0.1:" + postgres.getPort()
          + "/certifier", "certifier", "replica-secret");
      Domain domain = provision();
      List<Service> replicas = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        replicas.add(startService(domain, Optional.of(database), 0));
      }
      Load load = new Load(domain, replicas.stream().map(Service::port).toList());
      Load.Result result = load.runKillingAndRestarting(1,
          () -> startService(domain, Optional.of(database), replicas.get(1).port()),
          replicas.get(1));
      for (Service replica : replicas) {
        replica.stop();
      }
      result.restarted().stop();

      try (JdbcServiceStore store = JdbcServiceStore.open(database, domain.certificate(), 2)) {
        verify(store, result, domain);
      }
    }
  }

  @Test
  void theEmbeddedDatabaseLosesNothingWhenTheServiceIsKilled() throws Exception {
    Domain domain = provision();
    Service service = startService(domain, Optional.empty(), 0);
    Load load = new Load(domain, List.of(service.port()));
    Load.Result result = load.runKillingAndRestarting(0,
        () -> startService(domain, Optional.empty(), service.port()), service);
    result.restarted().stop();

    // The embedded database belongs to one process at a time: read it once the service is gone.
    try (JdbcServiceStore store = JdbcServiceStore.open(
        Database.embedded(dir.resolve("service-state")), domain.certificate(), 2)) {
      verify(store, result, domain);
    }
  }

  private static void verify(ServiceStore store, Load.Result result, Domain domain)
      throws Exception {
    List<Answer> answers = result.answers();
    assertTrue(answers.size() >= ANSWERS_WANTED, answers.size() + " answers");
    assertTrue(result.lostConnections() > 0 || result.refusedConnections() > 0,
        "the kill happened while clients were talking to the process");

    Set<BigInteger> serials = new HashSet<>();
    int certificates = 0;
    for (Answer answer : answers) {
      if (answer.certificate().isEmpty()) {
        continue;
      }
      X509Certificate cert = Certificates.parseDer(answer.certificate().get());
      assertTrue(serials.add(cert.getSerialNumber()), "serial " + cert.getSerialNumber()
          + " was issued twice");
      IssuedCertificate recorded = store.certificate(cert.getSerialNumber()).orElseThrow(
          () -> new AssertionError("certificate " + cert.getSerialNumber()
              + " reached a client but is not in the issuance log"));
      assertArrayEquals(answer.certificate().get(), recorded.certificate());
      certificates++;
    }
    assertTrue(certificates > ANSWERS_WANTED / 2, certificates + " certificates");

    long size = store.auditSize();
    List<AuditEntry> log = new ArrayList<>();
    while (log.size() < size) {
      List<AuditEntry> page = store.auditLog(log.size(), 500);
      assertTrue(!page.isEmpty(), "the log has as many entries as its head says");
      log.addAll(page); // every row is checked against its leaf hash as it is read
    }
    Map<String, List<DecisionRecord>> byEvidence = new HashMap<>();
    for (int i = 0; i < log.size(); i++) {
      assertEquals(i, log.get(i).seq(), "the audit log is numbered without gaps");
      DecisionRecord d = log.get(i).decision();
      byEvidence.computeIfAbsent(d.evidenceSha256().orElseThrow(), k -> new ArrayList<>())
          .add(d);
    }
    for (Answer answer : answers) {
      List<DecisionRecord> candidates = byEvidence.getOrDefault(answer.requestSha256(),
          new ArrayList<>());
      Optional<DecisionRecord> match = candidates.stream()
          .filter(answer::isAnswerTo)
          .findFirst();
      assertTrue(match.isPresent(), "no audit entry for the answer " + answer);
      candidates.remove(match.get());
    }
    assertTrue(log.size() >= answers.size());

    // The audit log verifies as an auditor would check it: a tree head signed by the domain,
    // then every exported entry recomputed into that head's root, offline.
    AuditLog audit = AuditLog.signing(store, DomainKeys.load(
        domain.dir().resolve("policy_key_file." + DOMAIN),
        domain.dir().resolve("policy_cert_file." + DOMAIN)), Clock.systemUTC());
    SignedTreeHead head = audit.currentTreeHead();
    assertEquals(log.size(), head.treeSize());
    StringWriter exported = new StringWriter();
    audit.export(0, head.treeSize(), exported);
    AuditVerifier.verifyLog(new AuditExport.In(new BufferedReader(new StringReader(
        exported.toString())), "export"), List.of(head), domain.certificate().getPublicKey());
    System.out.printf("ServiceCrashIT: %d answers seen (%d certificates), %d connections cut by"
        + " the kill, %d refused while down (%d ms from kill to listening again), %d audit"
        + " entries%n", answers.size(), certificates, result.lostConnections(),
        result.refusedConnections(), result.downFor().toMillis(), log.size());
    assertTrue(answers.stream().anyMatch(a -> "unknown-measurement".equals(a.failureCode())),
        "rejections were exercised too");
  }

  /** What one client saw: a certificate or a failure code, for a request with this digest. */
  private record Answer(String requestSha256, Optional<byte[]> certificate, String failureCode,
      int port, Instant at) {
    boolean isAnswerTo(DecisionRecord d) {
      if (certificate.isPresent()) {
        return d.admitted() && d.artifactSha256().equals(Optional.of(sha256(certificate.get())));
      }
      return d.failureCode().equals(Optional.of(failureCode));
    }

    @Override
    public String toString() {
      return (certificate.isPresent() ? "certificate" : failureCode) + " for request "
          + requestSha256 + " from port " + port + " at " + at;
    }
  }

  /** Clients sending fresh trust requests to the service's ports, as a load balancer would. */
  private final class Load {
    private final Domain domain;
    private final List<Integer> ports;
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    /** Requests that reached a process. */
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final List<key_message> authKeys = new ArrayList<>();
    private volatile Instant restartedAt = Instant.MAX;
    private volatile Duration downFor = Duration.ZERO;

    record Result(List<Answer> answers, long lostConnections, long refusedConnections,
        Duration downFor, Service restarted) {}

    Load(Domain domain, List<Integer> ports) throws Exception {
      this.domain = domain;
      this.ports = ports;
      for (int i = 0; i < CLIENTS; i++) {
        KeyPair pair = KeyMessages.generate(KeyAlgorithm.RSA_2048, Randomness.secureRandom());
        authKeys.add(KeyMessages.publicPart(KeyMessages.fromKeyPair(pair, "auth-key")));
      }
    }

    /**
     * Runs the clients; once a third of the answers are in, kills the process behind
     * {@code ports.get(victim)} with SIGKILL and restarts it on the same port, and goes on
     * until the restarted process has answered too.
     */
    Result runKillingAndRestarting(int victim, ServiceStarter restart, Service victimService)
        throws Exception {
      int victimPort = ports.get(victim);
      Instant deadline = Instant.now().plus(LOAD_DEADLINE);
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      try {
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
          key_message authKey = authKeys.get(i);
          running.add(clients.submit(() -> {
            client(authKey, victimPort, deadline);
            return null;
          }));
        }
        while (answers.size() < ANSWERS_WANTED / 3) {
          assertTrue(Instant.now().isBefore(deadline), "no load: " + answers.size());
          Thread.sleep(10);
        }
        victimService.process().destroyForcibly();
        assertTrue(victimService.process().waitFor(WAIT_SECONDS, TimeUnit.SECONDS));
        Instant killedAt = Instant.now();
        Service restarted = restart.start();
        restartedAt = Instant.now();
        downFor = Duration.between(killedAt, restartedAt);
        for (Future<?> f : running) {
          f.get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
        return new Result(List.copyOf(answers), lost.get(), refused.get(), downFor, restarted);
      } finally {
        clients.shutdownNow();
      }
    }

    private boolean enough(int victimPort) {
      long afterRestart = answers.stream()
          .filter(a -> a.port() == victimPort && a.at().isAfter(restartedAt)).count();
      return answers.size() >= ANSWERS_WANTED && afterRestart >= ANSWERS_AFTER_RESTART;
    }

    private void client(key_message authKey, int victimPort, Instant deadline)
        throws Exception {
      while (!enough(victimPort) && Instant.now().isBefore(deadline)
          && requests.get() < MAX_REQUESTS) {
        int n = next.getAndIncrement();
        SimulatedEnclave enclave = n % 10 == 0 ? domain.stranger() : domain.member();
        trust_request_message request = TrustRequests.build(enclave, authKey,
            "authentication", Instant.now());
        int port = ports.get(Math.floorMod(n, ports.size()));
        trust_response_message response;
        try {
          response = CertifierConnection.exchange("127.0.0.1", port, request,
              Duration.ofSeconds(20));
        } catch (java.net.ConnectException e) {
          // The process is down: the balancer tries the next one, after a pause while there is
          // only one. Bounded by the deadline, not counted as a request: nothing was sent.
          refused.incrementAndGet();
          Thread.sleep(20);
          continue;
        } catch (IOException e) {
          requests.incrementAndGet();
          lost.incrementAndGet(); // the process died mid-request: no answer was seen
          continue;
        }
        requests.incrementAndGet();
        String digest = sha256(request.toByteArray());
        if ("succeeded".equals(response.getStatus())) {
          answers.add(new Answer(digest, Optional.of(response.getArtifact().toByteArray()), "",
              port, Instant.now()));
        } else {
          answers.add(new Answer(digest, Optional.empty(), response.getFailureCode(), port,
              Instant.now()));
        }
      }
    }
  }

  private interface ServiceStarter {
    Service start() throws Exception;
  }

  /** A provisioned domain and the simulated enclaves that ask to be certified in it. */
  private record Domain(Path dir, X509Certificate certificate, SimulatedEnclave member,
      SimulatedEnclave stranger) {}

  private Domain provision() throws Exception {
    Path domainDir = dir.resolve("domain");
    Path program = dir.resolve("program.bin");
    Files.writeString(program, "the program the policy trusts\n");
    Path measurement = domainDir.resolve("program.measurement");
    cli("domain", "create", "--dir", domainDir.toString(), "--domain", DOMAIN);
    cli("domain", "measure", program.toString(), "--output", measurement.toString());
    cli("domain", "trust", "--dir", domainDir.toString(), "--domain", DOMAIN,
        "--measurement-file", measurement.toString());
    key_message attestKey = Messages.parse(key_message.parser(),
        Files.readAllBytes(domainDir.resolve("attest_key_file.bin")), "attest key");
    signed_claim_message endorsement = Messages.parse(signed_claim_message.parser(),
        Files.readAllBytes(domainDir.resolve("platform_attest_endorsement.bin")),
        "endorsement");
    SimulatedEnclave member = SimulatedEnclave.of(attestKey, Files.readAllBytes(measurement),
        endorsement, Clock.systemUTC());
    SimulatedEnclave stranger = SimulatedEnclave.of(attestKey,
        MessageDigest.getInstance("SHA-256").digest(new byte[] {7}), endorsement,
        Clock.systemUTC());
    X509Certificate cert = Certificates.parseDer(
        Files.readAllBytes(domainDir.resolve("policy_cert_file." + DOMAIN)));
    return new Domain(domainDir, cert, member, stranger);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Service startService(Domain domain, Optional<Database> database, int port)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of(java(), "-jar",
        System.getProperty("certifier.cli.jar"), "service",
        "--policy-key-file", domain.dir().resolve("policy_key_file." + DOMAIN).toString(),
        "--policy-cert-file", domain.dir().resolve("policy_cert_file." + DOMAIN).toString(),
        "--policy-file", domain.dir().resolve("policy.bin").toString(),
        "--host", "127.0.0.1", "--port", Integer.toString(port),
        "--state-dir", dir.resolve("service-state").toString()));
    ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true);
    database.ifPresent(db -> {
      cmd.addAll(List.of("--database-url", db.url()));
      builder.command(cmd);
      // Credentials travel in the environment, as in production, never on the command line.
      builder.environment().put("CERTIFIER_DB_USER", db.user());
      builder.environment().put("CERTIFIER_DB_PASSWORD", db.password());
    });
    ProcessOutput output = ProcessOutput.start(builder);
    started.add(output.process());
    Service service = new Service(output);
    int listening = service.awaitPort();
    assertTrue(port == 0 || listening == port, "restarted on its port");
    return service;
  }

  /** A running `certifier service` process whose output is collected as it comes. */
  private static final class Service {
    private static final Pattern LISTENING = Pattern.compile("listening on [^:]+:(\\d+)");
    private final ProcessOutput output;
    private final Process process;
    private int port;

    Service(ProcessOutput output) {
      this.output = output;
      this.process = output.process();
    }

    Process process() {
      return process;
    }

    int port() {
      return port;
    }

    int awaitPort() throws InterruptedException {
      port = Integer.parseInt(output.await(LISTENING, Duration.ofSeconds(WAIT_SECONDS))
          .group(1));
      return port;
    }

    /** SIGTERM: the service finishes its requests and closes its store. */
    void stop() throws InterruptedException {
      process.destroy();
      assertTrue(process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS), "the service stopped");
    }
  }

  private void cli(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(java(), "-jar",
        System.getProperty("certifier.cli.jar")));
    cmd.addAll(List.of(args));
    ProcessOutput.Finished r = ProcessOutput.run(cmd, Duration.ofSeconds(WAIT_SECONDS));
    assertEquals(0, r.exit(), String.join(" ", args) + ": " + r.output());
  }

  private static String java() {
    return ProcessOutput.java();
  }
}
