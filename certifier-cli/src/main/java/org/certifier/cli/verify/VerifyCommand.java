package org.certifier.cli.verify;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.certifier.cli.CommandFailure;
import org.certifier.cli.ExitCodes;
import org.certifier.cli.Guard;
import org.certifier.cli.InputException;
import org.certifier.cli.Inputs;
import org.certifier.cli.inspect.SnpReportFacts;
import org.certifier.cli.output.Facts;
import org.certifier.cli.output.FormatOption;
import org.certifier.crypto.Certificates;
import org.certifier.evidence.VerificationException;
import org.certifier.verifiers.sevsnp.AmdRoots;
import org.certifier.verifiers.sevsnp.SnpClaims;
import org.certifier.verifiers.sevsnp.SnpExpectations;
import org.certifier.verifiers.sevsnp.SnpVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code certifier verify}: offline verification of platform evidence. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Verify platform evidence offline: accepted, or the exact reason it is not."
        + " 'verify request' decides a whole trust request against the domain's policy as the"
        + " service would.",
    subcommands = {VerifyCommand.SevSnp.class, IntelQuoteCommand.Tdx.class,
        IntelQuoteCommand.Sgx.class, RequestCommand.class})
public final class VerifyCommand {

  /** {@code certifier verify sev-snp}. */
  @Command(name = "sev-snp", mixinStandardHelpOptions = true,
      description = {"Verify an AMD SEV-SNP attestation report: the AMD chain to the embedded,"
          + " pinned roots (ARK -> ASK -> VCEK), the report signature, the VCEK's TCB and chip"
          + " id against the report, then the expectations given here (debug is refused unless"
          + " --allow-debug). Prints what the report says and the verdict.",
          "Exit code 0 accepted, 1 rejected (with the failure code), 3 unreadable input."})
  public static final class SevSnp implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    FormatOption format;

    @Option(names = "--report", required = true, paramLabel = "FILE",
        description = "The 1184-byte report, raw or as hex text.")
    Path report;

    @Option(names = "--vcek", required = true, paramLabel = "FILE",
        description = "The VCEK certificate (DER or PEM).")
    Path vcek;

    @Option(names = "--ask", paramLabel = "FILE",
        description = "The ASK certificate (DER or PEM); default: AMD's for the product.")
    Path ask;

    @Option(names = "--at", paramLabel = "INSTANT",
        description = "Verification time, e.g. 2026-01-01T00:00:00Z (default: now).")
    String at;

    @Option(names = "--report-data", paramLabel = "HEX",
        description = "The 64 bytes the report must bind (hex).")
    String reportData;

    @Option(names = "--measurement", paramLabel = "HEX",
        description = "An accepted launch measurement (hex); repeatable.")
    List<String> measurements = new ArrayList<>();

    @Option(names = "--min-bootloader", paramLabel = "N") Integer minBootloader;
    @Option(names = "--min-tee", paramLabel = "N") Integer minTee;
    @Option(names = "--min-snp", paramLabel = "N") Integer minSnp;
    @Option(names = "--min-microcode", paramLabel = "N") Integer minMicrocode;

    @Option(names = "--allow-debug", description = "Accept a guest whose policy allows debug.")
    boolean allowDebug;

    @Override
    public void run() {
      Guard.run(() -> {
        Instant when = Inputs.instant("--at", at);
        byte[] reportBytes = Inputs.rawOrHex(Files.readAllBytes(report));
        byte[] vcekDer = Certificates.parseDerOrPem(Files.readAllBytes(vcek)).getEncoded();
        SnpVerifier verifier = new SnpVerifier(AmdRoots.embedded());
        Facts facts = new Facts();
        facts.put("evidence", "AMD SEV-SNP attestation report");
        facts.put("verified-at", when.toString());
        try {
          SnpClaims claims = ask == null ? verifier.verify(reportBytes, vcekDer, when)
              : verifier.verify(reportBytes, vcekDer,
                  Certificates.parseDerOrPem(Files.readAllBytes(ask)).getEncoded(), when);
          describe(claims, facts.child("report"));
          expectations().check(claims);
          facts.put("verdict", "accepted");
          format.print(facts, spec.commandLine().getOut());
        } catch (VerificationException e) {
          facts.put("verdict", "rejected");
          facts.put("failure", e.failure().code());
          facts.put("reason", String.valueOf(e.getMessage()));
          format.print(facts, spec.commandLine().getOut());
          throw new CommandFailure(ExitCodes.REJECTED, "rejected: " + e.failure().code() + ": "
              + e.getMessage());
        }
      });
    }

    private SnpExpectations expectations() throws InputException {
      SnpExpectations.Builder b = SnpExpectations.builder();
      if (reportData != null) {
        b.reportData(Inputs.hex("--report-data", reportData));
      }
      for (String m : measurements) {
        b.allowMeasurement(Inputs.hex("--measurement", m));
      }
      if (minBootloader != null) {
        b.minimumBootloader(minBootloader);
      }
      if (minTee != null) {
        b.minimumTee(minTee);
      }
      if (minSnp != null) {
        b.minimumSnp(minSnp);
      }
      if (minMicrocode != null) {
        b.minimumMicrocode(minMicrocode);
      }
      if (allowDebug) {
        b.allowDebug();
      }
      try {
        return b.build();
      } catch (IllegalArgumentException e) {
        throw new InputException(e.getMessage());
      }
    }

    private static void describe(SnpClaims c, Facts f) {
      HexFormat hex = HexFormat.of();
      f.put("product", c.product().toString());
      f.put("version", c.version());
      f.put("signing-key", c.signingKey().toString());
      f.put("measurement", hex.formatHex(c.measurement().toByteArray()));
      f.put("report-data", hex.formatHex(c.reportData().toByteArray()));
      f.put("vmpl", c.vmpl());
      f.put("guest-svn", c.guestSvn());
      f.child("guest-policy").putAll(SnpReportFacts.policy(c.policy()));
      f.put("reported-tcb", SnpReportFacts.tcb(c.reportedTcb()));
      f.put("chip-id", hex.formatHex(c.chipId().toByteArray()));
    }
  }
}
