package org.certifier.transparency;

import java.util.Objects;

/** A log, tree head or proof that does not verify: a {@link LogFailure} plus a detail for people. */
public final class LogVerificationException extends Exception {
  private static final long serialVersionUID = 1L;

  private final LogFailure failure;

  public LogVerificationException(LogFailure failure, String detail) {
    super(detail);
    this.failure = Objects.requireNonNull(failure, "failure");
  }

  public LogVerificationException(LogFailure failure, String detail, Throwable cause) {
    super(detail, cause);
    this.failure = Objects.requireNonNull(failure, "failure");
  }

  public LogFailure failure() {
    return failure;
  }

  @Override
  public String toString() {
    return "LogVerificationException[" + failure.code() + "]: " + getMessage();
  }
}
