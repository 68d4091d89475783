package org.certifier.cli;

/**
 * An input file or value is wrong in a way the user can fix: a policy file with a bad field, a
 * clause that is not "signer says ...", a file of the wrong kind. The message names what and
 * where; commands turn it into {@link ExitCodes#BAD_INPUT}.
 */
public final class InputException extends Exception {
  private static final long serialVersionUID = 1L;

  public InputException(String message) {
    super(message);
  }

  public InputException(String message, Throwable cause) {
    super(message, cause);
  }
}
