package org.certifier.cli.inspect;

/** The bytes are not a file of the kind being tried; the message says why. */
final class NotThisKind extends Exception {
  private static final long serialVersionUID = 1L;

  NotThisKind(String message) {
    super(message);
  }
}
