package org.certifier.service.operator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.certifier.crypto.Certificates;
import org.certifier.proto.trust_response_message;
import org.certifier.protocol.Framing;
import org.certifier.protocol.Messages;
import org.certifier.service.CertifierService;
import org.certifier.service.ReferenceDomain;
import org.certifier.service.audit.AuditEntryProof;
import org.certifier.service.audit.AuditVerifier;
import org.certifier.testing.TestVectors;
import org.certifier.transparency.ConsistencyProof;
import org.certifier.transparency.LogVerificationException;
import org.certifier.transparency.SignedTreeHead;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator API on a running service (the reference domain on the embedded database), over
 * plain HTTP on loopback with a bearer token: every endpoint, refusals, revocation end to end
 * through the CRL and the workload protocol, metrics, and bad requests.
 */
class OperatorApiTest {
  static final String MEASUREMENT =
      "9f2be451d6089d7ae4c72a79b042d993f49de901ddca775c26afd15746fb8154";
  private static final String TOKEN = "test-token-0123456789abcdefghijklmnopqrstuv";

  @TempDir
  Path dir;

  private CertifierService service;
  private final HttpClient http = HttpClient.newHttpClient();

  static CertifierService.Config serviceConfig(Path dir) {
    Path provisioning = TestVectors.path("certifier-reference/provisioning/policy.bin")
        .getParent();
    return CertifierService.Config.of(provisioning.resolve("policy_key_file.datica-test"),
            provisioning.resolve("policy_cert_file.datica-test"),
            provisioning.resolve("policy.bin"))
        .withAddress("127.0.0.1", 0)
        .withStateDir(dir.resolve("state"))
        .withClock(ReferenceDomain.CLOCK);
  }

  @BeforeEach
  void start() throws Exception {
    Path digest = dir.resolve("token.sha256");
    Files.writeString(digest, OperatorAuth.digestHex(TOKEN) + "\n");
    service = CertifierService.start(serviceConfig(dir),
        Optional.of(OperatorApi.Config.on("127.0.0.1", 0).withToken(digest)
            .withMaxBodyBytes(1024)));
  }

  @AfterEach
  void stop() throws IOException {
    service.close();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + service.operatorPort().getAsInt() + path);
  }

  private HttpResponse<byte[]> get(String path, Optional<String> token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpResponse<byte[]> get(String path) throws Exception {
    return get(path, Optional.of(TOKEN));
  }

  private HttpResponse<byte[]> post(String path, String json) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(path))
        .header("Authorization", "Bearer " + TOKEN)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(HttpResponse<byte[]> response) throws Exception {
    assertEquals("application/json", response.headers().firstValue("Content-Type")
        .orElseThrow());
    return (Map<String, Object>) Json.parse(new String(response.body(),
        StandardCharsets.UTF_8));
  }

  /** One certification over the workload protocol with the reference's request. */
  private trust_response_message certify() throws Exception {
    try (Socket s = new Socket("127.0.0.1", service.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(TestVectors.reference("wire/trust_request.framed.bin"));
      s.getOutputStream().flush();
      byte[] raw = s.getInputStream().readAllBytes();
      return Messages.parse(trust_response_message.parser(),
          Framing.read(new ByteArrayInputStream(raw), Framing.MAX_FRAME), "response");
    }
  }

  private BigInteger certifiedSerial() throws Exception {
    trust_response_message r = certify();
    assertEquals("succeeded", r.getStatus());
    return Certificates.parseDer(r.getArtifact().toByteArray()).getSerialNumber();
  }

  private X509CRL crl() throws Exception {
    HttpResponse<byte[]> r = get("/v1/crl", Optional.empty());
    assertEquals(200, r.statusCode());
    assertEquals("application/pkix-crl", r.headers().firstValue("Content-Type").orElseThrow());
    X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509")
        .generateCRL(new ByteArrayInputStream(r.body()));
    crl.verify(service.keys().certificate().getPublicKey());
    return crl;
  }

  @Test
  void healthAndCrlArePublic() throws Exception {
    HttpResponse<byte[]> health = get("/v1/health", Optional.empty());
    assertEquals(200, health.statusCode());
    assertEquals("ok", json(health).get("status"));
    X509CRL crl = crl();
    assertEquals(service.keys().certificate().getSubjectX500Principal(),
        crl.getIssuerX500Principal());
    assertNull(crl.getRevokedCertificates(), "nothing revoked yet");
  }

  @Test
  void infoNamesTheDomainPolicyAndSchema() throws Exception {
    Map<String, Object> info = json(get("/v1/info"));
    assertEquals(service.keys().certificate().getSubjectX500Principal().getName(),
        info.get("domain"));
    assertEquals(service.store().metadata().domainSha256(),
        info.get("policyCertificateSha256"));
    assertEquals(service.store().metadata().schemaVersion(), info.get("schemaVersion"));
    assertEquals(new BigDecimal(ReferenceDomain.policy(service.keys()).size()),
        info.get("policyStatements"));
    assertEquals(new BigDecimal(3600), info.get("crlValiditySeconds"));
    assertTrue(((String) info.get("version")).startsWith("0."), info.toString());
    assertNotNull(info.get("uptimeSeconds"));
  }

  @Test
  void policyIsReadable() throws Exception {
    Map<String, Object> policy = json(get("/v1/policy"));
    List<?> statements = (List<?>) policy.get("statements");
    assertEquals(ReferenceDomain.policy(service.keys()).size(), statements.size());
    assertTrue(statements.stream().anyMatch(s -> ((String) s).contains(MEASUREMENT)
        && ((String) s).contains("says")), statements.toString());
    assertEquals(ReferenceDomain.policy(service.keys()).sha256(), policy.get("sha256"));
  }

  @Test
  void certificatesArePagedAndShownOneByOne() throws Exception {
    BigInteger first = certifiedSerial();
    BigInteger second = certifiedSerial();
    Map<String, Object> page = json(get("/v1/certificates?max=1"));
    List<?> items = (List<?>) page.get("certificates");
    assertEquals(1, items.size());
    assertEquals(new BigDecimal(first), ((Map<?, ?>) items.get(0)).get("serial"));
    assertEquals(new BigDecimal(first.add(BigInteger.ONE)), page.get("next"));
    Map<String, Object> rest = json(get("/v1/certificates?from=" + page.get("next")));
    List<?> restItems = (List<?>) rest.get("certificates");
    assertEquals(new BigDecimal(second), ((Map<?, ?>) restItems.get(0)).get("serial"));
    assertEquals(Json.NULL, rest.get("next"));

    Map<String, Object> one = json(get("/v1/certificates/" + first));
    assertEquals(MEASUREMENT, one.get("measurement"));
    assertEquals("authentication", one.get("purpose"));
    assertEquals(Json.NULL, one.get("revocation"));
    X509Certificate cert = Certificates.parseDer(
        java.util.Base64.getDecoder().decode((String) one.get("certificate")));
    assertEquals(first, cert.getSerialNumber());

    assertEquals(404, get("/v1/certificates/999999").statusCode());
    assertEquals(400, get("/v1/certificates/12x").statusCode());
    assertEquals(400, get("/v1/certificates?max=0").statusCode());
    assertEquals(400, get("/v1/certificates?bogus=1").statusCode());
  }

  @Test
  void revokingASerialPutsItOnTheCrlAndMarksTheCertificate() throws Exception {
    BigInteger serial = certifiedSerial();
    BigInteger other = certifiedSerial();
    HttpResponse<byte[]> created = post("/v1/revocations",
        "{\"serial\": " + serial + ", \"reason\": \"key-compromise\"}");
    assertEquals(201, created.statusCode(), new String(created.body()));
    assertEquals(new BigDecimal(serial), json(created).get("serial"));

    X509CRL crl = crl();
    assertNotNull(crl.getRevokedCertificate(serial), "the revoked serial is listed");
    assertEquals(java.security.cert.CRLReason.KEY_COMPROMISE,
        crl.getRevokedCertificate(serial).getRevocationReason());
    assertNull(crl.getRevokedCertificate(other), "the other certificate is not");

    Map<?, ?> revocation = (Map<?, ?>) json(get("/v1/certificates/" + serial))
        .get("revocation");
    assertEquals("key-compromise", revocation.get("reason"));
    assertEquals(Json.NULL, json(get("/v1/certificates/" + other)).get("revocation"));

    HttpResponse<byte[]> again = post("/v1/revocations",
        "{\"serial\": " + serial + ", \"reason\": \"superseded\"}");
    assertEquals(409, again.statusCode());
    assertEquals("already-revoked", json(again).get("error"));
    assertEquals(404, post("/v1/revocations",
        "{\"serial\": 999999, \"reason\": \"superseded\"}").statusCode());
    List<?> all = (List<?>) json(get("/v1/revocations")).get("revocations");
    assertEquals(1, all.size());
    assertEquals("key-compromise", ((Map<?, ?>) all.get(0)).get("reason"));
  }

  @Test
  void revokingAMeasurementRefusesItsNextCertificationAndListsItsCertificates()
      throws Exception {
    BigInteger before = certifiedSerial();
    HttpResponse<byte[]> created = post("/v1/revocations", "{\"measurement\": \""
        + MEASUREMENT.toUpperCase(java.util.Locale.ROOT) + "\", \"reason\": \"privilege-withdrawn\"}");
    assertEquals(201, created.statusCode(), new String(created.body()));
    assertEquals(MEASUREMENT, json(created).get("measurement"), "kept in lowercase");

    trust_response_message refused = certify();
    assertEquals("failed", refused.getStatus());
    assertEquals("revoked", refused.getFailureCode());

    X509CRL crl = crl();
    assertNotNull(crl.getRevokedCertificate(before), "a prior certificate is listed");
    assertEquals(1, crl.getRevokedCertificates().size());
    Map<?, ?> revocation = (Map<?, ?>) json(get("/v1/certificates/" + before))
        .get("revocation");
    assertEquals(MEASUREMENT, revocation.get("measurement"));
  }

  @Test
  void auditEntriesAreListed() throws Exception {
    certifiedSerial();
    Map<String, Object> audit = json(get("/v1/audit?from=0&max=10"));
    assertEquals(BigDecimal.ONE, audit.get("size"));
    Map<?, ?> entry = (Map<?, ?>) ((List<?>) audit.get("entries")).get(0);
    assertEquals("admitted", entry.get("outcome"));
    assertEquals(MEASUREMENT, entry.get("measurement"));
    assertEquals(service.store().auditLog(0, 1).get(0).leafHash(), entry.get("leafHash"));
  }

  @Test
  void treeHeadsAndProofsVerifyOfflineUnderThePolicyKey() throws Exception {
    certifiedSerial();
    certifiedSerial();
    PublicKey policyKey = service.keys().certificate().getPublicKey();
    SignedTreeHead first = SignedTreeHead.parse(text(get("/v1/audit/tree-head")), "head");
    assertEquals(2, first.treeSize());
    certify();
    SignedTreeHead second = SignedTreeHead.parse(text(get("/v1/audit/tree-head")), "head");
    assertEquals(3, second.treeSize());

    AuditEntryProof proof = AuditEntryProof.parse(text(get("/v1/audit/proof?index=1&size=3")),
        "proof");
    AuditVerifier.verifyInclusion(proof, second, policyKey);
    ConsistencyProof consistency = ConsistencyProof.parse(
        text(get("/v1/audit/consistency?from=2&to=3")), "consistency");
    AuditVerifier.verifyConsistency(first, second, consistency, policyKey);

    // The proof for one tree does not verify under another's head.
    assertThrows(LogVerificationException.class,
        () -> AuditVerifier.verifyInclusion(proof, first, policyKey));
    assertEquals(400, get("/v1/audit/proof?index=5&size=3").statusCode());
    assertEquals(400, get("/v1/audit/proof?index=0").statusCode());
    assertEquals(401, get("/v1/audit/tree-head", Optional.empty()).statusCode());
  }

  private static String text(HttpResponse<byte[]> response) {
    assertEquals(200, response.statusCode(), new String(response.body(),
        StandardCharsets.UTF_8));
    return new String(response.body(), StandardCharsets.US_ASCII);
  }

  @Test
  void metricsMoveAfterACertificationAndARefusal() throws Exception {
    String before = new String(get("/v1/metrics").body(), StandardCharsets.UTF_8);
    assertTrue(before.contains("certifier_certifications_total{outcome=\"admitted\"} 0"),
        before);
    certifiedSerial();
    try (Socket s = new Socket("127.0.0.1", service.port())) {
      s.getOutputStream().write(TestVectors.reference("wire/trust_request.tampered.framed.bin"));
      s.getInputStream().readAllBytes();
    }
    HttpResponse<byte[]> r = get("/v1/metrics");
    assertTrue(r.headers().firstValue("Content-Type").orElseThrow()
        .startsWith("text/plain; version=0.0.4"));
    String after = new String(r.body(), StandardCharsets.UTF_8);
    assertTrue(after.contains("certifier_certifications_total{outcome=\"admitted\"} 1"), after);
    assertTrue(after.contains("certifier_certifications_total{outcome=\"bad-signature\"} 1"),
        after);
    assertTrue(after.contains("certifier_certification_duration_seconds_count 2"), after);
    assertTrue(after.contains("certifier_certification_duration_seconds_bucket{le=\"+Inf\"} 2"),
        after);
    assertTrue(after.contains("certifier_store_errors_total 0"), after);
    assertTrue(after.contains("certifier_active_connections 0"), after);
    assertTrue(after.contains("certifier_build_info{version=\""), after);
  }

  @Test
  void requestsWithoutOrWithTheWrongTokenAreRefusedAndLogged() throws Exception {
    try (LogCapture log = new LogCapture()) {
      HttpResponse<byte[]> none = get("/v1/info", Optional.empty());
      assertEquals(401, none.statusCode());
      assertEquals("unauthenticated", json(none).get("error"));
      assertEquals("Bearer realm=\"certifier\"",
          none.headers().firstValue("WWW-Authenticate").orElseThrow());
      HttpResponse<byte[]> wrong = get("/v1/certificates", Optional.of("guessed-token"));
      assertEquals(403, wrong.statusCode());
      assertEquals("forbidden", json(wrong).get("error"));
      // Unknown paths are not revealed to strangers either.
      assertEquals(401, get("/v1/nothing-here", Optional.empty()).statusCode());
      HttpResponse<byte[]> revoke = http.send(HttpRequest.newBuilder(uri("/v1/revocations"))
          .header("Content-Type", "application/json")
          .header("Authorization", "Basic b3BlcmF0b3I6cGFzc3dvcmQ=")
          .POST(HttpRequest.BodyPublishers.ofString("{\"serial\": 1000, \"reason\": \"x\"}"))
          .build(), HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(401, revoke.statusCode());
      List<String> lines = log.lines();
      assertTrue(lines.stream().anyMatch(l -> l.contains("401 (no-credentials) from 127.0.0.1:"
          + " GET /v1/info")), lines.toString());
      assertTrue(lines.stream().anyMatch(l -> l.contains("403 (wrong-token) from 127.0.0.1:"
          + " GET /v1/certificates")), lines.toString());
      assertTrue(lines.stream().anyMatch(l -> l.contains("(not-a-bearer-token)")),
          lines.toString());
      assertTrue(lines.stream().noneMatch(l -> l.contains("guessed-token")
          || l.contains("b3BlcmF0b3I6")), "no credential text is logged");
    }
    assertEquals(0, service.store().revocations().size(), "nothing was revoked");
    String metrics = new String(get("/v1/metrics").body(), StandardCharsets.UTF_8);
    assertTrue(metrics.contains("certifier_operator_auth_failures_total 4"), metrics);
  }

  @Test
  void malformedAndOversizedRequestsAreRefusedAndTheServiceKeepsServing() throws Exception {
    BigInteger serial = certifiedSerial();
    for (String bad : List.of("{", "{\"serial\": 1000, \"serial\": 1001, \"reason\": \"x\"}",
        "[]", "{\"serial\": " + serial + "} trailing", "{\"serial\": 01, \"reason\": \"superseded\"}")) {
      HttpResponse<byte[]> r = post("/v1/revocations", bad);
      assertEquals(400, r.statusCode(), bad);
      assertTrue(((String) json(r).get("message")).length() > 0);
    }
    for (String bad : List.of("{\"serial\": " + serial + "}",
        "{\"serial\": " + serial + ", \"reason\": \"because\"}",
        "{\"serial\": 1.5, \"reason\": \"superseded\"}",
        "{\"serial\": " + serial + ", \"measurement\": \"ab\", \"reason\": \"superseded\"}",
        "{\"measurement\": \"abc\", \"reason\": \"superseded\"}",
        "{\"serial\": " + serial + ", \"reason\": \"superseded\", \"by\": \"me\"}")) {
      HttpResponse<byte[]> r = post("/v1/revocations", bad);
      assertEquals(400, r.statusCode(), bad);
      assertEquals("bad-request", json(r).get("error"), bad);
    }
    HttpResponse<byte[]> tooLarge = post("/v1/revocations",
        "{\"reason\": \"" + "x".repeat(2000) + "\"}");
    assertEquals(413, tooLarge.statusCode());
    assertEquals("body-too-large", json(tooLarge).get("error"));
    HttpResponse<byte[]> wrongType = http.send(HttpRequest.newBuilder(uri("/v1/revocations"))
        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(415, wrongType.statusCode());
    HttpResponse<byte[]> wrongMethod = http.send(HttpRequest.newBuilder(uri("/v1/crl"))
        .DELETE().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(405, wrongMethod.statusCode());
    assertEquals(404, get("/v1/nothing-here").statusCode());
    assertEquals(404, get("/other").statusCode());

    // A body that lies about its length (more than declared, chunked beyond the limit).
    try (Socket s = new Socket("127.0.0.1", service.operatorPort().getAsInt())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(("POST /v1/revocations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
          + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      for (int i = 0; i < 4; i++) {
        out.write(("200\r\n" + " ".repeat(0x200) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      }
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      assertEquals("HTTP/1.1 413", status);
    }
    assertEquals(0, service.store().revocations().size(), "nothing bad was recorded");
    assertEquals(200, get("/v1/health", Optional.empty()).statusCode(), "still serving");
    assertEquals(201, post("/v1/revocations", "{\"serial\": " + serial
        + ", \"reason\": \"superseded\"}").statusCode());
  }

  @Test
  void theCrlIsTheSameUntilSomethingChanges() throws Exception {
    X509CRL first = crl();
    X509CRL again = crl();
    assertArrayEquals(first.getEncoded(), again.getEncoded());
    BigInteger serial = certifiedSerial();
    assertEquals(201, post("/v1/revocations", "{\"serial\": " + serial
        + ", \"reason\": \"unspecified\"}").statusCode());
    X509CRL next = crl();
    assertFalse(java.util.Arrays.equals(first.getEncoded(), next.getEncoded()));
    assertEquals(null, next.getRevokedCertificate(serial).getRevocationReason(),
        "unspecified is expressed by no reason code (RFC 5280 section 5.3.1)");
  }

  @Test
  void unusableConfigurationsAreRefusedAtStart() throws Exception {
    Path digest = dir.resolve("token.sha256");
    assertThrows(IOException.class, () -> CertifierService.start(serviceConfig(dir.resolve("a")),
        Optional.of(OperatorApi.Config.on("127.0.0.1", 0))),
        "plain HTTP without a token");
    assertThrows(IOException.class, () -> CertifierService.start(serviceConfig(dir.resolve("b")),
        Optional.of(OperatorApi.Config.on("0.0.0.0", 0).withToken(digest))),
        "plain HTTP off loopback");
    assertThrows(IOException.class, () -> CertifierService.start(serviceConfig(dir.resolve("c")),
        Optional.of(OperatorApi.Config.on("127.0.0.1", 0).withToken(digest)
            .withOperatorCa(digest))),
        "client certificates without TLS");
    Path badDigest = dir.resolve("bad.sha256");
    Files.writeString(badDigest, TOKEN);
    assertThrows(IOException.class, () -> CertifierService.start(serviceConfig(dir.resolve("d")),
        Optional.of(OperatorApi.Config.on("127.0.0.1", 0).withToken(badDigest))),
        "a token instead of its digest");
  }
}
