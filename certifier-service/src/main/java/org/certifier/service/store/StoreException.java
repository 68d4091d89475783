package org.certifier.service.store;

import java.io.IOException;

/** The store could not do what was asked; nothing of the failed operation was kept. */
public class StoreException extends IOException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
