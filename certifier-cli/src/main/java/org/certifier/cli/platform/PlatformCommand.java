package org.certifier.cli.platform;

import java.nio.file.Path;
import org.certifier.cli.Guard;
import org.certifier.cli.domain.DomainFiles;
import org.certifier.evidence.VerificationException;
import org.certifier.files.AtomicFiles;
import org.certifier.policy.Clauses;
import org.certifier.policy.Entities;
import org.certifier.policy.Statements;
import org.certifier.policy.Verb;
import org.certifier.proto.platform;
import org.certifier.proto.properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code certifier platform make}: make_platform (§5.1). */
@Command(name = "platform", mixinStandardHelpOptions = true,
    description = "Make platform descriptions (policy templates for platform properties).",
    subcommands = {PlatformCommand.Make.class})
public final class PlatformCommand {

  /** {@code certifier platform make}. */
  @Command(name = "make", mixinStandardHelpOptions = true,
      description = {"Make a platform file (no attestation key), as make_platform. Use it with"
          + " \"certifier clause unary --platform-subject FILE --verb"
          + " has-trusted-platform-property\".",
          "Example: certifier platform make --platform-type amd-sev-snp --properties-file"
              + " props.bin --output platform.bin"})
  public static final class Make implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = {"--platform-type", "--platform_type"}, required = true,
        description = "Platform type, e.g. amd-sev-snp.")
    String type;

    @Option(names = {"--properties-file", "--properties_file"}, paramLabel = "FILE",
        description = "A properties file (certifier property combine).")
    Path propertiesFile;

    @Option(names = "--output", required = true, paramLabel = "FILE",
        description = "The platform file to write.")
    Path output;

    @Override
    public void run() {
      Guard.run(() -> {
        properties props = propertiesFile == null ? null
            : DomainFiles.readMessage(properties.parser(), propertiesFile, "properties file");
        platform p = PlatformValues.platform(type, props == null ? null : props.getPropsList());
        check(p);
        AtomicFiles.write(output, p.toByteArray());
        spec.commandLine().getOut().println(output + ": "
            + Statements.describe(Entities.platform(p)));
        spec.commandLine().getOut().flush();
      });
    }
  }

  /** A platform must be usable in a statement; the statement check says what is wrong. */
  static void check(platform p) throws VerificationException {
    Clauses.validate(Clauses.unary(Entities.platform(p), Verb.HAS_TRUSTED_PLATFORM_PROPERTY));
  }
}
