package org.certifier.service.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.certifier.service.metrics.ServiceMetrics;
import org.certifier.service.revocation.CrlPublisher;

/**
 * The operator API: HTTP/JSON on its own port, beside the workload-facing TCP protocol, on the
 * JDK's own server ({@code com.sun.net.httpserver}, no dependency to keep patched). Everything
 * is under {@code /v1}; {@code GET /v1/health} and {@code GET /v1/crl} are public, every other
 * path is authenticated by {@link OperatorAuth} before it is even looked up, so a stranger
 * learns nothing about what exists.
 *
 * <p>Transport: HTTPS with the API's own key and certificate, optionally asking clients for a
 * certificate from the operator CA. Plain HTTP only on a loopback address and only with token
 * authentication: a token sent in clear over a network is a token given away, and a client
 * certificate cannot be presented without TLS. Loopback plain HTTP is for a local TLS-ending
 * proxy or an SSH tunnel.
 *
 * <p>Limits: request bodies are capped ({@link Config#maxBodyBytes()}, 413 beyond), and at most
 * {@value #WORKERS} requests run at once, so the API can never take more than that many of the
 * store's connections from certification.
 *
 * <p>Endpoints are plain {@link Endpoint} values; the service passes the standard ones
 * ({@link OperatorEndpoints}) plus any others it wires (the audit log's Merkle tree heads and
 * proofs, say), each declaring whether it is public.
 */
public final class OperatorApi implements Closeable {
  private static final System.Logger LOG = System.getLogger("org.certifier.service.operator");
  private static final String PREFIX = "/v1";
  private static final int WORKERS = 4;

  /**
   * How to run the API.
   *
   * @param tokenSha256File a file with the SHA-256 (hex) of the operators' bearer token
   * @param operatorCaFile the CA (PEM) whose client certificates are operators
   * @param tlsKeyFile the API's TLS private key (PEM), with {@code tlsCertFile}
   * @param tlsCertFile the API's TLS certificate chain (PEM)
   * @param maxBodyBytes the largest request body accepted
   * @param crlValidity the time from a CRL's thisUpdate to its nextUpdate
   */
  public record Config(String host, int port, Optional<Path> tokenSha256File,
      Optional<Path> operatorCaFile, Optional<Path> tlsKeyFile, Optional<Path> tlsCertFile,
      int maxBodyBytes, Duration crlValidity) {
    /** Ample for a revocation; anything bigger is not for this API. */
    public static final int DEFAULT_MAX_BODY_BYTES = 16 * 1024;

    public Config {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port " + port + " is out of range");
      }
      if (tlsKeyFile.isPresent() != tlsCertFile.isPresent()) {
        throw new IllegalArgumentException("the operator API's TLS key and certificate go"
            + " together: give both or neither");
      }
      if (maxBodyBytes < 256) {
        throw new IllegalArgumentException("request bodies of at least 256 bytes are needed");
      }
    }

    /** Listening on {@code host:port}, nothing else configured (so refusing everything). */
    public static Config on(String host, int port) {
      return new Config(host, port, Optional.empty(), Optional.empty(), Optional.empty(),
          Optional.empty(), DEFAULT_MAX_BODY_BYTES, CrlPublisher.DEFAULT_VALIDITY);
    }

    public Config withToken(Path digestFile) {
      return new Config(host, port, Optional.of(digestFile), operatorCaFile, tlsKeyFile,
          tlsCertFile, maxBodyBytes, crlValidity);
    }

    public Config withOperatorCa(Path caFile) {
      return new Config(host, port, tokenSha256File, Optional.of(caFile), tlsKeyFile,
          tlsCertFile, maxBodyBytes, crlValidity);
    }

    public Config withTls(Path keyFile, Path certFile) {
      return new Config(host, port, tokenSha256File, operatorCaFile, Optional.of(keyFile),
          Optional.of(certFile), maxBodyBytes, crlValidity);
    }

    public Config withMaxBodyBytes(int max) {
      return new Config(host, port, tokenSha256File, operatorCaFile, tlsKeyFile, tlsCertFile,
          max, crlValidity);
    }

    public Config withCrlValidity(Duration validity) {
      return new Config(host, port, tokenSha256File, operatorCaFile, tlsKeyFile, tlsCertFile,
          maxBodyBytes, validity);
    }

    public boolean tls() {
      return tlsKeyFile.isPresent();
    }
  }

  /** One route: {@code path} is under /v1, and a segment {@code {name}} matches any segment. */
  public record Endpoint(String method, String path, boolean isPublic, Handler handler) {
    public Endpoint {
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("endpoint paths start with /");
      }
    }

    public static Endpoint authenticated(String method, String path, Handler handler) {
      return new Endpoint(method, path, false, handler);
    }

    public static Endpoint open(String method, String path, Handler handler) {
      return new Endpoint(method, path, true, handler);
    }
  }

  /** Answers one request. */
  @FunctionalInterface
  public interface Handler {
    /**
     * @throws ApiError for a request the endpoint refuses (400, 404, 409, ...)
     * @throws IOException if the store failed (answered 503)
     */
    Response handle(Request request) throws ApiError, IOException;
  }

  /**
   * A request as an endpoint sees it: already authenticated if the endpoint is not public.
   *
   * @param pathParams the values of the path's {@code {name}} segments, decoded
   * @param query the query parameters, decoded; each at most once
   * @param operator who was let in ("public" for public endpoints), for the log
   */
  public record Request(String method, Map<String, String> pathParams,
      Map<String, String> query, byte[] body, Optional<String> contentType, String operator,
      String remote) {}

  /** A response: status, content type and body. */
  public record Response(int status, String contentType, byte[] body) {
    public static Response json(int status, Object value) {
      return new Response(status, "application/json",
          (Json.write(value) + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  private final HttpServer server;
  private final ExecutorService workers;
  private final OperatorAuth auth;
  private final List<Endpoint> endpoints;
  private final int maxBodyBytes;
  private final Clock clock;
  private final ServiceMetrics metrics;

  private OperatorApi(HttpServer server, ExecutorService workers, OperatorAuth auth,
      List<Endpoint> endpoints, int maxBodyBytes, Clock clock, ServiceMetrics metrics) {
    this.server = server;
    this.workers = workers;
    this.auth = auth;
    this.endpoints = List.copyOf(endpoints);
    this.maxBodyBytes = maxBodyBytes;
    this.clock = clock;
    this.metrics = metrics;
  }

  /**
   * Checks the configuration (fails on an unusable one rather than starting insecurely), then
   * listens.
   */
  public static OperatorApi start(Config config, List<Endpoint> endpoints, Clock clock,
      ServiceMetrics metrics) throws IOException {
    OperatorAuth auth = OperatorAuth.load(config.tokenSha256File(), config.operatorCaFile());
    InetAddress address = InetAddress.getByName(config.host());
    HttpServer server;
    if (config.tls()) {
      HttpsServer https = HttpsServer.create();
      javax.net.ssl.SSLContext context = OperatorTls.serverContext(config.tlsKeyFile().get(),
          config.tlsCertFile().get(), auth.operatorCas());
      boolean askForCertificates = auth.clientCertificatesConfigured();
      https.setHttpsConfigurator(new HttpsConfigurator(context) {
        @Override
        public void configure(HttpsParameters params) {
          SSLParameters ssl = context.getDefaultSSLParameters();
          ssl.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
          ssl.setWantClientAuth(askForCertificates);
          params.setSSLParameters(ssl);
        }
      });
      server = https;
    } else {
      if (config.operatorCaFile().isPresent()) {
        throw new IOException("operator client certificates need TLS: give the API a TLS key"
            + " and certificate");
      }
      if (!auth.tokenConfigured()) {
        throw new IOException("plain HTTP is allowed only with token authentication: give a"
            + " token digest file, or a TLS key and certificate");
      }
      if (!address.isLoopbackAddress()) {
        throw new IOException("plain HTTP is allowed only on a loopback address (the token"
            + " would cross the network in clear); " + config.host() + " is not one: give the"
            + " API a TLS key and certificate");
      }
      server = HttpServer.create();
    }
    server.bind(new InetSocketAddress(address, config.port()), 64);
    ExecutorService workers = Executors.newFixedThreadPool(WORKERS, r -> {
      Thread t = new Thread(r, "certifier-operator-api");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(workers);
    OperatorApi api = new OperatorApi(server, workers, auth, endpoints, config.maxBodyBytes(),
        clock, metrics);
    server.createContext("/", api::serve);
    server.start();
    if (!auth.configured()) {
      LOG.log(Level.WARNING, "operator API on {0}:{1,number,#}: no operator token and no"
          + " operator CA configured, so every authenticated request is refused; only"
          + " /v1/health and /v1/crl answer", config.host(), api.port());
    } else {
      LOG.log(Level.INFO, "operator API on {0}://{1}:{2,number,#}/v1 (token: {3}, client"
          + " certificates: {4})", config.tls() ? "https" : "http", config.host(), api.port(),
          auth.tokenConfigured() ? "yes" : "no",
          auth.clientCertificatesConfigured() ? "yes" : "no");
    }
    return api;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void serve(HttpExchange exchange) {
    String remote = exchange.getRemoteAddress().getAddress().getHostAddress();
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    try (exchange) {
      Response response;
      try {
        response = route(exchange, method, path, remote);
      } catch (ApiError e) {
        response = error(e.status(), e.code(), e.getMessage());
      } catch (IOException e) {
        metrics.storeError();
        LOG.log(Level.ERROR, "operator API {0} {1} from {2}: store failed: {3}", method, path,
            remote, e.getMessage());
        response = error(503, "store-unavailable", "the service's store failed; see its log");
      } catch (RuntimeException e) {
        LOG.log(Level.ERROR, "operator API {0} {1} from {2}: unexpected {3}", method, path,
            remote, e.toString());
        response = error(500, "internal-error", "unexpected error; see the service's log");
      }
      send(exchange, response);
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "operator API client {0} went away: {1}", remote, e.getMessage());
    }
  }

  private Response route(HttpExchange exchange, String method, String path, String remote)
      throws ApiError, IOException {
    Optional<Match> match = match(method, path);
    String operator = "public";
    if (match.isEmpty() || !match.get().endpoint().isPublic()) {
      OperatorAuth.Verdict verdict = auth.check(
          Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")),
          clientChain(exchange), clock.instant());
      switch (verdict) {
        case OperatorAuth.Refused refused -> {
          metrics.operatorAuthFailure();
          // The fixed reason, address and path only: never the header's contents.
          LOG.log(Level.WARNING, "operator API refused {0} ({1}) from {2}: {3} {4}",
              refused.status(), refused.reason(), remote, method, path);
          if (refused.status() == 401) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"certifier\"");
            return error(401, "unauthenticated", "operator credentials are required");
          }
          return error(403, "forbidden", "these credentials do not admit an operator");
        }
        case OperatorAuth.Allowed allowed -> operator = allowed.who();
      }
    }
    if (match.isEmpty()) {
      throw new ApiError(404, "not-found", "no such endpoint");
    }
    Endpoint endpoint = match.get().endpoint();
    if (!endpoint.method().equals(method)) {
      List<String> allowed = new ArrayList<>();
      for (Endpoint e : endpoints) {
        if (e.path().equals(endpoint.path())) {
          allowed.add(e.method());
        }
      }
      exchange.getResponseHeaders().set("Allow", String.join(", ", allowed));
      throw new ApiError(405, "method-not-allowed", method + " is not allowed here; use "
          + String.join(" or ", allowed));
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (Map.Entry<String, String> p : match.get().params().entrySet()) {
      params.put(p.getKey(), decode(p.getValue()));
    }
    byte[] body = body(exchange);
    Request request = new Request(method, Map.copyOf(params),
        query(exchange.getRequestURI().getRawQuery()), body,
        Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type")), operator,
        remote);
    return endpoint.handler().handle(request);
  }

  private record Match(Endpoint endpoint, Map<String, String> params) {}

  /**
   * The endpoint for {@code method} on {@code rawPath}, or another method's on that path (then
   * answered 405), with its path parameters still percent-encoded: decoding waits until the
   * request is authenticated.
   */
  private Optional<Match> match(String method, String rawPath) {
    if (!rawPath.startsWith(PREFIX + "/")) {
      return Optional.empty();
    }
    String[] segments = rawPath.substring(PREFIX.length()).split("/", -1);
    Optional<Match> otherMethod = Optional.empty();
    for (Endpoint e : endpoints) {
      String[] pattern = e.path().split("/", -1);
      if (pattern.length != segments.length) {
        continue;
      }
      Map<String, String> params = new LinkedHashMap<>();
      boolean matches = true;
      for (int i = 0; i < pattern.length && matches; i++) {
        if (pattern[i].startsWith("{") && pattern[i].endsWith("}")) {
          params.put(pattern[i].substring(1, pattern[i].length() - 1), segments[i]);
        } else {
          matches = pattern[i].equals(segments[i]);
        }
      }
      if (!matches) {
        continue;
      }
      Match match = new Match(e, Map.copyOf(params));
      if (e.method().equals(method)) {
        return Optional.of(match);
      }
      if (otherMethod.isEmpty()) {
        otherMethod = Optional.of(match);
      }
    }
    return otherMethod;
  }

  /** The client's certificate chain, if it presented one over TLS. */
  private static List<X509Certificate> clientChain(HttpExchange exchange) {
    if (!(exchange instanceof HttpsExchange https)) {
      return List.of();
    }
    try {
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate c : https.getSSLSession().getPeerCertificates()) {
        if (!(c instanceof X509Certificate x509)) {
          return List.of();
        }
        chain.add(x509);
      }
      return chain;
    } catch (SSLPeerUnverifiedException e) {
      return List.of();
    }
  }

  /** The request body, refused with 413 beyond the limit without reading the rest. */
  private byte[] body(HttpExchange exchange) throws ApiError, IOException {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      long declared;
      try {
        declared = Long.parseLong(length.strip());
      } catch (NumberFormatException e) {
        throw ApiError.badRequest("Content-Length is not a number");
      }
      if (declared > maxBodyBytes) {
        throw tooLarge();
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    InputStream in = exchange.getRequestBody();
    int n;
    while ((n = in.read(buffer)) > 0) {
      out.write(buffer, 0, n);
      if (out.size() > maxBodyBytes) {
        throw tooLarge();
      }
    }
    return out.toByteArray();
  }

  private ApiError tooLarge() {
    return new ApiError(413, "body-too-large", "request bodies are limited to " + maxBodyBytes
        + " bytes");
  }

  /** Query parameters, decoded; a parameter given twice or malformed is an error. */
  private static Map<String, String> query(String rawQuery) throws ApiError {
    Map<String, String> out = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return out;
    }
    for (String pair : rawQuery.split("&", -1)) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw ApiError.badRequest("malformed query parameter");
      }
      String name = decode(pair.substring(0, eq));
      if (out.put(name, decode(pair.substring(eq + 1))) != null) {
        throw ApiError.badRequest("query parameter given twice");
      }
    }
    return out;
  }

  private static String decode(String raw) throws ApiError {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("malformed percent-encoding");
    }
  }

  private static Response error(int status, String code, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", code);
    body.put("message", message);
    return Response.json(status, body);
  }

  private static void send(HttpExchange exchange, Response response) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", response.contentType());
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    byte[] body = response.body();
    exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(1);
    workers.shutdown();
    try {
      if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
