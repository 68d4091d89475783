package org.certifier.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.certifier.client.TrustManager;
import org.certifier.client.TrustManagerException;
import org.certifier.client.channel.PeerRevokedException;
import org.certifier.client.channel.SecureChannel;
import org.certifier.client.channel.SecureChannelServer;
import org.certifier.client.revocation.Crl;
import org.certifier.client.revocation.CrlSource;
import org.certifier.client.revocation.RevocationChecker;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.files.AtomicFiles;
import org.certifier.testing.pki.DomainPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revocation at the secure channel, end to end: two programs certified by the real service talk
 * over a channel; the domain's CRL (a file here, refreshed every 200 ms) then revokes one of
 * them, and the other side closes the channel and refuses it from then on.
 */
class ClientRevocationTest {
  private static final String DOMAIN = LiveDomain.NAME;
  private static final Duration REFRESH = Duration.ofMillis(200);

  @TempDir
  Path dir;

  private LiveDomain domain;
  private DomainPki pki;
  private CertifierService service;
  private TrustManager server;
  private TrustManager client;
  private Path crlFile;
  private final BlockingQueue<Object> serverEvents = new LinkedBlockingQueue<>();

  @BeforeEach
  void twoCertifiedPrograms() throws Exception {
    domain = new LiveDomain(dir);
    pki = domain.pki();
    service = domain.start(Duration.ofDays(1));
    server = domain.certifiedMember("server", service.port(), TrustManager.Options.defaults());
    client = domain.certifiedMember("client", service.port(), TrustManager.Options.defaults());
    server.addListener(new TrustManager.Listener() {
      @Override
      public void crlInstalled(String d, Crl crl) {
        serverEvents.add(crl);
      }

      @Override
      public void crlRefreshFailed(String d, Exception failure, Instant nextAttempt) {
        serverEvents.add(failure);
      }
    });
    crlFile = dir.resolve("domain.crl");
    AtomicFiles.write(crlFile, pki.crl().number(1).build());
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
    client.close();
    service.close();
  }

  private RevocationChecker checkRevocation(TrustManager tm, Duration grace) throws Exception {
    return tm.checkRevocation(DOMAIN, CrlSource.file(crlFile),
        RevocationChecker.Settings.defaults().withRefreshInterval(REFRESH).withGrace(grace));
  }

  private BigInteger clientSerial() throws Exception {
    return client.admissionCertificate(DOMAIN).orElseThrow().getSerialNumber();
  }

  /** The next CRL event of the server: an installed list, or why a list was refused. */
  private Object nextServerEvent() throws InterruptedException {
    Object event = serverEvents.poll(10, TimeUnit.SECONDS);
    assertTrue(event != null, "the server's CRL refresh reported nothing within 10 s");
    return event;
  }

  @Test
  void anOpenChannelToARevokedPeerIsClosedAndThePeerCannotReconnect() throws Exception {
    checkRevocation(server, Duration.ZERO);
    checkRevocation(client, Duration.ZERO);
    assertEquals(BigInteger.ONE, assertInstanceOf(Crl.class, nextServerEvent()).number());
    try (SecureChannelServer listener = server.listen(DOMAIN, "127.0.0.1", 0)) {
      CompletableFuture<IOException> served = CompletableFuture.supplyAsync(() -> {
        try (SecureChannel ch = listener.accept()) {
          ch.setReadTimeout(Duration.ofSeconds(30));
          ch.write(ch.read());
          ch.read();
          return null;
        } catch (IOException e) {
          return e;
        }
      });
      try (SecureChannel ch = client.connect(DOMAIN, "127.0.0.1", listener.port())) {
        ch.write(new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, ch.read());

        // A list signed by another key, and one going backwards, are refused; the channel stays.
        DomainPki forger = DomainPki.of(DomainPki.create("forger").policyKey(),
            domain.policyCert);
        AtomicFiles.write(crlFile, forger.crl().number(5).revoke(clientSerial()).build());
        assertEquals(Failure.BAD_SIGNATURE,
            assertInstanceOf(VerificationException.class, nextServerEvent()).failure());
        AtomicFiles.write(crlFile, pki.crl().number(2).build());
        assertEquals(BigInteger.TWO, assertInstanceOf(Crl.class, nextServerEvent()).number());
        AtomicFiles.write(crlFile, pki.crl().number(1).revoke(clientSerial()).build());
        assertEquals(Failure.COLLATERAL_EXPIRED,
            assertInstanceOf(VerificationException.class, nextServerEvent()).failure());
        assertTrue(!served.isDone(), "the channel is still open");

        long start = System.nanoTime();
        AtomicFiles.write(crlFile, pki.crl().number(3).revoke(clientSerial()).build());

        IOException serverSide = served.get(10, TimeUnit.SECONDS);
        long millis = (System.nanoTime() - start) / 1_000_000;
        PeerRevokedException revoked = assertInstanceOf(PeerRevokedException.class, serverSide);
        assertTrue(revoked.getMessage().contains("serial " + clientSerial()),
            revoked.getMessage());
        assertTrue(millis < 5 * REFRESH.toMillis() + 2000, "closed within a refresh: " + millis);
        // The revoked side sees the connection end.
        ch.setReadTimeout(Duration.ofSeconds(10));
        assertThrows(IOException.class, ch::read);
      }

      CompletableFuture<IOException> refused = CompletableFuture.supplyAsync(() -> {
        try (SecureChannel ch = listener.accept()) {
          ch.read();
          return null;
        } catch (IOException e) {
          return e;
        }
      });
      assertThrows(IOException.class, () -> {
        try (SecureChannel ch = client.connect(DOMAIN, "127.0.0.1", listener.port())) {
          ch.write(new byte[] {1});
          ch.read();
        }
      });
      IOException handshake = refused.get(10, TimeUnit.SECONDS);
      assertTrue(handshake != null && handshake.getMessage().contains("serial " + clientSerial())
          && handshake.getMessage().contains("revoked"), String.valueOf(handshake));
    }
  }

  @Test
  void aStaleListRefusesNewChannels() throws Exception {
    AtomicFiles.write(crlFile, pki.crl().number(1).nextUpdate(Instant.now().plusSeconds(2))
        .build());
    checkRevocation(server, Duration.ZERO);
    try (SecureChannelServer listener = server.listen(DOMAIN, "127.0.0.1", 0)) {
      Thread.sleep(2500);
      CompletableFuture<IOException> refused = CompletableFuture.supplyAsync(() -> {
        try (SecureChannel ch = listener.accept()) {
          ch.read();
          return null;
        } catch (IOException e) {
          return e;
        }
      });
      assertThrows(IOException.class, () -> {
        try (SecureChannel ch = client.connect(DOMAIN, "127.0.0.1", listener.port())) {
          ch.write(new byte[] {1});
          ch.read();
        }
      });
      IOException handshake = refused.get(10, TimeUnit.SECONDS);
      assertTrue(handshake != null && handshake.getMessage().contains("stale"),
          String.valueOf(handshake));
    }
  }

  @Test
  void withoutAnyListCheckingStaysOnAndRefusesPeers() throws Exception {
    Files.delete(crlFile);
    assertThrows(TrustManagerException.class,
        () -> checkRevocation(server, Duration.ZERO));
    try (SecureChannelServer listener = server.listen(DOMAIN, "127.0.0.1", 0)) {
      CompletableFuture<IOException> refused = CompletableFuture.supplyAsync(() -> {
        try (SecureChannel ch = listener.accept()) {
          ch.read();
          return null;
        } catch (IOException e) {
          return e;
        }
      });
      assertThrows(IOException.class, () -> {
        try (SecureChannel ch = client.connect(DOMAIN, "127.0.0.1", listener.port())) {
          ch.write(new byte[] {1});
          ch.read();
        }
      });
      assertTrue(refused.get(10, TimeUnit.SECONDS) != null);
    }
  }

  @Test
  void theLastListSurvivesARestartAsTheFloor() throws Exception {
    checkRevocation(server, Duration.ZERO);
    AtomicFiles.write(crlFile, pki.crl().number(4).build());
    assertEquals(BigInteger.ONE, assertInstanceOf(Crl.class, nextServerEvent()).number());
    assertEquals(BigInteger.valueOf(4), assertInstanceOf(Crl.class, nextServerEvent()).number());
    server.close();

    AtomicFiles.write(crlFile, pki.crl().number(3).build());
    TrustManager restarted = domain.open("server", TrustManager.Options.defaults());
    try {
      TrustManagerException e = assertThrows(
          TrustManagerException.class,
          () -> checkRevocation(restarted, Duration.ZERO));
      assertEquals(Failure.COLLATERAL_EXPIRED,
          assertInstanceOf(VerificationException.class, e.getCause()).failure());
      assertEquals(BigInteger.valueOf(4), restarted.revocationChecker(DOMAIN).orElseThrow()
          .current().orElseThrow().number(), "the stored list is still in force");
    } finally {
      restarted.close();
    }
  }
}
