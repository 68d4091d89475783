package org.certifier.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.certifier.client.RenewalSettings;
import org.certifier.client.TrustManager;
import org.certifier.client.TrustManagerException;
import org.certifier.client.channel.SecureChannel;
import org.certifier.client.channel.SecureChannelServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Short-lived admission certificates from the real service (3 seconds here, set by the service
 * or by the domain's policy) are renewed by the trust manager by itself; the application only
 * listens.
 */
class RenewalTest {
  private static final String DOMAIN = LiveDomain.NAME;
  private static final Duration LIFETIME = Duration.ofSeconds(3);
  private static final TrustManager.Options FAST_RETRIES = TrustManager.Options.defaults()
      .withRenewal(RenewalSettings.defaults().withRetries(Duration.ofMillis(100),
          Duration.ofMillis(500)));

  @TempDir
  Path dir;

  private record Renewed(X509Certificate previous, X509Certificate renewed) {}

  private record Failed(TrustManagerException failure) {}

  private static BlockingQueue<Object> events(TrustManager tm) {
    BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    tm.addListener(new TrustManager.Listener() {
      @Override
      public void certificateRenewed(String d, X509Certificate previous,
          X509Certificate renewed) {
        events.add(new Renewed(previous, renewed));
      }

      @Override
      public void renewalFailed(String d, TrustManagerException failure, Instant next) {
        events.add(new Failed(failure));
      }
    });
    return events;
  }

  @Test
  void aShortLivedCertificateIsRenewedAndNewChannelsPresentTheNewOne() throws Exception {
    LiveDomain domain = new LiveDomain(dir);
    try (CertifierService service = domain.start(LIFETIME);
        TrustManager server = domain.certifiedMember("server", service.port(), FAST_RETRIES);
        TrustManager client = domain.certifiedMember("client", service.port(), FAST_RETRIES)) {
      BlockingQueue<Object> clientEvents = events(client);
      X509Certificate first = client.admissionCertificate(DOMAIN).orElseThrow();
      // Made before the renewal, used after it: the application rebuilds nothing.
      SSLContext context = client.sslContext(DOMAIN);

      Renewed renewed = (Renewed) clientEvents.poll(10, TimeUnit.SECONDS);

      assertTrue(renewed != null, "renewed within 10 s");
      assertEquals(first, renewed.previous());
      assertNotEquals(first.getSerialNumber(), renewed.renewed().getSerialNumber());
      assertTrue(Instant.now().isBefore(first.getNotAfter().toInstant()),
          "renewed before the old certificate expired");
      assertEquals(renewed.renewed(), client.admissionCertificate(DOMAIN).orElseThrow());
      try (TrustManager reopened = domain.open("client", TrustManager.Options.defaults()
          .withRenewal(RenewalSettings.disabled()))) {
        assertEquals(renewed.renewed(), reopened.admissionCertificate(DOMAIN).orElseThrow(),
            "the renewed certificate is in the store");
      }
      BigInteger presented = presentedSerial(server, context);
      BigInteger current = client.admissionCertificate(DOMAIN).orElseThrow().getSerialNumber();
      assertTrue(presented.compareTo(first.getSerialNumber()) > 0,
          "the old context presents a renewed certificate");
      assertTrue(presented.compareTo(current) <= 0);
    }
  }

  @Test
  void aShortLifetimeFromThePolicyIsRenewedToo() throws Exception {
    LiveDomain domain = new LiveDomain(dir);
    domain.signPolicy(1, Optional.of(LIFETIME));
    try (CertifierService service = domain.start(Duration.ofDays(365));
        TrustManager client = domain.certifiedMember("client", service.port(), FAST_RETRIES)) {
      BlockingQueue<Object> clientEvents = events(client);
      X509Certificate first = client.admissionCertificate(DOMAIN).orElseThrow();
      assertEquals(LIFETIME, Duration.between(first.getNotBefore().toInstant(),
          first.getNotAfter().toInstant()), "the policy's lifetime, not the service's year");

      Renewed renewed = (Renewed) clientEvents.poll(10, TimeUnit.SECONDS);

      assertTrue(renewed != null, "renewed within 10 s without the application asking");
      assertEquals(first, renewed.previous());
      assertTrue(renewed.renewed().getNotAfter().after(first.getNotAfter()));
      assertEquals(renewed.renewed(), client.admissionCertificate(DOMAIN).orElseThrow());
    }
  }

  @Test
  void aFailedRenewalKeepsTheOldCertificateAndIsReported() throws Exception {
    LiveDomain domain = new LiveDomain(dir);
    TrustManager client;
    X509Certificate first;
    try (CertifierService service = domain.start(LIFETIME)) {
      client = domain.certifiedMember("client", service.port(), FAST_RETRIES);
      first = client.admissionCertificate(DOMAIN).orElseThrow();
    }
    try (client) {
      BlockingQueue<Object> events = events(client);
      Failed failed = (Failed) events.poll(10, TimeUnit.SECONDS);
      assertTrue(failed != null, "the failure was reported");
      assertTrue(failed.failure().getMessage().contains("cannot reach"),
          failed.failure().getMessage());
      assertEquals(first, client.admissionCertificate(DOMAIN).orElseThrow(),
          "the old certificate stays");
      Object again = events.poll(10, TimeUnit.SECONDS);
      assertTrue(again instanceof Failed, "retried and reported again");
    }
  }

  /** The serial the server sees when {@code context} connects to it. */
  private static BigInteger presentedSerial(TrustManager server, SSLContext context)
      throws Exception {
    try (SecureChannelServer listener = server.listen(DOMAIN, "127.0.0.1", 0)) {
      CompletableFuture<BigInteger> seen = CompletableFuture.supplyAsync(() -> {
        try (SecureChannel ch = listener.accept()) {
          ch.read();
          ch.write(new byte[] {1});
          return ch.peerCertificate().getSerialNumber();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      try (SecureChannel ch = SecureChannel.connect(context, "127.0.0.1", listener.port(),
          Duration.ofSeconds(10))) {
        ch.write(new byte[] {0});
        ch.read();
      }
      return seen.get(10, TimeUnit.SECONDS);
    }
  }
}
