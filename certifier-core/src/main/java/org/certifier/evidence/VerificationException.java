package org.certifier.evidence;

import java.util.Objects;

/**
 * The one exception of evidence verification and certification: a {@link Failure} constant that
 * callers and tests act on, plus a detail message for people (which may be withheld from the
 * untrusted host in production).
 */
public final class VerificationException extends Exception {
  private static final long serialVersionUID = 1L;

  private final Failure failure;

  public VerificationException(Failure failure, String detail) {
    super(detail);
    this.failure = Objects.requireNonNull(failure, "failure");
  }

  public VerificationException(Failure failure, String detail, Throwable cause) {
    super(detail, cause);
    this.failure = Objects.requireNonNull(failure, "failure");
  }

  public Failure failure() {
    return failure;
  }

  @Override
  public String toString() {
    return "VerificationException[" + failure.code() + "]: " + getMessage();
  }
}
