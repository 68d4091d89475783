package org.certifier.client.channel;

import javax.net.ssl.SSLException;

/**
 * The channel was closed because its peer's certificate was revoked after the handshake. Thrown
 * by every read and write after the revocation was noticed.
 */
public final class PeerRevokedException extends SSLException {
  private static final long serialVersionUID = 1L;

  public PeerRevokedException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
