package org.certifier.cli.platform;

import java.nio.file.Files;
import java.nio.file.Path;
import org.certifier.cli.Guard;
import org.certifier.cli.domain.DomainFiles;
import org.certifier.files.AtomicFiles;
import org.certifier.policy.Entities;
import org.certifier.policy.Statements;
import org.certifier.proto.environment;
import org.certifier.proto.platform;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code certifier environment make}: make_environment (§5.1). */
@Command(name = "environment", mixinStandardHelpOptions = true,
    description = "Make environments: a platform running a measured program.",
    subcommands = {EnvironmentCommand.Make.class})
public final class EnvironmentCommand {

  /** {@code certifier environment make}. */
  @Command(name = "make", mixinStandardHelpOptions = true,
      description = {"Make an environment file from a platform file and a measurement file,"
          + " as make_environment.",
          "Example: certifier environment make --platform-file platform.bin"
              + " --measurement-file example_app.measurement --output environment.bin"})
  public static final class Make implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = {"--platform-file", "--platform_file"}, required = true,
        paramLabel = "FILE", description = "A platform file (certifier platform make).")
    Path platformFile;

    @Option(names = {"--measurement-file", "--measurement_file"}, required = true,
        paramLabel = "FILE", description = "A measurement file (raw bytes).")
    Path measurementFile;

    @Option(names = "--output", required = true, paramLabel = "FILE",
        description = "The environment file to write.")
    Path output;

    @Override
    public void run() {
      Guard.run(() -> {
        platform p = DomainFiles.readMessage(platform.parser(), platformFile, "platform file");
        PlatformCommand.check(p);
        environment env = PlatformValues.environment(p, Files.readAllBytes(measurementFile));
        AtomicFiles.write(output, env.toByteArray());
        spec.commandLine().getOut().println(output + ": "
            + Statements.describe(Entities.environment(env)));
        spec.commandLine().getOut().flush();
      });
    }
  }
}
