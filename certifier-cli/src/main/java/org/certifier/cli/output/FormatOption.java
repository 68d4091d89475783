package org.certifier.cli.output;

import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** {@code --format text|json} for commands whose output is data (DESIGN.md §4). */
public final class FormatOption {
  /** How data is printed. */
  public enum Format { text, json }

  @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format = Format.text;

  public Format format() {
    return format;
  }

  /** Prints {@code facts} in the chosen format. */
  public void print(Facts facts, PrintWriter out) {
    out.print(format == Format.json ? facts.toJson() : facts.toText());
    out.flush();
  }
}
