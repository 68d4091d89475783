package org.certifier.cli;

import org.certifier.crypto.CryptoProviders;
import picocli.CommandLine;

/** Entry point of {@code ./certifier}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    CryptoProviders.install();
    System.exit(CertifierCommand.commandLine().execute(args));
  }
}
