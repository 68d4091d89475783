package org.certifier.cli.inspect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import org.certifier.cli.Guard;
import org.certifier.cli.InputException;
import org.certifier.cli.output.Facts;
import org.certifier.cli.output.FormatOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code certifier inspect}: show any file of the system readably (the print_* tools, §5.1). */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = {"Show what a file is and what it says: key files (never their secrets),"
        + " certificates (DER or PEM), clauses, signed claims, policies, trust requests and"
        + " responses, evidence packages and reports, framed captures, policy stores (sealed:"
        + " sizes only; unsealed: entries), certifiers lists, properties, platforms,"
        + " environments and measurements; Intel DCAP quotes and collateral JSON and AMD"
        + " SEV-SNP reports (shown, not verified: see certifier verify). Signatures are checked"
        + " against the keys embedded in the file.",
        "Example: certifier inspect policy.bin --format json"})
public final class InspectCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The file to show.")
  Path file;

  @Option(names = "--as", paramLabel = "KIND", converter = KindConverter.class,
      completionCandidates = KindNames.class,
      description = "Read the file as this kind instead of detecting it: "
          + "${COMPLETION-CANDIDATES}.")
  FileKind as;

  @Mixin
  FormatOption format;

  @Override
  public void run() {
    Guard.run(() -> {
      byte[] bytes = Files.readAllBytes(file);
      Facts facts;
      try {
        facts = new Facts().put("file", file.toString())
            .putAll(new Inspector(Instant.now()).inspect(bytes, as));
      } catch (InputException e) {
        throw new InputException(file + ": " + e.getMessage(), e);
      }
      format.print(facts, spec.commandLine().getOut());
    });
  }

  /** {@code --as} takes the kind's option name, e.g. {@code signed-claim}. */
  static final class KindConverter implements ITypeConverter<FileKind> {
    @Override
    public FileKind convert(String value) {
      for (FileKind k : FileKind.values()) {
        if (k.option().equals(value)) {
          return k;
        }
      }
      throw new TypeConversionException("unknown kind \"" + value
          + "\"; kinds: " + String.join(", ", new KindNames()));
    }
  }

  /** The option names of the kinds, for help and completion. */
  static final class KindNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(FileKind.values()).map(FileKind::option).iterator();
    }
  }
}
