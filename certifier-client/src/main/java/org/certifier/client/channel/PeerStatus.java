package org.certifier.client.channel;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Consumer;

/**
 * What the domain says about a peer beyond "issued under the policy certificate": asked once per
 * handshake, and told about every open channel so that a peer revoked later is cut off. The
 * revocation checker of a domain implements it; {@link #NONE} adds nothing.
 */
public interface PeerStatus {
  /** No check beyond the policy certificate: every open channel stays open. */
  PeerStatus NONE = new PeerStatus() {
    @Override
    public void check(X509Certificate peer) {}

    @Override
    public Watch watch(X509Certificate peer, Consumer<String> onRevoked) {
      return () -> { };
    }
  };

  /**
   * Throws if {@code peer} must be refused now. The cause of the exception is a {@link
   * java.security.cert.CertPathValidatorException} with reason {@code REVOKED} or
   * {@code UNDETERMINED_REVOCATION_STATUS}, so the JDK sends the matching TLS alert.
   */
  void check(X509Certificate peer) throws CertificateException;

  /**
   * Calls {@code onRevoked} with a reason, once, if {@code peer} is revoked while the watch is
   * open. The callback runs on the thread that installed the news and must not block.
   */
  Watch watch(X509Certificate peer, Consumer<String> onRevoked);

  /** Stops a watch; idempotent. */
  interface Watch extends AutoCloseable {
    @Override
    void close();
  }
}
