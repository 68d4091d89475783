package org.certifier.client;

import java.util.Optional;
import org.certifier.evidence.Failure;

/**
 * A trust-manager operation failed. When the Certifier Service refused a certification, {@link
 * #failure()} carries its reason code (e.g. {@link Failure#UNKNOWN_MEASUREMENT}); otherwise the
 * cause was local or the connection (store, enclave, network) and the message says which.
 */
public final class TrustManagerException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient Failure failure;

  public TrustManagerException(String message) {
    this(message, null, null);
  }

  public TrustManagerException(String message, Throwable cause) {
    this(message, null, cause);
  }

  public TrustManagerException(String message, Failure failure, Throwable cause) {
    super(message, cause);
    this.failure = failure;
  }

  /** The service's reason for a refusal, if the service refused. */
  public Optional<Failure> failure() {
    return Optional.ofNullable(failure);
  }
}
