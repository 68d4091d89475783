package org.certifier.testing.intel;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.certifier.testing.intel.FakeIntelDcap.PckCa;
import org.certifier.testing.intel.FakeIntelDcap.Tee;

/**
 * Intel's Provisioning Certification Service (API v4) on loopback, serving a
 * {@link FakeIntelDcap}'s collateral in the PCS's shapes:
 *
 * <ul>
 *   <li>{@code GET /sgx/certification/v4/tcb?fmspc=…} and {@code /tdx/certification/v4/tcb?…}:
 *       {@code {"tcbInfo":{…},"signature":"…"}}, header {@code TCB-Info-Issuer-Chain};</li>
 *   <li>{@code GET /sgx/certification/v4/qe/identity} and {@code /tdx/…/qe/identity}:
 *       {@code {"enclaveIdentity":{…},"signature":"…"}}, header
 *       {@code SGX-Enclave-Identity-Issuer-Chain};</li>
 *   <li>{@code GET /sgx/certification/v4/pckcrl?ca=processor|platform[&encoding=der|pem]}: the
 *       CRL, PEM unless {@code encoding=der}, header {@code SGX-PCK-CRL-Issuer-Chain};</li>
 *   <li>{@code GET /IntelSGXRootCA.der}: the root CA CRL (DER), where Intel publishes it
 *       (the root's CRL distribution point, on certificates.trustedservices.intel.com).</li>
 * </ul>
 *
 * <p>Issuer chains are PEM, URL-encoded, as the PCS sends them; every answer carries a
 * {@code Request-ID}. An unknown FMSPC is 404, a missing or bad parameter 400, any method but
 * GET 405. For clients' retry and caching logic the fake can answer 429 with
 * {@code Retry-After} a number of times, delay its answers, and counts requests per path.
 */
public final class FakeIntelPcs implements Closeable {
  /** The header names of PCS API v4. */
  public static final String TCB_INFO_ISSUER_CHAIN = "TCB-Info-Issuer-Chain";
  public static final String ENCLAVE_IDENTITY_ISSUER_CHAIN = "SGX-Enclave-Identity-Issuer-Chain";
  public static final String PCK_CRL_ISSUER_CHAIN = "SGX-PCK-CRL-Issuer-Chain";
  public static final String ROOT_CRL_PATH = "/IntelSGXRootCA.der";

  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<Tee, Collateral> collateral = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();
  private final AtomicInteger throttled = new AtomicInteger();
  private volatile int retryAfterSeconds;
  private volatile Duration delay = Duration.ZERO;

  private FakeIntelPcs(Collateral sgx, Collateral tdx) throws IOException {
    collateral.put(Tee.SGX, sgx);
    collateral.put(Tee.TDX, tdx);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "fake-intel-pcs");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * Serves {@code sgx} for the SGX paths and {@code tdx} for the TDX ones, on 127.0.0.1 at an
   * ephemeral port.
   */
  public static FakeIntelPcs start(Collateral sgx, Collateral tdx) throws IOException {
    if (sgx.tee() != Tee.SGX || tdx.tee() != Tee.TDX) {
      throw new IllegalArgumentException("SGX collateral first, then TDX");
    }
    return new FakeIntelPcs(sgx, tdx);
  }

  /** Serves the default collateral of {@code dcap} for both TEEs. */
  public static FakeIntelPcs start(FakeIntelDcap dcap) throws IOException {
    return start(dcap.collateral(Tee.SGX).build(), dcap.collateral(Tee.TDX).build());
  }

  /** {@code http://127.0.0.1:<port>}: the PCS base URL, without the {@code /sgx/...}. */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Serves other collateral from now on, e.g. an updated TCB info. */
  public void update(Collateral c) {
    collateral.put(c.tee(), c);
  }

  /** Answers the next {@code times} requests with 429 and {@code Retry-After: seconds}. */
  public void throttle(int times, int seconds) {
    retryAfterSeconds = seconds;
    throttled.set(times);
  }

  /** Waits this long before each answer. */
  public void delay(Duration each) {
    delay = Objects.requireNonNull(each, "each");
  }

  /** All requests so far, throttled ones included. */
  public int requestCount() {
    return total.get();
  }

  /** Requests for one path (without query), e.g. {@code /tdx/certification/v4/tcb}. */
  public int requestCount(String path) {
    AtomicInteger n = requests.get(path);
    return n == null ? 0 : n.get();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      int n = total.incrementAndGet();
      requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      exchange.getResponseHeaders().set("Request-ID", String.format("%032x", n));
      pause();
      if (!exchange.getRequestMethod().equals("GET")) {
        send(exchange, 405, "text/plain", new byte[0]);
        return;
      }
      if (throttled.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
        exchange.getResponseHeaders().set("Retry-After", Integer.toString(retryAfterSeconds));
        send(exchange, 429, "text/plain", new byte[0]);
        return;
      }
      answer(exchange, path, query(exchange.getRequestURI().getRawQuery()));
    }
  }

  private void answer(HttpExchange exchange, String path, Map<String, String> query)
      throws IOException {
    switch (path) {
      case "/sgx/certification/v4/tcb" -> tcbInfo(exchange, collateral.get(Tee.SGX), query);
      case "/tdx/certification/v4/tcb" -> tcbInfo(exchange, collateral.get(Tee.TDX), query);
      case "/sgx/certification/v4/qe/identity" -> qeIdentity(exchange, collateral.get(Tee.SGX));
      case "/tdx/certification/v4/qe/identity" -> qeIdentity(exchange, collateral.get(Tee.TDX));
      case "/sgx/certification/v4/pckcrl" -> pckCrl(exchange, query);
      case ROOT_CRL_PATH ->
          send(exchange, 200, "application/pkix-crl", collateral.get(Tee.SGX).rootCaCrl());
      default -> send(exchange, 404, "text/plain", new byte[0]);
    }
  }

  private static void tcbInfo(HttpExchange exchange, Collateral c, Map<String, String> query)
      throws IOException {
    String fmspc = query.get("fmspc");
    if (fmspc == null || !fmspc.matches("[0-9A-Fa-f]{12}")) {
      send(exchange, 400, "text/plain", new byte[0]);
    } else if (!fmspc.equalsIgnoreCase(c.fmspc())) {
      send(exchange, 404, "text/plain", new byte[0]);
    } else {
      exchange.getResponseHeaders().set(TCB_INFO_ISSUER_CHAIN, encode(c.tcbSigningChain()));
      send(exchange, 200, "application/json", utf8(c.pcsTcbInfoBody()));
    }
  }

  private static void qeIdentity(HttpExchange exchange, Collateral c) throws IOException {
    exchange.getResponseHeaders().set(ENCLAVE_IDENTITY_ISSUER_CHAIN,
        encode(c.tcbSigningChain()));
    send(exchange, 200, "application/json", utf8(c.pcsQeIdentityBody()));
  }

  private void pckCrl(HttpExchange exchange, Map<String, String> query) throws IOException {
    PckCa ca = null;
    for (PckCa candidate : PckCa.values()) {
      if (candidate.pcsName().equals(query.get("ca"))) {
        ca = candidate;
      }
    }
    String encoding = query.getOrDefault("encoding", "pem");
    if (ca == null || !(encoding.equals("pem") || encoding.equals("der"))) {
      send(exchange, 400, "text/plain", new byte[0]);
      return;
    }
    Collateral c = collateral.get(Tee.SGX);
    byte[] crl = c.pckCrl(ca);
    exchange.getResponseHeaders().set(PCK_CRL_ISSUER_CHAIN, encode(c.pckCrlIssuerChain(ca)));
    if (encoding.equals("der")) {
      send(exchange, 200, "application/pkix-crl", crl);
    } else {
      send(exchange, 200, "application/x-pem-file", utf8(IntelCertificates.pem("X509 CRL", crl)));
    }
  }

  private void pause() {
    Duration d = delay;
    if (!d.isZero()) {
      try {
        Thread.sleep(d);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** As the PCS encodes issuer chains: percent-encoding, spaces as %20. */
  static String encode(String pem) {
    return URLEncoder.encode(pem, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8)
                  .toLowerCase(Locale.ROOT),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return out;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
