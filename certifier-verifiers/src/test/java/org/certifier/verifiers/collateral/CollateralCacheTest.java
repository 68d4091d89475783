package org.certifier.verifiers.collateral;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.testing.MutableClock;
import org.certifier.verifiers.collateral.CollateralKey.AmdCrl;
import org.certifier.verifiers.collateral.CollateralKey.AmdKeyKind;
import org.certifier.verifiers.collateral.CollateralKey.IntelTcbInfo;
import org.certifier.verifiers.collateral.CollateralKey.IntelTee;
import org.certifier.verifiers.collateral.FakeVendorServer.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cache over the HTTP fetcher against a loopback vendor-shaped server: one request for
 * many callers, maximum age, back-off on 429 (waits recorded, never slept), and every way a
 * fetch fails closed.
 */
class CollateralCacheTest {
  private static final AmdCrl CRL = new AmdCrl("Milan", AmdKeyKind.VCEK);
  private static final String CRL_PATH = "/vcek/v1/Milan/crl";
  private static final byte[] CRL_BYTES = "a DER CRL".getBytes(StandardCharsets.US_ASCII);
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final CollateralCache.Settings SETTINGS = new CollateralCache.Settings(
      Duration.ofMinutes(10), 3, Duration.ofSeconds(1), Duration.ofSeconds(30), 100);

  private FakeVendorServer server;
  private final MutableClock clock = new MutableClock(START);
  private final List<Duration> waits = new ArrayList<>();

  @BeforeEach
  void startServer() throws Exception {
    server = FakeVendorServer.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private CollateralCache cache(CollateralCache.Settings settings, VendorServices.Limits limits) {
    return new CollateralCache(new VendorServices(server.endpoints(), limits), settings, clock,
        waits::add);
  }

  private CollateralCache cache() {
    return cache(SETTINGS, VendorServices.Limits.DEFAULT);
  }

  @Test
  void tenConcurrentCallersMakeOneRequest() throws Exception {
    server.answer(CRL_PATH, Answer.ok(CRL_BYTES));
    server.hold();
    CollateralCache cache = cache();
    ExecutorService pool = Executors.newFixedThreadPool(10);
    List<Thread> threads = new ArrayList<>();
    try {
      List<Future<Collateral>> results = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        results.add(pool.submit(() -> {
          synchronized (threads) {
            threads.add(Thread.currentThread());
          }
          return cache.get(CRL);
        }));
      }
      // Open the gate only once every caller is blocked: the one in the request, the others
      // on its outcome. A cache without de-duplication would have ten requests waiting here.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!allWaiting(threads, 10) && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      server.release();
      for (Future<Collateral> r : results) {
        assertArrayEquals(CRL_BYTES, r.get(20, TimeUnit.SECONDS).body());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, server.requests(CRL_PATH));
  }

  private static boolean allWaiting(List<Thread> threads, int expected) {
    synchronized (threads) {
      return threads.size() == expected && threads.stream()
          .allMatch(t -> t.getState() == Thread.State.WAITING
              || t.getState() == Thread.State.TIMED_WAITING);
    }
  }

  @Test
  void anItemIsServedUntilItsMaximumAgeThenFetchedAgain() throws Exception {
    server.answer(CRL_PATH, Answer.ok(CRL_BYTES));
    CollateralCache cache = cache();

    cache.get(CRL);
    clock.advance(Duration.ofMinutes(9));
    cache.get(CRL);
    assertEquals(1, server.requests(CRL_PATH));

    clock.advance(Duration.ofMinutes(1));
    cache.get(CRL);
    assertEquals(2, server.requests(CRL_PATH));
  }

  @Test
  void aShorterCacheControlMaxAgeWinsALongerOneDoesNot() throws Exception {
    server.answer(CRL_PATH, new Answer(200, CRL_BYTES,
        Map.of("Cache-Control", "public, max-age=60"), false));
    CollateralCache cache = cache();
    cache.get(CRL);
    clock.advance(Duration.ofSeconds(61));
    cache.get(CRL);
    assertEquals(2, server.requests(CRL_PATH));

    assertEquals(Duration.ofMinutes(10), cache.lifetime(Optional.of("max-age=86400")));
    assertEquals(Duration.ZERO, cache.lifetime(Optional.of("no-store")));
  }

  @Test
  void noStoreKeepsAnItemOutOfTheCache() throws Exception {
    server.answer(CRL_PATH, new Answer(200, CRL_BYTES, Map.of("Cache-Control", "no-store"),
        false));
    CollateralCache cache = cache();
    cache.get(CRL);
    cache.get(CRL);
    assertEquals(2, server.requests(CRL_PATH));
  }

  @Test
  void twoTooManyRequestsAreWaitedOutAsTheServiceAsks() throws Exception {
    String httpDate = DateTimeFormatter.RFC_1123_DATE_TIME
        .format(START.plusSeconds(3).atOffset(ZoneOffset.UTC));
    server.answer(CRL_PATH,
        Answer.status(429, Map.of("Retry-After", "7")),
        Answer.status(429, Map.of("Retry-After", httpDate)),
        Answer.ok(CRL_BYTES));

    Collateral crl = cache().get(CRL);

    assertArrayEquals(CRL_BYTES, crl.body());
    assertEquals(3, server.requests(CRL_PATH));
    assertEquals(List.of(Duration.ofSeconds(7), Duration.ofSeconds(3)), waits);
  }

  @Test
  void withoutRetryAfterTheBackOffDoublesAndTheRetriesAreBounded() {
    server.answer(CRL_PATH, Answer.status(429, Map.of()));

    VerificationException e = assertThrows(VerificationException.class, () -> cache().get(CRL));

    assertEquals(Failure.COLLATERAL_UNAVAILABLE, e.failure());
    assertEquals(4, server.requests(CRL_PATH));
    assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)),
        waits);
  }

  @Test
  void aRetryAfterBeyondTheCapFailsAtOnce() {
    server.answer(CRL_PATH, Answer.status(429, Map.of("Retry-After", "3600")));

    VerificationException e = assertThrows(VerificationException.class, () -> cache().get(CRL));

    assertEquals(Failure.COLLATERAL_UNAVAILABLE, e.failure());
    assertEquals(1, server.requests(CRL_PATH));
    assertEquals(List.of(), waits);
  }

  @Test
  void retryAfterReadsSecondsAndDatesAndIgnoresNonsense() {
    CollateralCache cache = cache();
    assertEquals(Optional.of(Duration.ofSeconds(120)), cache.retryAfter(Optional.of("120")));
    assertEquals(Optional.of(Duration.ZERO),
        cache.retryAfter(Optional.of("Wed, 01 Jan 2025 00:00:00 GMT")));
    assertEquals(Optional.empty(), cache.retryAfter(Optional.of("-5")));
    assertEquals(Optional.empty(), cache.retryAfter(Optional.of("soon")));
  }

  @Test
  void notFoundIsUnavailableAndNotCached() {
    CollateralCache cache = cache();
    for (int i = 0; i < 2; i++) {
      VerificationException e = assertThrows(VerificationException.class, () -> cache.get(CRL));
      assertEquals(Failure.COLLATERAL_UNAVAILABLE, e.failure());
      assertTrue(e.getMessage().contains("404"), e.getMessage());
    }
    assertEquals(2, server.requests(CRL_PATH));
  }

  @Test
  void aBodyOverTheLimitIsRefusedWithOrWithoutContentLength() {
    VendorServices.Limits small =
        new VendorServices.Limits(Duration.ofSeconds(5), Duration.ofSeconds(20), 1000);
    for (boolean chunked : new boolean[] {false, true}) {
      server.answer(CRL_PATH, new Answer(200, new byte[5000], Map.of(), chunked));
      VerificationException e = assertThrows(VerificationException.class,
          () -> cache(SETTINGS, small).get(CRL));
      assertEquals(Failure.COLLATERAL_UNAVAILABLE, e.failure(), "chunked " + chunked);
    }
  }

  @Test
  void aServiceThatDoesNotAnswerInTimeIsUnavailable() {
    server.answer(CRL_PATH, Answer.ok(CRL_BYTES));
    server.hold();
    VendorServices.Limits impatient =
        new VendorServices.Limits(Duration.ofSeconds(5), Duration.ofMillis(200), 1000);

    VerificationException e = assertThrows(VerificationException.class,
        () -> cache(SETTINGS, impatient).get(CRL));

    assertEquals(Failure.COLLATERAL_UNAVAILABLE, e.failure());
  }

  @Test
  void anUnreachableServiceIsUnavailable() {
    VendorServices.Endpoints nowhere = server.endpoints();
    server.close();
    CollateralCache cache = new CollateralCache(
        new VendorServices(nowhere, VendorServices.Limits.DEFAULT), SETTINGS, clock, waits::add);

    VerificationException e = assertThrows(VerificationException.class, () -> cache.get(CRL));

    assertEquals(Failure.COLLATERAL_UNAVAILABLE, e.failure());
  }

  @Test
  void intelIssuerChainsArePercentDecodedAndRequired() throws Exception {
    IntelTcbInfo key = new IntelTcbInfo(IntelTee.TDX, "00806f050000");
    String path = "/tdx/certification/v4/tcb?fmspc=00806F050000";
    String pem = "-----BEGIN CERTIFICATE-----\nMII+/a==\n-----END CERTIFICATE-----\n";
    String encoded = pem.replace("-", "%2D").replace("\n", "%0A").replace("+", "%2B")
        .replace("/", "%2F").replace("=", "%3D");
    byte[] json = "{\"tcbInfo\":{}}".getBytes(StandardCharsets.US_ASCII);
    server.answer(path, new Answer(200, json, Map.of("TCB-Info-Issuer-Chain", encoded), false));

    Collateral tcb = cache().get(key);

    assertArrayEquals(json, tcb.body());
    assertEquals(Optional.of(pem), tcb.issuerChainPem());

    server.answer(path, Answer.ok(json));
    VerificationException e = assertThrows(VerificationException.class, () -> cache().get(key));
    assertEquals(Failure.COLLATERAL_UNAVAILABLE, e.failure());
  }

  @Test
  void aBadPercentEscapeIsUnavailable() {
    IntelTcbInfo key = new IntelTcbInfo(IntelTee.SGX, "00906ED50000");
    server.answer("/sgx/certification/v4/tcb?fmspc=00906ED50000",
        new Answer(200, new byte[1], Map.of("TCB-Info-Issuer-Chain", "%2"), false));

    VerificationException e = assertThrows(VerificationException.class, () -> cache().get(key));

    assertEquals(Failure.COLLATERAL_UNAVAILABLE, e.failure());
  }
}
