package org.certifier.cli.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.certifier.cli.CommandFailure;
import org.certifier.cli.ExitCodes;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** How the service command turns its lifetime options into the service's configuration. */
class ServiceCommandTest {
  private static final String[] FILES = {"--policy-key-file", "k", "--policy-cert-file", "c",
      "--policy-file", "p"};

  private static ServiceCommand parse(String... options) {
    ServiceCommand command = new ServiceCommand();
    String[] argv = new String[FILES.length + options.length];
    System.arraycopy(FILES, 0, argv, 0, FILES.length);
    System.arraycopy(options, 0, argv, FILES.length, options.length);
    new CommandLine(command).parseArgs(argv);
    return command;
  }

  @Test
  void theLifetimeIsAnIsoDuration() {
    assertEquals(Duration.ofMinutes(10),
        parse("--certificate-lifetime", "PT10M").config().certificateLifetime());
  }

  @Test
  void daysStillWorkAndAYearIsTheDefault() {
    assertEquals(Duration.ofDays(7), parse("--certificate-days", "7").config()
        .certificateLifetime());
    assertEquals(Duration.ofDays(365), parse().config().certificateLifetime());
  }

  @Test
  void bothSpellingsAtOnceOrANonPositiveLifetimeAreUsageErrors() {
    assertEquals(ExitCodes.USAGE, assertThrows(CommandFailure.class,
        () -> parse("--certificate-days", "7", "--certificate-lifetime", "PT1H").config())
        .exitCode());
    assertEquals(ExitCodes.USAGE, assertThrows(CommandFailure.class,
        () -> parse("--certificate-lifetime", "PT0S").config()).exitCode());
  }

  @Test
  void aDurationThatIsNotIso8601IsRefusedByTheParser() {
    assertThrows(CommandLine.ParameterException.class,
        () -> parse("--certificate-lifetime", "10 minutes"));
  }
}
