package org.certifier.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.certifier.client.channel.DomainTls;
import org.certifier.client.channel.SecureChannel;
import org.certifier.client.channel.SecureChannelServer;
import org.certifier.crypto.KeyAlgorithm;
import org.certifier.crypto.KeyMessages;
import org.certifier.crypto.Randomness;
import org.certifier.service.issue.CertificateFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The secure channel between members of a domain, with certificates from our issuer. */
class SecureChannelTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static Domain home;
  private static Domain other;

  private record Domain(KeyPair policyKey, X509Certificate policyCert) {
    static Domain create(String name) throws Exception {
      KeyPair key = KeyMessages.generate(KeyAlgorithm.RSA_2048, Randomness.secureRandom());
      Instant now = Instant.now();
      return new Domain(key, CertificateFactory.policyCertificate(key.getPrivate(),
          key.getPublic(), "policyKey", name + "/policyAuthority", now.minusSeconds(60),
          now.plus(Duration.ofDays(1))));
    }

    SSLContext member(byte[] measurement, long serial) throws Exception {
      KeyPair auth = KeyMessages.generate(KeyAlgorithm.RSA_2048, Randomness.secureRandom());
      Instant now = Instant.now();
      X509Certificate cert = CertificateFactory.admissionCertificate(policyKey.getPrivate(),
          policyCert, auth.getPublic(), measurement, Optional.empty(), BigInteger.valueOf(serial),
          now.minusSeconds(60), now.plus(Duration.ofDays(1)));
      return DomainTls.context(auth.getPrivate(), cert, policyCert);
    }
  }

  @BeforeAll
  static void domains() throws Exception {
    home = Domain.create("home");
    other = Domain.create("other");
  }

  private static byte[] measurement(int b) {
    byte[] m = new byte[32];
    java.util.Arrays.fill(m, (byte) b);
    return m;
  }

  @Test
  void membersExchangeFramedMessagesAndSeeEachOthersProgram() throws Exception {
    SSLContext server = home.member(measurement(1), 1);
    SSLContext client = home.member(measurement(2), 2);
    try (SecureChannelServer listener = SecureChannelServer.bind(server, "127.0.0.1", 0,
        TIMEOUT)) {
      CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
        try (SecureChannel ch = listener.accept()) {
          byte[] got = ch.read();
          ch.write("Hi from your secret server\n".getBytes(StandardCharsets.UTF_8));
          return ch.peerId() + "|" + new String(got, StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      try (SecureChannel ch = SecureChannel.connect(client, "127.0.0.1", listener.port(),
          TIMEOUT)) {
        ch.write("Hi from your secret client\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("Hi from your secret server\n",
            new String(ch.read(), StandardCharsets.UTF_8));
        assertEquals("Measured-" + HexFormat.of().formatHex(measurement(1)), ch.peerId());
        assertArrayEquals(measurement(1), ch.peerMeasurement());
        assertEquals("TLSv1.3", ch.protocol());
      }
      assertEquals("Measured-" + HexFormat.of().formatHex(measurement(2))
          + "|Hi from your secret client\n", served.get(20, TimeUnit.SECONDS));
    }
  }

  @Test
  void largeMessagesCrossIntact() throws Exception {
    SSLContext server = home.member(measurement(3), 3);
    SSLContext client = home.member(measurement(4), 4);
    byte[] big = new byte[1 << 20];
    Randomness.secureRandom().nextBytes(big);
    try (SecureChannelServer listener = SecureChannelServer.bind(server, "127.0.0.1", 0,
        TIMEOUT)) {
      CompletableFuture<byte[]> served = CompletableFuture.supplyAsync(() -> {
        try (SecureChannel ch = listener.accept()) {
          byte[] got = ch.read();
          ch.write(got);
          return got;
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      try (SecureChannel ch = SecureChannel.connect(client, "127.0.0.1", listener.port(),
          TIMEOUT)) {
        ch.write(big);
        assertArrayEquals(big, ch.read());
      }
      assertArrayEquals(big, served.get(20, TimeUnit.SECONDS));
    }
  }

  @Test
  void aPeerCertifiedUnderAnotherPolicyKeyIsRefused() throws Exception {
    SSLContext server = home.member(measurement(5), 5);
    SSLContext stranger = other.member(measurement(6), 6);
    try (SecureChannelServer listener = SecureChannelServer.bind(server, "127.0.0.1", 0,
        TIMEOUT)) {
      CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
        try (SecureChannel ch = listener.accept()) {
          ch.read();
        } catch (IOException expected) {
          // the server refuses the handshake
        }
      });
      assertThrows(IOException.class, () -> {
        try (SecureChannel ch = SecureChannel.connect(stranger, "127.0.0.1", listener.port(),
            TIMEOUT)) {
          ch.write(new byte[] {1});
          ch.read();
        }
      });
      served.get(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void aServerCertifiedUnderAnotherPolicyKeyIsRefusedByTheClient() throws Exception {
    SSLContext stranger = other.member(measurement(7), 7);
    SSLContext client = home.member(measurement(8), 8);
    try (SecureChannelServer listener = SecureChannelServer.bind(stranger, "127.0.0.1", 0,
        TIMEOUT)) {
      CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
        try (SecureChannel ch = listener.accept()) {
          ch.read();
        } catch (IOException expected) {
          // the client aborts the handshake
        }
      });
      assertThrows(IOException.class, () -> SecureChannel.connect(client, "127.0.0.1",
          listener.port(), TIMEOUT).close());
      served.get(20, TimeUnit.SECONDS);
    }
  }
}
