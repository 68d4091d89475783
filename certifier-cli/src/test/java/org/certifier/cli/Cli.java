package org.certifier.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.certifier.testing.TestVectors;
import picocli.CommandLine;

/** Runs real argument vectors through {@link CertifierCommand#commandLine()} (jbang's habit). */
final class Cli {
  private Cli() {}

  /** What a run printed and returned. */
  record Result(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  static Result run(Object... args) {
    String[] argv = new String[args.length];
    for (int i = 0; i < args.length; i++) {
      argv[i] = String.valueOf(args[i]);
    }
    CommandLine cl = CertifierCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(argv);
    return new Result(exit, out.toString(), err.toString());
  }

  /** A reference vector file, {@code certifier-reference/<relative>}. */
  static Path vector(String relative) {
    return TestVectors.path("certifier-reference/" + relative);
  }
}
