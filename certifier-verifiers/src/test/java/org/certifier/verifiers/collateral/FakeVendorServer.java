package org.certifier.verifiers.collateral;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A loopback HTTP server shaped like AMD KDS and Intel PCS as far as the fetchers see them:
 * answers per path and query, queued (the last one repeats), 404 for anything else, every
 * request counted, and a gate that holds requests until the test opens it.
 */
final class FakeVendorServer implements AutoCloseable {
  /**
   * One answer.
   *
   * @param chunked send the body without Content-Length
   */
  record Answer(int status, byte[] body, Map<String, String> headers, boolean chunked) {
    static Answer ok(byte[] body) {
      return new Answer(200, body, Map.of(), false);
    }

    static Answer status(int status, Map<String, String> headers) {
      return new Answer(status, new byte[0], headers, false);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Map<String, Deque<Answer>> answers = new ConcurrentHashMap<>();
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private volatile CountDownLatch gate = new CountDownLatch(0);

  private FakeVendorServer(HttpServer server) {
    this.server = server;
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  static FakeVendorServer start() throws IOException {
    return new FakeVendorServer(HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Endpoints that send every service to this server, the Intel root CRL to /rootcrl.der. */
  VendorServices.Endpoints endpoints() {
    return new VendorServices.Endpoints(base(), base(), base().resolve("/rootcrl.der"));
  }

  /** Serves {@code pathAndQuery} with these answers in order, then the last one forever. */
  void answer(String pathAndQuery, Answer... queue) {
    answers.put(pathAndQuery, new ArrayDeque<>(List.of(queue)));
  }

  /** How many requests asked for {@code pathAndQuery}. */
  int requests(String pathAndQuery) {
    synchronized (requests) {
      return (int) requests.stream().filter(pathAndQuery::equals).count();
    }
  }

  /** Requests wait until {@link #release()}. */
  void hold() {
    gate = new CountDownLatch(1);
  }

  void release() {
    gate.countDown();
  }

  private void handle(HttpExchange exchange) throws IOException {
    URI uri = exchange.getRequestURI();
    String key = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    requests.add(key);
    try {
      gate.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Deque<Answer> queue = answers.get(key);
    Answer answer;
    if (queue == null) {
      answer = Answer.status(404, Map.of());
    } else {
      synchronized (queue) {
        answer = queue.size() > 1 ? queue.poll() : queue.peek();
      }
    }
    answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
    long length = answer.chunked() ? 0 : answer.body().length == 0 ? -1 : answer.body().length;
    try (exchange; OutputStream out = exchange.getResponseBody()) {
      exchange.sendResponseHeaders(answer.status(), length);
      out.write(answer.body());
    } catch (IOException e) {
      // The client gave up (a size limit or a timeout): what the test is about.
    }
  }

  @Override
  public void close() {
    gate.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
