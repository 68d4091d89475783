package org.certifier.cli;

import org.certifier.cli.audit.AuditCommand;
import org.certifier.cli.claim.ClaimCommand;
import org.certifier.cli.clause.ClauseCommand;
import org.certifier.cli.demo.DemoCommand;
import org.certifier.cli.domain.DomainCommand;
import org.certifier.cli.inspect.InspectCommand;
import org.certifier.cli.keys.KeysCommand;
import org.certifier.cli.operator.OperatorCommand;
import org.certifier.cli.platform.EnvironmentCommand;
import org.certifier.cli.platform.PlatformCommand;
import org.certifier.cli.platform.PropertyCommand;
import org.certifier.cli.policy.PolicyCommand;
import org.certifier.cli.service.ServiceCommand;
import org.certifier.cli.verify.VerifyCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code certifier}: the root command. Each subcommand lives in its own package. */
@Command(name = "certifier", mixinStandardHelpOptions = true, version = "certifier 0.1.0",
    description = "Certifier Framework for Confidential Computing, in Java.",
    footer = {"", ExitCodes.TABLE},
    subcommands = {DemoCommand.class, DomainCommand.class, ServiceCommand.class,
        OperatorCommand.class,
        PolicyCommand.class, InspectCommand.class, ClauseCommand.class, ClaimCommand.class,
        PropertyCommand.class, PlatformCommand.class, EnvironmentCommand.class,
        KeysCommand.class, VerifyCommand.class, AuditCommand.class,
        CommandLine.HelpCommand.class})
public final class CertifierCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /** The command line with the project's error handling: messages to stderr, fixed codes. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new CertifierCommand());
    cl.setExecutionExceptionHandler((e, line, parsed) -> {
      if (e instanceof CommandFailure f) {
        line.getErr().println("certifier: " + f.getMessage());
        return f.exitCode();
      }
      line.getErr().println("certifier: internal error: " + e);
      e.printStackTrace(line.getErr());
      return ExitCodes.INTERNAL;
    });
    cl.setExitCodeExceptionMapper(e -> ExitCodes.USAGE);
    return cl;
  }
}
