package org.certifier.crypto;

import java.security.GeneralSecurityException;

/**
 * The one checked error of this package: unknown algorithm, malformed key, bad MAC, unparsable
 * certificate. Messages describe what was wrong with the input, never key material.
 */
public final class CryptoException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  public CryptoException(String message) {
    super(message);
  }

  public CryptoException(String message, Throwable cause) {
    super(message, cause);
  }
}
