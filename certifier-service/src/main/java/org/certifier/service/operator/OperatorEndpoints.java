package org.certifier.service.operator;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.certifier.claims.SignedPolicy;
import org.certifier.json.JsonReader.MalformedJsonException;
import org.certifier.policy.Statements;
import org.certifier.proto.vse_clause;
import org.certifier.service.DomainKeys;
import org.certifier.service.audit.AuditLog;
import org.certifier.service.metrics.BuildInfo;
import org.certifier.service.metrics.ServiceMetrics;
import org.certifier.service.operator.OperatorApi.Endpoint;
import org.certifier.service.operator.OperatorApi.Request;
import org.certifier.service.operator.OperatorApi.Response;
import org.certifier.service.revocation.CrlPublisher;
import org.certifier.service.revocation.RevocationReason;
import org.certifier.service.store.AuditEntry;
import org.certifier.service.store.DecisionRecord;
import org.certifier.service.store.IssuedCertificate;
import org.certifier.service.store.PublishedCrl;
import org.certifier.service.store.Revocation;
import org.certifier.service.store.ServiceStore;

/**
 * The operator API's standard endpoints over the service's store, keys, policy, CRL and
 * metrics (docs/operations.md, "Operator API"). Each answers JSON but {@code /v1/crl} (DER) and
 * {@code /v1/metrics} (Prometheus text).
 */
public final class OperatorEndpoints {
  private static final System.Logger LOG = System.getLogger("org.certifier.service.operator");
  /** Pages of the issuance and audit logs hold at most this many items. */
  static final int MAX_PAGE = 1000;
  private static final int DEFAULT_PAGE = 100;
  private static final int MAX_MEASUREMENT_HEX = 1024;

  private final ServiceStore store;
  private final DomainKeys keys;
  private final Supplier<SignedPolicy> policy;
  private final ServiceMetrics metrics;
  private final CrlPublisher crl;
  private final AuditLog auditLog;
  private final Clock clock;

  public OperatorEndpoints(ServiceStore store, DomainKeys keys, Supplier<SignedPolicy> policy,
      ServiceMetrics metrics, CrlPublisher crl, AuditLog auditLog, Clock clock) {
    this.store = store;
    this.keys = keys;
    this.policy = policy;
    this.metrics = metrics;
    this.crl = crl;
    this.auditLog = auditLog;
    this.clock = clock;
  }

  /** Every standard endpoint. */
  public List<Endpoint> all() {
    return List.of(
        Endpoint.open("GET", "/health", this::health),
        Endpoint.open("GET", "/crl", this::crl),
        Endpoint.authenticated("GET", "/info", this::info),
        Endpoint.authenticated("GET", "/policy", this::policy),
        Endpoint.authenticated("GET", "/certificates", this::certificates),
        Endpoint.authenticated("GET", "/certificates/{serial}", this::certificate),
        Endpoint.authenticated("GET", "/revocations", this::revocations),
        Endpoint.authenticated("POST", "/revocations", this::revoke),
        Endpoint.authenticated("GET", "/audit", this::audit),
        Endpoint.authenticated("GET", "/audit/tree-head", this::treeHead),
        Endpoint.authenticated("GET", "/audit/proof", this::inclusionProof),
        Endpoint.authenticated("GET", "/audit/consistency", this::consistencyProof),
        Endpoint.authenticated("GET", "/metrics", this::metrics));
  }

  /** Up if the store answers; for load balancers and probes, so it tells nothing more. */
  private Response health(Request request) throws ApiError, IOException {
    noQuery(request);
    store.auditSize();
    return Response.json(200, Map.of("status", "ok"));
  }

  private Response crl(Request request) throws ApiError, IOException {
    noQuery(request);
    return new Response(200, "application/pkix-crl", crl.current().der());
  }

  private Response info(Request request) throws ApiError, IOException {
    noQuery(request);
    SignedPolicy current = policy.get();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("domain", keys.certificate().getSubjectX500Principal().getName());
    out.put("policyCertificateSha256", store.metadata().domainSha256());
    out.put("schemaVersion", store.metadata().schemaVersion());
    out.put("policySha256", current.sha256());
    out.put("policyStatements", current.size());
    out.put("auditSize", store.auditSize());
    out.put("crlValiditySeconds", crl.validity().toSeconds());
    out.put("version", BuildInfo.version());
    out.put("uptimeSeconds", metrics.uptimeSeconds());
    return Response.json(200, out);
  }

  private Response policy(Request request) throws ApiError {
    noQuery(request);
    SignedPolicy current = policy.get();
    List<Object> statements = new ArrayList<>();
    for (vse_clause clause : current.clauses()) {
      statements.add(Statements.describe(clause));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("sha256", current.sha256());
    out.put("statements", statements);
    return Response.json(200, out);
  }

  private Response certificates(Request request) throws ApiError, IOException {
    Map<String, String> q = query(request, Set.of("from", "max"));
    BigInteger from = q.containsKey("from") ? number(q.get("from"), "from") : BigInteger.ZERO;
    int max = page(q);
    List<IssuedCertificate> page = store.certificates(from, max);
    Revocations revoked = revocations();
    List<Object> items = new ArrayList<>();
    for (IssuedCertificate c : page) {
      items.add(certificate(c, revoked));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("certificates", items);
    // Where the next page starts; null once this page was not full.
    out.put("next", page.size() < max ? Json.NULL
        : page.get(page.size() - 1).serial().add(BigInteger.ONE));
    return Response.json(200, out);
  }

  private Response certificate(Request request) throws ApiError, IOException {
    noQuery(request);
    BigInteger serial = number(request.pathParams().get("serial"), "serial");
    IssuedCertificate c = store.certificate(serial).orElseThrow(() -> new ApiError(404,
        "unknown-serial", "no certificate with serial " + serial + " was issued"));
    Map<String, Object> out = certificate(c, revocations());
    out.put("certificate", Base64.getEncoder().encodeToString(c.certificate()));
    return Response.json(200, out);
  }

  private Response revocations(Request request) throws ApiError, IOException {
    noQuery(request);
    List<Object> items = new ArrayList<>();
    for (Revocation r : store.revocations()) {
      items.add(revocation(r));
    }
    return Response.json(200, Map.of("revocations", items));
  }

  /**
   * {@code {"serial": N, "reason": R}} or {@code {"measurement": "hex", "reason": R}}: 201 with
   * the revocation and the CRL now published, 409 if it was revoked already (the first
   * revocation stands), 404 for a serial this domain never issued.
   */
  private Response revoke(Request request) throws ApiError, IOException {
    noQuery(request);
    String type = request.contentType().orElse("").toLowerCase(Locale.ROOT);
    if (!type.equals("application/json") && !type.startsWith("application/json;")) {
      throw new ApiError(415, "unsupported-media-type", "send application/json");
    }
    Map<String, Object> body = jsonObject(request.body());
    for (String name : body.keySet()) {
      if (!Set.of("serial", "measurement", "reason").contains(name)) {
        throw ApiError.badRequest("unknown member \"" + name.replaceAll("[^\\w-]", "?")
            + "\"; expected serial or measurement, and reason");
      }
    }
    if (body.containsKey("serial") == body.containsKey("measurement")) {
      throw ApiError.badRequest("name exactly one of serial and measurement");
    }
    if (!(body.get("reason") instanceof String code)) {
      throw ApiError.badRequest("reason is required, one of: " + RevocationReason.codes());
    }
    RevocationReason reason = RevocationReason.ofCode(code).orElseThrow(() -> ApiError
        .badRequest("unknown reason; use one of: " + RevocationReason.codes()));
    Revocation revocation;
    if (body.containsKey("serial")) {
      if (!(body.get("serial") instanceof BigDecimal n)) {
        throw ApiError.badRequest("serial must be a number");
      }
      BigInteger serial;
      try {
        serial = n.toBigIntegerExact();
      } catch (ArithmeticException e) {
        throw ApiError.badRequest("serial must be a whole number");
      }
      if (store.certificate(serial).isEmpty()) {
        throw new ApiError(404, "unknown-serial", "no certificate with serial " + serial
            + " was issued by this domain");
      }
      revocation = Revocation.ofSerial(serial, reason.code(), clock.instant());
    } else {
      if (!(body.get("measurement") instanceof String hex)) {
        throw ApiError.badRequest("measurement must be a hex string");
      }
      revocation = Revocation.ofMeasurement(measurement(hex), reason.code(), clock.instant());
    }
    if (!store.revoke(revocation)) {
      Optional<Revocation> existing = revocation.serial().isPresent()
          ? store.serialRevocation(revocation.serial().get())
          : store.measurementRevocation(revocation.measurement().get());
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("error", "already-revoked");
      out.put("message", "already revoked; the first revocation stands");
      out.put("revocation", existing.map(r -> (Object) revocation(r)).orElse(Json.NULL));
      return Response.json(409, out);
    }
    LOG.log(Level.INFO, "operator ({0}, from {1}) revoked {2} ({3})", request.operator(),
        request.remote(), revocation.serial().map(s -> "serial " + s)
            .orElseGet(() -> "Measured-" + revocation.measurement().get()), reason.code());
    Map<String, Object> out = revocation(revocation);
    // The CRL follows at once; if signing it fails, the revocation still stands (it refuses
    // re-certification already) and the next GET /v1/crl tries again.
    try {
      PublishedCrl published = crl.current();
      out.put("crlNumber", published.number());
    } catch (IOException e) {
      metrics.storeError();
      LOG.log(Level.ERROR, "revocation recorded, but the CRL could not be published yet: {0}",
          e.getMessage());
      out.put("crlNumber", Json.NULL);
    }
    return Response.json(201, out);
  }

  private Response audit(Request request) throws ApiError, IOException {
    Map<String, String> q = query(request, Set.of("from", "max"));
    long from = q.containsKey("from") ? number(q.get("from"), "from").longValueExact() : 0;
    int max = page(q);
    List<Object> entries = new ArrayList<>();
    for (AuditEntry e : store.auditLog(from, max)) {
      entries.add(auditEntry(e));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("size", store.auditSize());
    out.put("entries", entries);
    return Response.json(200, out);
  }

  /**
   * The log's current signed tree head, in the text form `certifier audit verify-*` reads
   * (docs/operations.md, "Audit log"); a new head is signed when the log has grown.
   */
  private Response treeHead(Request request) throws ApiError, IOException {
    noQuery(request);
    return text(auditLog.currentTreeHead().toText());
  }

  /** Entry {@code index} with its inclusion proof in the tree of {@code size} entries. */
  private Response inclusionProof(Request request) throws ApiError, IOException {
    Map<String, String> q = query(request, Set.of("index", "size"));
    long index = required(q, "index");
    long size = required(q, "size");
    try {
      return text(auditLog.prove(index, size).toText());
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(e.getMessage());
    }
  }

  /** The proof that the tree of {@code from} entries is a prefix of the tree of {@code to}. */
  private Response consistencyProof(Request request) throws ApiError, IOException {
    Map<String, String> q = query(request, Set.of("from", "to"));
    long from = required(q, "from");
    long to = required(q, "to");
    try {
      return text(auditLog.consistencyProof(from, to).toText());
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(e.getMessage());
    }
  }

  private static long required(Map<String, String> q, String name) throws ApiError {
    if (!q.containsKey(name)) {
      throw ApiError.badRequest("query parameter " + name + " is required");
    }
    try {
      return number(q.get(name), name).longValueExact();
    } catch (ArithmeticException e) {
      throw ApiError.badRequest(name + " is out of range");
    }
  }

  private static Response text(String body) {
    return new Response(200, "text/plain; charset=us-ascii",
        body.getBytes(StandardCharsets.US_ASCII));
  }

  private Response metrics(Request request) throws ApiError {
    noQuery(request);
    return new Response(200, ServiceMetrics.CONTENT_TYPE,
        metrics.exposition().getBytes(StandardCharsets.UTF_8));
  }

  /** Revocations by serial and by measurement, looked up in memory for a page of certificates. */
  private record Revocations(Map<BigInteger, Revocation> bySerial,
      Map<String, Revocation> byMeasurement) {}

  private Revocations revocations() throws IOException {
    Map<BigInteger, Revocation> bySerial = new HashMap<>();
    Map<String, Revocation> byMeasurement = new HashMap<>();
    for (Revocation r : store.revocations()) {
      r.serial().ifPresent(s -> bySerial.put(s, r));
      r.measurement().ifPresent(m -> byMeasurement.put(m, r));
    }
    return new Revocations(bySerial, byMeasurement);
  }

  private static Map<String, Object> certificate(IssuedCertificate c, Revocations revoked) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("serial", c.serial());
    out.put("measurement", c.measurement());
    out.put("purpose", c.purpose());
    out.put("requester", c.requester().map(r -> (Object) r).orElse(Json.NULL));
    out.put("issuedAt", c.issuedAt().toString());
    out.put("notAfter", c.notAfter().toString());
    out.put("subjectKeySha256", c.subjectKeySha256());
    out.put("policySha256", c.policySha256());
    // Revoked by its own serial, or else through its measurement.
    Revocation r = revoked.bySerial().getOrDefault(c.serial(),
        revoked.byMeasurement().get(c.measurement()));
    out.put("revocation", r == null ? Json.NULL : revocation(r));
    return out;
  }

  private static Map<String, Object> revocation(Revocation r) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (r.serial().isPresent()) {
      out.put("serial", r.serial().get());
    } else {
      out.put("measurement", r.measurement().orElseThrow());
    }
    out.put("reason", r.reason());
    out.put("revokedAt", r.revokedAt().toString());
    return out;
  }

  private static Map<String, Object> auditEntry(AuditEntry e) {
    DecisionRecord d = e.decision();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("seq", e.seq());
    out.put("decidedAt", d.decidedAt().toString());
    out.put("outcome", d.failureCode().orElse("admitted"));
    out.put("evidenceSha256", orNull(d.evidenceSha256()));
    out.put("requester", orNull(d.requester()));
    out.put("purpose", orNull(d.purpose()));
    out.put("measurement", orNull(d.measurement()));
    out.put("serial", d.serial().map(s -> (Object) s).orElse(Json.NULL));
    out.put("artifactSha256", orNull(d.artifactSha256()));
    out.put("policySha256", orNull(d.policySha256()));
    out.put("proof", orNull(d.proof()));
    out.put("leafHash", e.leafHash());
    return out;
  }

  private static Object orNull(Optional<String> value) {
    return value.map(v -> (Object) v).orElse(Json.NULL);
  }

  private static void noQuery(Request request) throws ApiError {
    query(request, Set.of());
  }

  private static Map<String, String> query(Request request, Set<String> allowed)
      throws ApiError {
    for (String name : request.query().keySet()) {
      if (!allowed.contains(name)) {
        throw ApiError.badRequest("unknown query parameter"
            + (allowed.isEmpty() ? "; this endpoint takes none" : "; use " + allowed));
      }
    }
    return request.query();
  }

  private static int page(Map<String, String> q) throws ApiError {
    if (!q.containsKey("max")) {
      return DEFAULT_PAGE;
    }
    BigInteger max = number(q.get("max"), "max");
    if (max.signum() == 0 || max.compareTo(BigInteger.valueOf(MAX_PAGE)) > 0) {
      throw ApiError.badRequest("max must be 1 to " + MAX_PAGE);
    }
    return max.intValueExact();
  }

  /** A decimal number without sign or leading zeros that fits a serial or a sequence number. */
  private static BigInteger number(String text, String what) throws ApiError {
    if (text == null || text.isEmpty() || text.length() > 19
        || !text.chars().allMatch(c -> c >= '0' && c <= '9')
        || (text.length() > 1 && text.charAt(0) == '0')) {
      throw ApiError.badRequest(what + " must be a decimal number");
    }
    BigInteger n = new BigInteger(text);
    if (n.bitLength() > 63) {
      throw ApiError.badRequest(what + " is out of range");
    }
    return n;
  }

  /** A measurement as hex, either case; kept in lowercase, the store's one spelling. */
  private static String measurement(String hex) throws ApiError {
    if (hex.isEmpty() || hex.length() % 2 != 0 || hex.length() > MAX_MEASUREMENT_HEX
        || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 0x80)) {
      throw ApiError.badRequest("measurement must be hex, an even number of digits, at most "
          + MAX_MEASUREMENT_HEX);
    }
    return hex.toLowerCase(Locale.ROOT);
  }

  /** The body as one strict JSON object in UTF-8. */
  private static Map<String, Object> jsonObject(byte[] body) throws ApiError {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      throw ApiError.badRequest("the body is not UTF-8");
    }
    Object value;
    try {
      value = Json.parse(text);
    } catch (MalformedJsonException e) {
      throw new ApiError(400, "malformed-json", e.getMessage());
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw ApiError.badRequest("the body must be a JSON object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> object = (Map<String, Object>) map;
    return object;
  }
}
