package org.certifier.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
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
import org.certifier.service.operator.OperatorApi;
import org.certifier.service.operator.OperatorAuth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5's revocation story with nothing faked: an operator revokes a measurement through the
 * operator API; the next certification of that program is refused with {@code revoked}; the
 * secure channel between two programs of that measurement, each checking the service's own
 * CRL ({@code GET /v1/crl}), is cut and cannot be opened again.
 */
class RevocationEndToEndTest {
  private static final String TOKEN = "e2e-token-0123456789abcdefghijklmnopqrstuvwxyz";
  private static final Duration REFRESH = Duration.ofMillis(200);

  @TempDir
  Path dir;

  @Test
  void revokingAMeasurementRefusesItsNextCertificationAndCutsItsOpenChannels() throws Exception {
    LiveDomain domain = new LiveDomain(dir);
    Path digest = dir.resolve("token.sha256");
    Files.writeString(digest, OperatorAuth.digestHex(TOKEN) + "\n");
    try (CertifierService service = CertifierService.start(
            CertifierService.Config.of(dir.resolve("policy_key_file"),
                    dir.resolve("policy_cert_file"), dir.resolve("policy.bin"))
                .withAddress("127.0.0.1", 0).withStateDir(dir.resolve("state")),
            Optional.of(OperatorApi.Config.on("127.0.0.1", 0).withToken(digest)));
        TrustManager server = domain.certifiedMember("server", service.port(),
            TrustManager.Options.defaults());
        TrustManager client = domain.certifiedMember("client", service.port(),
            TrustManager.Options.defaults())) {
      String api = "http://127.0.0.1:" + service.operatorPort().getAsInt();
      CrlSource crl = CrlSource.url(URI.create(api + "/v1/crl"));
      RevocationChecker.Settings settings = RevocationChecker.Settings.defaults()
          .withRefreshInterval(REFRESH).withGrace(Duration.ZERO);
      List<Object> events = new CopyOnWriteArrayList<>();
      server.addListener(new TrustManager.Listener() {
        @Override
        public void crlInstalled(String d, Crl c) {
          events.add("installed " + c.number());
        }

        @Override
        public void crlRefreshFailed(String d, Exception failure, Instant next) {
          events.add(failure.toString());
        }
      });
      // Only the server checks: both programs have the revoked measurement, and which side
      // would see the new CRL first is a race; the server's view is the one asserted.
      server.checkRevocation(LiveDomain.NAME, crl, settings);

      try (SecureChannelServer listener = server.listen(LiveDomain.NAME, "127.0.0.1", 0)) {
        // On the common fork-join pool on purpose: its only worker (2 cores) blocks in a read,
        // as application code may; the CRL refresh must not depend on that pool (it did while
        // it used java.net.http, and the revocation was never seen).
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
        try (SecureChannel ch = client.connect(LiveDomain.NAME, "127.0.0.1", listener.port())) {
          ch.write(new byte[] {7});
          assertArrayEquals(new byte[] {7}, ch.read());

          HttpResponse<String> revoked = HttpClient.newHttpClient().send(
              HttpRequest.newBuilder(URI.create(api + "/v1/revocations"))
                  .header("Authorization", "Bearer " + TOKEN)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"measurement\": \""
                      + HexFormat.of().formatHex(LiveDomain.MEASUREMENT)
                      + "\", \"reason\": \"key-compromise\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
          assertEquals(201, revoked.statusCode(), revoked.body());
          X509CRL list = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(
              new ByteArrayInputStream(HttpClient.newHttpClient().send(
                  HttpRequest.newBuilder(URI.create(api + "/v1/crl")).build(),
                  HttpResponse.BodyHandlers.ofByteArray()).body()));
          for (TrustManager member : new TrustManager[] {server, client}) {
            assertTrue(list.getRevokedCertificate(member.admissionCertificate(LiveDomain.NAME)
                .orElseThrow().getSerialNumber()) != null, list.toString());
          }

          // The open channel is cut at the server's next CRL refresh.
          assertInstanceOf(PeerRevokedException.class, served.get(10, TimeUnit.SECONDS),
              () -> "CRL events of the server: " + events);
          // The revoked side sees the connection end.
          ch.setReadTimeout(Duration.ofSeconds(10));
          assertThrows(IOException.class, ch::read);
        }

        // Nor can it be opened again.
        CompletableFuture<IOException> refused = CompletableFuture.supplyAsync(() -> {
          try (SecureChannel ch = listener.accept()) {
            ch.read();
            return null;
          } catch (IOException e) {
            return e;
          }
        });
        assertThrows(IOException.class, () -> {
          try (SecureChannel ch = client.connect(LiveDomain.NAME, "127.0.0.1",
              listener.port())) {
            ch.write(new byte[] {1});
            ch.read();
          }
        });
        IOException handshake = refused.get(10, TimeUnit.SECONDS);
        assertTrue(handshake != null && handshake.getMessage().contains("revoked"),
            String.valueOf(handshake));
      }

      // The program is refused at its next certification, with the reason code.
      TrustManagerException e = assertThrows(TrustManagerException.class,
          () -> domain.certifiedMember("third", service.port(), TrustManager.Options.defaults()));
      assertEquals(Optional.of(Failure.REVOKED), e.failure());
    }
  }
}
