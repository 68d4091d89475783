package org.certifier.cli;

/** The exit codes of every {@code certifier} command, in one table (also shown in --help). */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;
  /** The command ran and its answer is "no": evidence rejected, certification refused. */
  public static final int REJECTED = 1;
  /** Wrong usage: unknown option, missing argument. */
  public static final int USAGE = 2;
  /** Bad input data: a file that does not parse, a key of the wrong type. */
  public static final int BAD_INPUT = 3;
  /** I/O: a file cannot be read or written, a service cannot be reached. */
  public static final int IO = 4;
  /** A bug: please report it. */
  public static final int INTERNAL = 70;

  private ExitCodes() {}

  static final String TABLE = """
      Exit codes:
        0  success
        1  rejected (evidence refused, certification refused)
        2  usage error
        3  bad input data
        4  I/O error (file, network)
        70 internal error""";
}
