package org.certifier.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.certifier.proto.trust_request_message;
import org.certifier.proto.trust_response_message;
import org.certifier.protocol.Framing;
import org.certifier.protocol.MalformedMessageException;
import org.certifier.protocol.Messages;

/**
 * One request/response exchange with a Certifier Service over the reference's plain TCP protocol
 * (reference-certifier.md §2.1): connect, send one framed trust request, read one framed
 * response, close. Bounded in time and size so a dead or hostile service cannot hang a client.
 */
public final class CertifierConnection {
  /** Largest response we accept: an admission certificate or platform rule is a few KiB. */
  static final int MAX_RESPONSE = 1 << 20;

  private CertifierConnection() {}

  public static trust_response_message exchange(String host, int port,
      trust_request_message request, Duration timeout) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      Framing.write(out, request.toByteArray());
      byte[] response = Framing.read(in, MAX_RESPONSE);
      return Messages.parse(trust_response_message.parser(), response, "trust response");
    } catch (MalformedMessageException e) {
      throw new IOException("Certifier Service at " + host + ":" + port + " sent "
          + e.getMessage(), e);
    }
  }
}
