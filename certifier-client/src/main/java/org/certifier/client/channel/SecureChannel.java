package org.certifier.client.channel;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import org.certifier.protocol.Framing;

/**
 * A mutually authenticated TLS connection between two programs certified in the same domain
 * (reference-certifier.md §4.9). Messages use the reference's 4-byte little-endian length
 * framing, so a C++ peer reads them unchanged. The peer's identity is the measured program named
 * in its admission certificate; there is no host name check, as in the reference.
 *
 * <p>A channel opened with a {@link PeerStatus} (the domain's revocation checker) is watched: if
 * the peer's certificate is revoked while the channel is open, the channel is closed (the peer
 * sees the connection end) and every later read or write here throws {@link
 * PeerRevokedException} naming the certificate.
 */
public final class SecureChannel implements Closeable {
  /** Default cap on one incoming message; the reference allows up to 2^24 - 1 bytes. */
  public static final int DEFAULT_MAX_MESSAGE = Framing.MAX_FRAME;

  private final SSLSocket socket;
  private final InputStream in;
  private final OutputStream out;
  private final X509Certificate peer;
  private final String peerId;
  private final PeerStatus.Watch watch;
  /** Why the channel was cut off, once the peer was revoked; null while it is in good standing. */
  private volatile String revoked;

  private SecureChannel(SSLSocket socket, PeerStatus peerStatus) throws IOException {
    this.socket = socket;
    try {
      // Messages are request/response sized: without this, Nagle's algorithm and delayed ACKs
      // stall every exchange by tens of milliseconds (17 handshakes/s without it, 70 with it,
      // docs/benchmarks.md).
      socket.setTcpNoDelay(true);
      socket.startHandshake();
      Certificate[] chain = socket.getSession().getPeerCertificates();
      if (chain.length == 0 || !(chain[0] instanceof X509Certificate x509)) {
        throw new SSLPeerUnverifiedException("peer presented no X.509 certificate");
      }
      this.peer = x509;
      this.peerId = DomainTls.peerId(x509).orElseThrow(
          () -> new SSLPeerUnverifiedException("peer certificate names no measured program"));
      this.in = socket.getInputStream();
      this.out = socket.getOutputStream();
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    // Watched only after the fields are set: the callback may run at once on another thread.
    this.watch = peerStatus.watch(peer, this::cutOff);
  }

  /** Connects to a domain member at {@code host:port} and completes the handshake. */
  public static SecureChannel connect(SSLContext context, String host, int port,
      Duration timeout) throws IOException {
    return connect(context, host, port, timeout, PeerStatus.NONE);
  }

  /**
   * As {@link #connect(SSLContext, String, int, Duration)}, and the channel is closed if
   * {@code peerStatus} later reports the peer revoked. The handshake itself is checked by the
   * context's trust manager (see {@link DomainTls#context(java.util.function.Supplier,
   * X509Certificate, PeerStatus)}).
   */
  public static SecureChannel connect(SSLContext context, String host, int port,
      Duration timeout, PeerStatus peerStatus) throws IOException {
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
    try {
      socket.setEnabledProtocols(DomainTls.PROTOCOLS);
      socket.connect(new java.net.InetSocketAddress(host, port), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    return new SecureChannel(socket, peerStatus);
  }

  /** Wraps an accepted server-side socket; the handshake requires a client certificate. */
  static SecureChannel accepted(SSLSocket socket, PeerStatus peerStatus) throws IOException {
    return new SecureChannel(socket, peerStatus);
  }

  /** Sends one message. */
  public void write(byte[] message) throws IOException {
    requireNotRevoked(null);
    try {
      Framing.write(out, message);
    } catch (IOException e) {
      requireNotRevoked(e);
      throw e;
    }
  }

  /** Receives one message of at most {@link #DEFAULT_MAX_MESSAGE} bytes. */
  public byte[] read() throws IOException {
    requireNotRevoked(null);
    try {
      return Framing.read(in, DEFAULT_MAX_MESSAGE);
    } catch (IOException e) {
      requireNotRevoked(e);
      throw e;
    }
  }

  /** True once the channel was closed because the peer was revoked. */
  public boolean peerRevoked() {
    return revoked != null;
  }

  /** The peer program, {@code Measured-<hex measurement>}. */
  public String peerId() {
    return peerId;
  }

  /** The peer program's measurement, from its admission certificate. */
  public byte[] peerMeasurement() {
    return HexFormat.of().parseHex(peerId.substring("Measured-".length()));
  }

  public X509Certificate peerCertificate() {
    return peer;
  }

  /** The TLS session: cipher suite, peer certificates; invalidate it to prevent resumption. */
  public javax.net.ssl.SSLSession session() {
    return socket.getSession();
  }

  /** The negotiated protocol, e.g. {@code TLSv1.3}. */
  public String protocol() {
    return socket.getSession().getProtocol();
  }

  /** Bounds how long a read may wait for the peer. */
  public void setReadTimeout(Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
  }

  @Override
  public void close() throws IOException {
    watch.close();
    socket.close();
  }

  private void cutOff(String reason) {
    revoked = reason;
    try {
      // Closing also wakes a thread blocked in read(); it then reports the revocation.
      socket.close();
    } catch (IOException e) {
      // The socket is unusable either way; reads and writes report the revocation.
    }
  }

  /** After a revocation, any failure (or any attempt) is reported as the revocation. */
  private void requireNotRevoked(IOException failure) throws PeerRevokedException {
    String reason = revoked;
    if (reason != null) {
      throw new PeerRevokedException(reason, failure);
    }
  }
}
