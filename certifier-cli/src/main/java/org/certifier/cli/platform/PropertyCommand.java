package org.certifier.cli.platform;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.certifier.cli.Guard;
import org.certifier.cli.domain.DomainFiles;
import org.certifier.files.AtomicFiles;
import org.certifier.proto.properties;
import org.certifier.proto.property;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code certifier property make|combine}: make_property and combine_properties (§5.1). */
@Command(name = "property", mixinStandardHelpOptions = true,
    description = "Make platform properties for has-trusted-platform-property statements.",
    subcommands = {PropertyCommand.Make.class, PropertyCommand.Combine.class})
public final class PropertyCommand {

  /** {@code certifier property make}. */
  @Command(name = "make", mixinStandardHelpOptions = true,
      description = {"Make one property file, as make_property.",
          "Example: certifier property make --name api-major --type int --comparator \">=\""
              + " --int-value 0 --output p1.bin"})
  public static final class Make implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = {"--name", "--property_name"}, required = true,
        description = "Property name, e.g. debug, api-major, tcb-version.")
    String name;

    @Option(names = {"--type", "--property_type"}, required = true,
        description = "string or int.")
    String type;

    @Option(names = "--comparator", defaultValue = "=",
        description = "\"=\" or \">=\" (also eq / ge; default: ${DEFAULT-VALUE}).")
    String comparator;

    @Option(names = {"--int-value", "--int_value"}, paramLabel = "N",
        description = "Value of an int property: decimal or 0x hex, unsigned 64 bits.")
    String intValue;

    @Option(names = {"--string-value", "--string_value"}, paramLabel = "TEXT",
        description = "Value of a string property.")
    String stringValue;

    @Option(names = "--output", required = true, paramLabel = "FILE",
        description = "The property file to write.")
    Path output;

    @Override
    public void run() {
      Guard.run(() -> {
        property p = PlatformValues.property(name, type, comparator, intValue, stringValue);
        AtomicFiles.write(output, p.toByteArray());
        spec.commandLine().getOut().println(output + ": " + PlatformValues.describe(p));
        spec.commandLine().getOut().flush();
      });
    }
  }

  /** {@code certifier property combine}. */
  @Command(name = "combine", mixinStandardHelpOptions = true,
      description = {"Combine property files into one properties file, as"
          + " combine_properties.",
          "Example: certifier property combine --input p1.bin,p2.bin,p3.bin --output props.bin"})
  public static final class Combine implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = {"--input", "--in"}, required = true, split = ",", paramLabel = "FILE",
        description = "Property files, comma separated, in order.")
    List<Path> inputs = new ArrayList<>();

    @Option(names = "--output", required = true, paramLabel = "FILE",
        description = "The properties file to write.")
    Path output;

    @Override
    public void run() {
      Guard.run(() -> {
        properties.Builder all = properties.newBuilder();
        for (Path in : inputs) {
          all.addProps(DomainFiles.readMessage(property.parser(), in, "property file"));
        }
        AtomicFiles.write(output, all.build().toByteArray());
        spec.commandLine().getOut().println(output + ": " + all.getPropsCount()
            + " properties");
        for (property p : all.getPropsList()) {
          spec.commandLine().getOut().println("  " + PlatformValues.describe(p));
        }
        spec.commandLine().getOut().flush();
      });
    }
  }
}
