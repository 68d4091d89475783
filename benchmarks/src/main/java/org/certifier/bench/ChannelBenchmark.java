package org.certifier.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.certifier.client.channel.DomainTls;
import org.certifier.client.channel.SecureChannel;
import org.certifier.client.channel.SecureChannelServer;
import org.certifier.crypto.KeyAlgorithm;
import org.certifier.crypto.KeyMessages;
import org.certifier.crypto.Randomness;
import org.certifier.service.issue.CertificateFactory;

/**
 * The secure channel on loopback: bulk throughput of 1 MiB messages in one direction against a
 * raw TLS baseline (the same JDK and the same domain credentials, no framing), and full and
 * resumed handshakes per second. Run: {@code benchmarks/run channel [--seconds=5]}.
 */
public final class ChannelBenchmark {
  private static final int MESSAGE = 1 << 20;
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private ChannelBenchmark() {}

  public static void main(String[] args) throws Exception {
    long seconds = 5;
    for (String a : args) {
      if (a.startsWith("--seconds=")) {
        seconds = Long.parseLong(a.substring("--seconds=".length()));
      }
    }
    // As a client program runs it: TrustManager installs the native provider first if it can
    // (CERTIFIER_CRYPTO=jdk measures the JDK's providers alone).
    System.out.println("crypto provider: " + org.certifier.crypto.CryptoProviders.install()
        .provider());
    SSLContext server = member((byte) 1, 1);
    SSLContext client = member((byte) 2, 2);
    // Warm-up rounds so both paths run compiled code.
    channelThroughput(server, client, 64);
    rawThroughput(server, client, 64);
    int messages = (int) Math.max(64, seconds * 400);
    double channel = channelThroughput(server, client, messages);
    double raw = rawThroughput(server, client, messages);
    System.out.printf(Locale.ROOT, "bulk, 1 MiB messages: secure channel %.0f MiB/s, raw TLS %.0f"
        + " MiB/s (%.2fx)%n", channel, raw, channel / raw);
    handshakes(server, client, 1, false);
    System.out.printf(Locale.ROOT, "full handshakes: %.0f /s%n",
        handshakes(server, client, seconds, false));
    System.out.printf(Locale.ROOT, "resumed handshakes: %.0f /s%n",
        handshakes(server, client, seconds, true));
  }

  private static KeyPair policyKey;
  private static X509Certificate policyCert;

  /** A member of a throw-away domain, certified as our service would certify it. */
  static synchronized SSLContext member(byte measurementByte, long serial) throws Exception {
    Instant now = Instant.now();
    if (policyKey == null) {
      policyKey = KeyMessages.generate(KeyAlgorithm.RSA_2048, Randomness.secureRandom());
      policyCert = CertificateFactory.policyCertificate(policyKey.getPrivate(),
          policyKey.getPublic(), "policyKey", "bench/policyAuthority", now.minusSeconds(60),
          now.plus(Duration.ofDays(1)));
    }
    KeyPair auth = KeyMessages.generate(KeyAlgorithm.RSA_2048, Randomness.secureRandom());
    byte[] measurement = new byte[32];
    java.util.Arrays.fill(measurement, measurementByte);
    X509Certificate cert = CertificateFactory.admissionCertificate(policyKey.getPrivate(),
        policyCert, auth.getPublic(), measurement, Optional.empty(), BigInteger.valueOf(serial),
        now.minusSeconds(60), now.plus(Duration.ofDays(1)));
    return DomainTls.context(auth.getPrivate(), cert, policyCert);
  }

  /** MiB/s through SecureChannel (framed messages). */
  static double channelThroughput(SSLContext server, SSLContext client, int messages)
      throws Exception {
    byte[] payload = new byte[MESSAGE];
    try (SecureChannelServer listener = SecureChannelServer.bind(server, "127.0.0.1", 0,
        TIMEOUT)) {
      CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> {
        long total = 0;
        try (SecureChannel ch = listener.accept()) {
          for (int i = 0; i < messages; i++) {
            total += ch.read().length;
          }
          ch.write(new byte[] {1});
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        return total;
      });
      long start = System.nanoTime();
      try (SecureChannel ch = SecureChannel.connect(client, "127.0.0.1", listener.port(),
          TIMEOUT)) {
        for (int i = 0; i < messages; i++) {
          ch.write(payload);
        }
        ch.read();
      }
      long total = received.get(120, TimeUnit.SECONDS);
      return total / 1048576.0 / ((System.nanoTime() - start) / 1e9);
    }
  }

  /** MiB/s through plain SSLSockets of the same contexts, no framing: the JDK's TLS alone. */
  static double rawThroughput(SSLContext server, SSLContext client, int messages)
      throws Exception {
    byte[] payload = new byte[MESSAGE];
    try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
        .createServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress())) {
      listener.setNeedClientAuth(true);
      CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> {
        long total = 0;
        byte[] buffer = new byte[1 << 16];
        try (SSLSocket s = (SSLSocket) listener.accept()) {
          InputStream in = s.getInputStream();
          long expected = (long) messages * MESSAGE;
          while (total < expected) {
            int n = in.read(buffer);
            if (n < 0) {
              break;
            }
            total += n;
          }
          s.getOutputStream().write(1);
          s.getOutputStream().flush();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        return total;
      });
      long start = System.nanoTime();
      try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket(
          java.net.InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
        OutputStream out = s.getOutputStream();
        for (int i = 0; i < messages; i++) {
          out.write(payload);
        }
        out.flush();
        s.getInputStream().read();
      }
      long total = received.get(120, TimeUnit.SECONDS);
      return total / 1048576.0 / ((System.nanoTime() - start) / 1e9);
    }
  }

  /**
   * Handshakes per second, one at a time. For full handshakes the client's session is
   * invalidated after each one, so nothing can be resumed; otherwise the JDK resumes with the
   * session ticket from the previous connection.
   */
  static double handshakes(SSLContext server, SSLContext client, long seconds, boolean resume)
      throws Exception {
    try (SecureChannelServer listener = SecureChannelServer.bind(server, "127.0.0.1", 0,
        TIMEOUT)) {
      Thread acceptor = Thread.ofPlatform().daemon().start(() -> {
        while (true) {
          try (SecureChannel ch = listener.accept()) {
            ch.read();
          } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
              return;
            }
          }
        }
      });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      long start = System.nanoTime();
      int count = 0;
      while (System.nanoTime() < deadline) {
        try (SecureChannel ch = SecureChannel.connect(client, "127.0.0.1", listener.port(),
            TIMEOUT)) {
          ch.write(new byte[] {1});
          if (!resume) {
            ch.session().invalidate();
          }
        }
        count++;
      }
      double rate = count / ((System.nanoTime() - start) / 1e9);
      acceptor.interrupt();
      return rate;
    }
  }
}
