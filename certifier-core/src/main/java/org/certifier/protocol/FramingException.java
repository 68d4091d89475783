package org.certifier.protocol;

import java.io.IOException;

/** A frame that is cut short or larger than allowed; the connection cannot be trusted further. */
public final class FramingException extends IOException {
  private static final long serialVersionUID = 1L;

  public FramingException(String message) {
    super(message);
  }
}
