package org.certifier.cli;

import picocli.CommandLine;

/** Entry point of {@code ./certifier}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(CertifierCommand.commandLine().execute(args));
  }
}
