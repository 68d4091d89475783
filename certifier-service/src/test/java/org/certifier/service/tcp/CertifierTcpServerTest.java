package org.certifier.service.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.certifier.crypto.Certificates;
import org.certifier.proto.trust_response_message;
import org.certifier.protocol.Framing;
import org.certifier.protocol.Messages;
import org.certifier.service.DomainKeys;
import org.certifier.service.ReferenceDomain;
import org.certifier.testing.TestVectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The workload-facing TCP listener, driven with raw bytes as a hostile or slow client would. */
class CertifierTcpServerTest {
  private CertifierTcpServer server;
  private final List<String> decisions =
      java.util.Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() throws Exception {
    DomainKeys keys = ReferenceDomain.keys();
    server = CertifierTcpServer.start(ReferenceDomain.certifier(keys), "127.0.0.1", 0,
        new CertifierTcpServer.Limits(64 * 1024, Duration.ofSeconds(20), 256),
        (decision, request, requester) -> decisions.add(decision.getClass().getSimpleName()));
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  private byte[] exchangeRaw(byte[] bytes) throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(bytes);
      s.getOutputStream().flush();
      return s.getInputStream().readAllBytes();
    }
  }

  private static trust_response_message response(byte[] raw) throws Exception {
    return Messages.parse(trust_response_message.parser(),
        Framing.read(new ByteArrayInputStream(raw), Framing.MAX_FRAME), "response");
  }

  @Test
  void replayedReferenceRequestSucceedsAndTheServiceCloses() throws Exception {
    trust_response_message r = response(exchangeRaw(
        TestVectors.reference("wire/trust_request.framed.bin")));
    assertEquals("succeeded", r.getStatus());
    assertEquals("requesting-enclave", r.getRequestingEnclaveTag());
    assertEquals("providing-enclave", r.getProvidingEnclaveTag());
    assertEquals("Measured-9f2be451d6089d7ae4c72a79b042d993f49de901ddca775c26afd15746fb8154",
        Certificates.subjectAttribute(Certificates.parseDer(r.getArtifact().toByteArray()), "O")
            .orElseThrow());
  }

  @Test
  void replayedTamperedRequestFailsWithItsReason() throws Exception {
    byte[] raw = exchangeRaw(TestVectors.reference("wire/trust_request.tampered.framed.bin"));
    trust_response_message r = response(raw);
    assertEquals("failed", r.getStatus());
    assertEquals("bad-signature", r.getFailureCode());
    assertFalse(r.hasArtifact());
    // Apart from our reason code, the answer is the reference service's, byte for byte.
    assertArrayEquals(TestVectors.reference("wire/trust_response.failed.pb"),
        r.toBuilder().clearFailureCode().build().toByteArray());
  }

  @Test
  void garbageGetsAMalformedAnswerAndTheServiceKeepsServing() throws Exception {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    Framing.write(frame, new byte[] {(byte) 0xff, 0x01, 0x02, 0x03, 0x04});
    trust_response_message r = response(exchangeRaw(frame.toByteArray()));
    assertEquals("failed", r.getStatus());
    assertEquals("malformed-evidence", r.getFailureCode());
    assertEquals("succeeded", response(exchangeRaw(
        TestVectors.reference("wire/trust_request.framed.bin"))).getStatus());
    assertEquals(List.of("Rejected", "Admitted"), decisions, "each decision reaches the log");
  }

  @Test
  void oversizedFrameIsRefusedBeforeItIsRead() throws Exception {
    byte[] header = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0};
    trust_response_message r = response(exchangeRaw(header));
    assertEquals("failed", r.getStatus());
    assertEquals("malformed-evidence", r.getFailureCode());
  }

  @Test
  void truncatedFrameIsRefused() throws Exception {
    byte[] framed = TestVectors.reference("wire/trust_request.framed.bin");
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(framed, 0, 100);
      s.shutdownOutput();
      trust_response_message r = response(s.getInputStream().readAllBytes());
      assertEquals("malformed-evidence", r.getFailureCode());
    }
  }

  @Test
  void slowClientIsCutOffAtTheDeadline() throws Exception {
    try (CertifierTcpServer strict = CertifierTcpServer.start(
            ReferenceDomain.certifier(ReferenceDomain.keys()), "127.0.0.1", 0,
            new CertifierTcpServer.Limits(64 * 1024, Duration.ofMillis(500), 16), (d, q, r) -> { });
        Socket s = new Socket("127.0.0.1", strict.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(new byte[] {0x10, 0x00});
      long start = System.nanoTime();
      InputStream in = s.getInputStream();
      int got = in.read();
      long waitedMillis = (System.nanoTime() - start) / 1_000_000;
      assertEquals(-1, got, "the service closes a client that stalls mid-frame");
      assertTrue(waitedMillis < 9_000, "closed by the service, not by our own timeout");
    }
  }

  @Test
  void aClientTricklingBytesIsCutOffAtTheDeadlineToo() throws Exception {
    try (CertifierTcpServer strict = CertifierTcpServer.start(
            ReferenceDomain.certifier(ReferenceDomain.keys()), "127.0.0.1", 0,
            new CertifierTcpServer.Limits(64 * 1024, Duration.ofMillis(500), 16), (d, q, r) -> { });
        Socket s = new Socket("127.0.0.1", strict.port())) {
      s.setSoTimeout(10_000);
      // A frame of 1,000 bytes announced, then one byte every 50 ms: every read is quick,
      // the whole frame would take 50 s.
      s.getOutputStream().write(new byte[] {(byte) 0xe8, 0x03, 0x00, 0x00});
      long start = System.nanoTime();
      Thread trickle = Thread.ofVirtual().start(() -> {
        try {
          for (int i = 0; i < 1000; i++) {
            Thread.sleep(50);
            s.getOutputStream().write(0x01);
          }
        } catch (IOException | InterruptedException e) {
          // the service closed the connection: what this test waits for
        }
      });
      int got;
      try {
        got = s.getInputStream().read();
      } catch (java.net.SocketException e) {
        got = -1; // reset while the trickle was still writing: closed all the same
      }
      long waitedMillis = (System.nanoTime() - start) / 1_000_000;
      trickle.interrupt();
      assertEquals(-1, got, "no answer to a frame that never completed");
      assertTrue(waitedMillis < 3_000, "closed at the 500 ms deadline, not after "
          + waitedMillis + " ms");
    }
  }

  @Test
  void hundredConcurrentClientsAreAllCertifiedWithUniqueSerials() throws Exception {
    byte[] request = TestVectors.reference("wire/trust_request.framed.bin");
    ExecutorService pool = Executors.newFixedThreadPool(100);
    try {
      List<Future<BigInteger>> serials = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        serials.add(pool.submit(() -> {
          trust_response_message r = response(exchangeRaw(request));
          assertEquals("succeeded", r.getStatus());
          return Certificates.parseDer(r.getArtifact().toByteArray()).getSerialNumber();
        }));
      }
      Set<BigInteger> unique = new HashSet<>();
      for (Future<BigInteger> f : serials) {
        unique.add(f.get());
      }
      assertEquals(100, unique.size(), "every certificate has its own serial");
    } finally {
      pool.shutdownNow();
    }
    assertEquals(Optional.of(0L), Optional.of(server.refusedConnections()));
  }
}
