package org.certifier.client.store;

/** The store cannot be read, unsealed, authenticated or written; nothing was changed on disk. */
public final class StoreException extends Exception {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
