package org.certifier.client.revocation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fetching the CRL over HTTP: bounded in size and in time, and only a 200 counts. */
class CrlSourceHttpTest {
  private static final byte[] BODY = {0x30, 0x03, 0x02, 0x01, 0x07};
  private HttpServer http;
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void serve() throws IOException {
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/v1/crl", exchange -> {
      exchange.getResponseHeaders().add("Content-Type", "application/pkix-crl");
      exchange.sendResponseHeaders(200, BODY.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(BODY);
      }
    });
    http.createContext("/missing", exchange -> {
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
    });
    http.createContext("/huge", exchange -> {
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        byte[] chunk = new byte[64 * 1024];
        for (int sent = 0; sent <= Crl.MAX_BYTES; sent += chunk.length) {
          out.write(chunk);
        }
      } catch (IOException expected) {
        // the client hangs up once it has seen too much
      }
    });
    http.createContext("/stalled", exchange -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    });
    http.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    http.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    http.stop(0);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + path);
  }

  @Test
  void theBodyOfA200IsTheCrl() throws Exception {
    assertArrayEquals(BODY, CrlSource.url(uri("/v1/crl")).fetch());
  }

  @Test
  void anotherStatusIsAnError() {
    IOException e = assertThrows(IOException.class, () -> CrlSource.url(uri("/missing")).fetch());
    assertTrue(e.getMessage().contains("404"), e.getMessage());
  }

  @Test
  void anOversizedBodyIsCutOff() {
    assertThrows(IOException.class, () -> CrlSource.url(uri("/huge")).fetch());
  }

  @Test
  void aStalledServerIsGivenUpOnAtTheTimeout() {
    long start = System.nanoTime();
    assertThrows(IOException.class,
        () -> new CrlSource.Http(uri("/stalled"), Duration.ofMillis(500)).fetch());
    assertTrue((System.nanoTime() - start) / 1_000_000 < 5_000);
  }

  @Test
  void onlyHttpUrlsAreAccepted() {
    assertThrows(IllegalArgumentException.class,
        () -> CrlSource.url(URI.create("file:///etc/crl")));
  }
}
