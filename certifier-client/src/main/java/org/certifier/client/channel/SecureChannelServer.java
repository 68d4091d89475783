package org.certifier.client.channel;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * Listens for secure channels from domain members; every client must present a certificate.
 * Accepted channels are watched by the server's {@link PeerStatus}, if it has one, and closed
 * when their peer is revoked.
 */
public final class SecureChannelServer implements Closeable {
  private final SSLServerSocket server;
  private final Duration readTimeout;
  private final PeerStatus peerStatus;

  private SecureChannelServer(SSLServerSocket server, Duration readTimeout,
      PeerStatus peerStatus) {
    this.server = server;
    this.readTimeout = readTimeout;
    this.peerStatus = peerStatus;
  }

  /** Binds {@code host:port}; port 0 picks a free port (see {@link #port()}). */
  public static SecureChannelServer bind(SSLContext context, String host, int port,
      Duration readTimeout) throws IOException {
    return bind(context, host, port, readTimeout, PeerStatus.NONE);
  }

  /** As {@link #bind(SSLContext, String, int, Duration)}, watching accepted channels. */
  public static SecureChannelServer bind(SSLContext context, String host, int port,
      Duration readTimeout, PeerStatus peerStatus) throws IOException {
    SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory()
        .createServerSocket();
    try {
      socket.setReuseAddress(true);
      socket.setEnabledProtocols(DomainTls.PROTOCOLS);
      // The reference sets SSL_VERIFY_FAIL_IF_NO_PEER_CERT: anonymous clients are refused.
      socket.setNeedClientAuth(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    return new SecureChannelServer(socket, readTimeout, peerStatus);
  }

  /** Waits for the next client and completes its handshake. */
  public SecureChannel accept() throws IOException {
    SSLSocket socket = (SSLSocket) server.accept();
    try {
      socket.setSoTimeout((int) readTimeout.toMillis());
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    return SecureChannel.accepted(socket, peerStatus);
  }

  public int port() {
    return server.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
