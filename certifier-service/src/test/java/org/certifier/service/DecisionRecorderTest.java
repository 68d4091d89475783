package org.certifier.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.certifier.claims.SignedPolicy;
import org.certifier.crypto.Certificates;
import org.certifier.proto.trust_response_message;
import org.certifier.protocol.Framing;
import org.certifier.protocol.Messages;
import org.certifier.service.certify.Certifier;
import org.certifier.service.store.AuditEntry;
import org.certifier.service.store.Database;
import org.certifier.service.store.DecisionRecord;
import org.certifier.service.store.IssuedCertificate;
import org.certifier.service.store.JdbcServiceStore;
import org.certifier.service.store.ServiceStore;
import org.certifier.service.tcp.CertifierTcpServer;
import org.certifier.testing.TestVectors;
import org.certifier.verifiers.vse.VseVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service puts every answer on record before sending it (the reference capture replayed
 * against a service on the embedded database), and answers internal-error, issuing nothing, when
 * a decision cannot be recorded.
 */
class DecisionRecorderTest {
  @TempDir
  Path dir;

  private static byte[] exchange(int port, byte[] framed) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(framed);
      s.getOutputStream().flush();
      return s.getInputStream().readAllBytes();
    }
  }

  private static trust_response_message response(byte[] raw) throws Exception {
    return Messages.parse(trust_response_message.parser(),
        Framing.read(new ByteArrayInputStream(raw), Framing.MAX_FRAME), "response");
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static byte[] payload(byte[] framed) {
    return Arrays.copyOfRange(framed, 4, framed.length);
  }

  private CertifierService.Config config() {
    Path provisioning = TestVectors.path("certifier-reference/provisioning/policy.bin")
        .getParent();
    return CertifierService.Config.of(provisioning.resolve("policy_key_file.datica-test"),
            provisioning.resolve("policy_cert_file.datica-test"),
            provisioning.resolve("policy.bin"))
        .withAddress("127.0.0.1", 0)
        .withStateDir(dir.resolve("state"))
        .withClock(ReferenceDomain.CLOCK);
  }

  @Test
  void everyAnswerIsOnRecordWithTheDigestOfItsRequest() throws Exception {
    byte[] request = TestVectors.reference("wire/trust_request.framed.bin");
    byte[] tampered = TestVectors.reference("wire/trust_request.tampered.framed.bin");
    ByteArrayOutputStream garbage = new ByteArrayOutputStream();
    Framing.write(garbage, new byte[] {(byte) 0xff, 0x01, 0x02});
    String policy = sha256(TestVectors.reference("provisioning/policy.bin"));

    X509Certificate issued;
    try (CertifierService service = CertifierService.start(config())) {
      trust_response_message ok = response(exchange(service.port(), request));
      assertEquals("succeeded", ok.getStatus());
      byte[] der = ok.getArtifact().toByteArray();
      issued = Certificates.parseDer(der);
      assertEquals("bad-signature",
          response(exchange(service.port(), tampered)).getFailureCode());
      assertEquals("malformed-evidence",
          response(exchange(service.port(), garbage.toByteArray())).getFailureCode());

      ServiceStore store = service.store();
      List<AuditEntry> log = store.auditLog(0, 10);
      assertEquals(3, log.size());
      DecisionRecord admitted = log.get(0).decision();
      assertTrue(admitted.admitted());
      assertEquals(Optional.of(sha256(payload(request))), admitted.evidenceSha256());
      assertEquals(Optional.of(issued.getSerialNumber()), admitted.serial());
      assertEquals(Optional.of(sha256(der)), admitted.artifactSha256());
      assertEquals(Optional.of(policy), admitted.policySha256());
      assertEquals(Optional.of("authentication"), admitted.purpose());
      assertEquals(Optional.of("127.0.0.1"), admitted.requester());
      assertTrue(admitted.proof().orElseThrow().contains("is-trusted-for-authentication"),
          admitted.proof().orElseThrow());
      assertArrayEquals(der, store.certificate(issued.getSerialNumber()).orElseThrow()
          .certificate(), "the issuance log holds the certificate exactly as sent");
      assertEquals(IssuedCertificate.of(issued, admitted.measurement().orElseThrow(),
          Optional.of("127.0.0.1"), "authentication", policy),
          store.certificate(issued.getSerialNumber()).orElseThrow(),
          "the record's fields are those of the certificate as parsed");

      DecisionRecord badSignature = log.get(1).decision();
      assertEquals(Optional.of("bad-signature"), badSignature.failureCode());
      assertEquals(Optional.of(sha256(payload(tampered))), badSignature.evidenceSha256());
      assertEquals(Optional.of(policy), badSignature.policySha256());
      DecisionRecord malformed = log.get(2).decision();
      assertEquals(Optional.of("malformed-evidence"), malformed.failureCode());
      assertEquals(Optional.empty(), malformed.policySha256(), "no policy was consulted");
    }

    try (CertifierService restarted = CertifierService.start(config())) {
      BigInteger next = Certificates.parseDer(response(exchange(restarted.port(), request))
          .getArtifact().toByteArray()).getSerialNumber();
      assertTrue(next.compareTo(issued.getSerialNumber()) > 0,
          issued.getSerialNumber() + " then " + next);
      assertEquals(4, restarted.store().auditSize());
    }
  }

  @Test
  void anAnswerThatCannotBeRecordedIsInternalErrorAndIssuesNothing() throws Exception {
    DomainKeys keys = ReferenceDomain.keys();
    SignedPolicy policy = ReferenceDomain.policy(keys);
    // A broken serial source that repeats itself: the issuance log refuses the repeat.
    Certifier certifier = new Certifier(keys, () -> policy, List.of(new VseVerifier()),
        () -> BigInteger.valueOf(5000), ReferenceDomain.CLOCK, Duration.ofDays(365));
    byte[] request = TestVectors.reference("wire/trust_request.framed.bin");
    try (JdbcServiceStore store = JdbcServiceStore.open(Database.embedded(dir),
            keys.certificate(), 2);
        CertifierTcpServer server = CertifierTcpServer.start(certifier, "127.0.0.1", 0,
            CertifierTcpServer.Limits.defaults(),
            new DecisionRecorder(store, ReferenceDomain.CLOCK, LogProfile.PRODUCTION))) {
      assertEquals("succeeded", response(exchange(server.port(), request)).getStatus());
      trust_response_message refused = response(exchange(server.port(), request));
      assertEquals("failed", refused.getStatus());
      assertEquals("internal-error", refused.getFailureCode());
      assertFalse(refused.hasArtifact(), "a certificate that is not on record is not sent");

      List<AuditEntry> log = store.auditLog(0, 10);
      assertEquals(2, log.size(), log.toString());
      assertEquals(Optional.of(BigInteger.valueOf(5000)), log.get(0).decision().serial());
      assertEquals(Optional.of("internal-error"), log.get(1).decision().failureCode(),
          "the answer the client saw is on record");
    }
  }

  /** A handler that keeps each record's formatted message. */
  private static java.util.logging.Handler capture(List<String> lines) {
    return new java.util.logging.Handler() {
      private final java.util.logging.SimpleFormatter formatter =
          new java.util.logging.SimpleFormatter();

      @Override
      public void publish(java.util.logging.LogRecord r) {
        lines.add(formatter.formatMessage(r));
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }

  @Test
  void admissionsAreLoggedOnTheirOwnLoggerWhichCanBeSilenced() throws Exception {
    byte[] request = TestVectors.reference("wire/trust_request.framed.bin");
    java.util.logging.Logger admissions =
        java.util.logging.Logger.getLogger(LogProfile.ADMISSIONS_LOGGER);
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler capture = capture(lines);
    admissions.addHandler(capture);
    java.util.logging.Level before = admissions.getLevel();
    try (CertifierService service = CertifierService.start(config())) {
      admissions.setLevel(java.util.logging.Level.INFO);
      assertEquals("succeeded", response(exchange(service.port(), request)).getStatus());
      assertEquals(1, lines.size(), lines.toString());
      assertTrue(lines.getFirst().startsWith("admitted 127.0.0.1 for authentication:"
          + " Measured-9f2be451"), lines.getFirst());
      admissions.setLevel(java.util.logging.Level.WARNING);
      assertEquals("succeeded", response(exchange(service.port(), request)).getStatus());
      assertEquals(1, lines.size(), "silenced: " + lines);
      assertEquals(2, service.store().auditSize(), "both are on record all the same");
    } finally {
      admissions.removeHandler(capture);
      admissions.setLevel(before);
    }
  }

  @Test
  void theProductionProfileLogsRefusalsWithTheirCodeOnly() throws Exception {
    byte[] tampered = TestVectors.reference("wire/trust_request.tampered.framed.bin");
    java.util.logging.Logger log = java.util.logging.Logger.getLogger("org.certifier.service");
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler capture = capture(lines);
    log.addHandler(capture);
    try {
      for (LogProfile profile : LogProfile.values()) {
        lines.clear();
        try (CertifierService service = CertifierService.start(config()
            .withStateDir(dir.resolve("state-" + profile)).withLogProfile(profile))) {
          assertEquals("bad-signature",
              response(exchange(service.port(), tampered)).getFailureCode());
        }
        String refusal = lines.stream().filter(l -> l.startsWith("rejected")).findFirst()
            .orElseThrow(() -> new AssertionError("no refusal logged: " + lines));
        assertEquals(profile == LogProfile.DEVELOPMENT, refusal.contains("does not verify"),
            profile + ": " + refusal);
        org.junit.jupiter.api.Assertions.assertTrue(refusal.contains("bad-signature"), refusal);
      }
    } finally {
      log.removeHandler(capture);
    }
  }

  @Test
  void aRevokedProgramIsRefusedAndTheRefusalIsOnRecord() throws Exception {
    byte[] request = TestVectors.reference("wire/trust_request.framed.bin");
    String measurement = "9f2be451d6089d7ae4c72a79b042d993f49de901ddca775c26afd15746fb8154";
    try (CertifierService service = CertifierService.start(config()
        .withStateDir(dir.resolve("state-revocation")))) {
      assertEquals("succeeded", response(exchange(service.port(), request)).getStatus());
      org.junit.jupiter.api.Assertions.assertTrue(service.store().revoke(
          org.certifier.service.store.Revocation.ofMeasurement(measurement,
              "build 42 leaks its keys", ReferenceDomain.PINNED)));

      trust_response_message refused = response(exchange(service.port(), request));
      assertEquals("failed", refused.getStatus());
      assertEquals("revoked", refused.getFailureCode());
      assertFalse(refused.hasArtifact());
      List<AuditEntry> log = service.store().auditLog(0, 10);
      assertEquals(Optional.of("revoked"), log.get(log.size() - 1).decision().failureCode());
    }
  }
}
