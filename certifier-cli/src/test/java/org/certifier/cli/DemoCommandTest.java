package org.certifier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `certifier demo` runs the whole story and says what happened at each step. */
class DemoCommandTest {
  @Test
  void demoCertifiesTwoProgramsRefusesAThirdAndTheyTalk() {
    CommandLine cl = CertifierCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));

    int exit = cl.execute("demo");

    String text = out.toString();
    assertEquals(ExitCodes.OK, exit, text + err);
    assertTrue(text.contains("refused as expected: unknown-measurement"), text);
    assertTrue(text.contains("server got \"Hi from your secret client\" from Measured-"), text);
    assertTrue(text.contains("client got \"Hi from your secret server\" from Measured-"), text);
    assertTrue(text.matches("(?s).*admission certificate: CN=CertifierUsers,O=Measured-[0-9a-f]{64},"
        + " serial \\d+.*"), text);
  }

  @Test
  void unknownSubcommandIsAUsageError() {
    CommandLine cl = CertifierCommand.commandLine();
    cl.setErr(new PrintWriter(new StringWriter()));
    assertEquals(ExitCodes.USAGE, cl.execute("no-such-command"));
  }
}
