package org.certifier.cli.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.certifier.cli.CertifierCommand;
import org.certifier.cli.ExitCodes;
import org.certifier.testing.TestVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `certifier verify sev-snp` on the real Milan vectors, pinned inside the VCEKs' validity. */
class VerifyCommandTest {
  private static final String AT = "2026-01-01T00:00:00Z";

  @TempDir
  Path dir;

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cl = CertifierCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static String vector(String file) {
    return TestVectors.path("amd-sev-snp/" + file).toString();
  }

  @Test
  void aRealMilanReportIsAccepted() {
    Run r = run("verify", "sev-snp", "--report", vector("milan-virtee/report_milan.hex"),
        "--vcek", vector("milan-virtee/vcek_milan.der"), "--at", AT);
    assertEquals(ExitCodes.OK, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("verdict: accepted"), r.out());
    assertTrue(r.out().contains("measurement: 7a1e5c266c0108dbc9bb94fa926951320940915d0aafb42464"
        + "bd88b579ea158d3e1a0dc39b2c60bd95b9c480cd81841f"), r.out());
    assertTrue(r.out().contains("reported-tcb: bootloader 3, tee 0, snp 8, microcode 115"),
        r.out());
  }

  @Test
  void aDebuggableGuestIsRejectedUnlessAllowedAndTheTcbMinimumIsEnforced() {
    String[] base = {"verify", "sev-snp", "--report", vector("milan-go-sev-guest/attestation.bin"),
        "--vcek", vector("milan-go-sev-guest/vcek.der"), "--at", AT};
    Run debug = run(base);
    assertEquals(ExitCodes.REJECTED, debug.exit(), debug.out());
    assertTrue(debug.out().contains("failure: debug-not-allowed"), debug.out());
    assertTrue(debug.out().contains("debug"), debug.out());

    Run allowed = run(concat(base, "--allow-debug"));
    assertEquals(ExitCodes.OK, allowed.exit(), allowed.out() + allowed.err());

    Run oldTcb = run(concat(base, "--allow-debug", "--min-microcode", "115"));
    assertEquals(ExitCodes.REJECTED, oldTcb.exit(), oldTcb.out());
    assertTrue(oldTcb.out().contains("microcode 68 < 115"), oldTcb.out());
  }

  @Test
  void aTamperedReportIsRejectedForItsSignature() throws Exception {
    byte[] report = Files.readAllBytes(Path.of(vector("milan-go-sev-guest/attestation.bin")));
    report[0x90] ^= 1;
    Path tampered = dir.resolve("report.bin");
    Files.write(tampered, report);
    Run r = run("verify", "sev-snp", "--report", tampered.toString(), "--vcek",
        vector("milan-go-sev-guest/vcek.der"), "--at", AT, "--allow-debug", "--format", "json");
    assertEquals(ExitCodes.REJECTED, r.exit(), r.out());
    assertTrue(r.out().contains("\"failure\": \"bad-signature\""), r.out());
  }

  @Test
  void unreadableInputIsNotARejection() {
    assertEquals(ExitCodes.IO, run("verify", "sev-snp", "--report",
        dir.resolve("missing").toString(), "--vcek", vector("milan-go-sev-guest/vcek.der"))
        .exit());
    assertEquals(ExitCodes.BAD_INPUT, run("verify", "sev-snp", "--report",
        vector("milan-go-sev-guest/attestation.bin"), "--vcek",
        vector("milan-go-sev-guest/vcek.der"), "--at", "yesterday").exit());
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
