package org.certifier.cli.verify;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.certifier.cli.CommandFailure;
import org.certifier.cli.ExitCodes;
import org.certifier.cli.Guard;
import org.certifier.cli.InputException;
import org.certifier.cli.Inputs;
import org.certifier.cli.inspect.IntelFacts;
import org.certifier.cli.output.Facts;
import org.certifier.cli.output.FormatOption;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.verifiers.collateral.BundleDirectory;
import org.certifier.verifiers.dcap.DcapAppraisal;
import org.certifier.verifiers.dcap.DcapExpectations;
import org.certifier.verifiers.dcap.IntelRoots;
import org.certifier.verifiers.dcap.Quote;
import org.certifier.verifiers.dcap.QuoteVerifier;
import org.certifier.verifiers.dcap.TeeType;
import org.certifier.verifiers.dcap.VerifiedQuote;
import org.certifier.verifiers.dcap.collateral.QuoteCollateral;
import org.certifier.verifiers.dcap.collateral.TcbAcceptance;
import org.certifier.verifiers.dcap.collateral.TcbStatus;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code certifier verify tdx} and {@code certifier verify sgx}: one Intel DCAP quote, offline.
 * The quote and its PCK chain ({@link QuoteVerifier}), then, with collateral, Intel's grade of
 * the platform ({@link DcapAppraisal}), then the expectations ({@link DcapExpectations}) and
 * the accepted TCB statuses ({@link TcbAcceptance}). Without collateral the TCB is not graded;
 * that is a rejection unless {@code --quote-only} asks for the quote checks alone, so that a
 * missing file can never pass for a good platform.
 */
abstract class IntelQuoteCommand implements Runnable {
  private static final String NOT_DECIDED = "no collateral given (--collateral,"
      + " --collateral-dir): the quote and its PCK chain verify, but Intel's TCB status, the"
      + " QE identity and the CRLs were NOT checked";

  /** Where Intel's collateral comes from; at most one. */
  static final class CollateralOptions {
    @Option(names = "--collateral", paramLabel = "FILE",
        description = "Collateral as dcap-qvl QuoteCollateralV3 JSON (TCB info, QE identity,"
            + " CRLs and their issuer chains).")
    Path json;

    @Option(names = "--collateral-dir", paramLabel = "DIR",
        description = "A collateral bundle directory (docs/operations.md), looked up by the"
            + " quote's TEE, FMSPC and PCK CA.")
    Path dir;

    @Option(names = "--quote-only",
        description = "Without collateral: accept on the quote checks alone. The TCB status is"
            + " then NOT decided, and the output says so.")
    boolean quoteOnly;
  }

  @Spec
  CommandSpec spec;

  @Mixin
  FormatOption format;

  @Option(names = "--quote", required = true, paramLabel = "FILE",
      description = "The quote, raw or as hex text.")
  Path quote;

  @ArgGroup(exclusive = true)
  CollateralOptions collateral;

  @Option(names = "--at", paramLabel = "INSTANT",
      description = "Verification time, e.g. 2026-01-01T00:00:00Z (default: now).")
  String at;

  @Option(names = "--report-data", paramLabel = "HEX",
      description = "The 64 bytes REPORTDATA must hold (hex).")
  String reportData;

  @Option(names = "--accept-tcb-status", paramLabel = "NAME",
      description = "An accepted Intel TCB status, as Intel's JSON names it (UpToDate,"
          + " SWHardeningNeeded, ConfigurationNeeded, ConfigurationAndSWHardeningNeeded,"
          + " OutOfDate, OutOfDateConfigurationNeeded); repeatable. Default: UpToDate only.")
  List<String> acceptedStatuses = new ArrayList<>();

  @Option(names = "--allow-advisory", paramLabel = "ID",
      description = "An Intel security advisory the platform may be affected by, e.g."
          + " INTEL-SA-00615; repeatable. Default: none.")
  List<String> allowedAdvisories = new ArrayList<>();

  @Option(names = "--allow-any-advisory", description = "Accept any advisory.")
  boolean anyAdvisory;

  @Option(names = "--allow-debug", description = "Accept a debuggable TD or enclave.")
  boolean allowDebug;

  private final TeeType tee;

  IntelQuoteCommand(TeeType tee) {
    this.tee = tee;
  }

  /** The accepted measurements (--measurement): MRTDs or MRENCLAVEs, as hex. */
  abstract List<String> measurements();

  /** Adds the TEE's own requirements. */
  abstract void expectations(DcapExpectations.Builder b) throws InputException;

  @Override
  public void run() {
    Guard.run(() -> {
      Instant when = Inputs.instant("--at", at);
      byte[] bytes = Inputs.rawOrHex(Files.readAllBytes(quote));
      DcapExpectations expected = expectations();
      TcbAcceptance acceptance = acceptance();
      Optional<Grader> grader = grader();
      boolean quoteOnly = collateral != null && collateral.quoteOnly;
      Facts facts = new Facts();
      facts.put("evidence", "Intel " + tee + " quote (DCAP)");
      facts.put("verified-at", when.toString());
      try {
        TeeType actual = Quote.parse(bytes).header().teeType();
        if (actual != tee) {
          throw new VerificationException(Failure.UNSUPPORTED_EVIDENCE_TYPE, "the quote is an "
              + actual + " quote, not " + tee + " (use certifier verify "
              + actual.toString().toLowerCase(Locale.ROOT) + ")");
        }
        VerifiedQuote verified = new QuoteVerifier(IntelRoots.embedded()).verify(bytes, when);
        facts.child("quote").putAll(IntelFacts.quote(verified.quote()));
        facts.child("pck").putAll(IntelFacts.pck(verified.pckExtensions(),
            verified.pckCertificate()));
        Optional<DcapAppraisal.Result> graded = grader.isEmpty() ? Optional.empty()
            : Optional.of(grader.get().grade(bytes, when));
        if (graded.isPresent()) {
          facts.child("tcb").putAll(IntelFacts.verdict(graded.get().verdict(),
              graded.get().collateral()));
        } else {
          facts.child("tcb").put("status", "NOT DECIDED").put("why", NOT_DECIDED);
        }
        expected.check(verified.body());
        if (graded.isPresent()) {
          acceptance.check(graded.get().verdict());
        } else if (!quoteOnly) {
          throw new VerificationException(Failure.COLLATERAL_UNAVAILABLE, NOT_DECIDED
              + "; give collateral, or --quote-only to accept on the quote alone");
        }
        facts.put("verdict", "accepted");
        if (quoteOnly) {
          facts.put("scope", "quote only: TCB status NOT decided");
        }
        format.print(facts, spec.commandLine().getOut());
        if (quoteOnly) {
          spec.commandLine().getErr().println("certifier: warning: accepted on the quote alone;"
              + " " + NOT_DECIDED);
        }
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

  /** Grades a quote with the collateral the options name. */
  @FunctionalInterface
  private interface Grader {
    DcapAppraisal.Result grade(byte[] quote, Instant when) throws VerificationException;
  }

  /** The collateral is read before anything is verified: a bad file is bad input. */
  private Optional<Grader> grader()
      throws IOException, VerificationException, InputException {
    if (collateral == null || collateral.quoteOnly) {
      return Optional.empty();
    }
    DcapAppraisal appraisal = new DcapAppraisal(IntelRoots.embedded());
    if (collateral.json != null) {
      String text;
      try {
        text = StandardCharsets.UTF_8.newDecoder()
            .decode(ByteBuffer.wrap(Files.readAllBytes(collateral.json))).toString();
      } catch (CharacterCodingException e) {
        throw new InputException("--collateral: " + collateral.json + " is not UTF-8 JSON text");
      }
      QuoteCollateral json = QuoteCollateral.fromJson(text);
      return Optional.of((quote, when) -> appraisal.appraise(quote, json, when));
    }
    if (!Files.isDirectory(collateral.dir)) {
      throw new NoSuchFileException(collateral.dir.toString(), null, "not a directory");
    }
    BundleDirectory bundle = new BundleDirectory(collateral.dir);
    return Optional.of((quote, when) -> appraisal.appraise(quote, bundle, when));
  }

  private DcapExpectations expectations() throws InputException {
    DcapExpectations.Builder b = DcapExpectations.builder(tee);
    if (reportData != null) {
      b.reportData(Inputs.hex("--report-data", reportData));
    }
    for (String m : measurements()) {
      b.allowMeasurement(Inputs.hex("--measurement", m));
    }
    if (allowDebug) {
      b.allowDebug();
    }
    expectations(b);
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage());
    }
  }

  private TcbAcceptance acceptance() throws InputException {
    Set<TcbStatus> statuses = EnumSet.noneOf(TcbStatus.class);
    for (String name : acceptedStatuses.isEmpty() ? List.of(TcbStatus.UP_TO_DATE.jsonName())
        : acceptedStatuses) {
      TcbStatus status = TcbStatus.fromJsonName(name).orElseThrow(() -> new InputException(
          "--accept-tcb-status: unknown status \"" + name + "\"; Intel's names are "
              + EnumSet.allOf(TcbStatus.class)));
      if (status == TcbStatus.REVOKED) {
        // As in the service: a TCB level Intel revoked is not a policy choice.
        throw new InputException("--accept-tcb-status: Revoked can never be accepted");
      }
      statuses.add(status);
    }
    if (anyAdvisory && !allowedAdvisories.isEmpty()) {
      throw new InputException("give --allow-advisory or --allow-any-advisory, not both");
    }
    return anyAdvisory ? TcbAcceptance.anyAdvisory(statuses)
        : TcbAcceptance.of(statuses, new LinkedHashSet<>(allowedAdvisories));
  }

  /** {@code certifier verify tdx}. */
  @Command(name = "tdx", mixinStandardHelpOptions = true,
      description = {"Verify an Intel TDX quote (version 4 or 5): the PCK chain to Intel's"
          + " embedded, pinned root, the QE report and its binding of the attestation key, the"
          + " quote signature; with collateral, its signatures, validity and CRLs and Intel's"
          + " TCB status of platform, QE and TDX module; then the expectations given here"
          + " (a debuggable TD is refused unless --allow-debug; only UpToDate is accepted"
          + " unless --accept-tcb-status). Prints what the quote says and the verdict.",
          "Without collateral the TCB status is not decided: rejected (collateral-unavailable)"
          + " unless --quote-only.",
          "Exit code 0 accepted, 1 rejected (with the failure code), 2 usage error, 3"
          + " unreadable input, 4 missing file."})
  public static final class Tdx extends IntelQuoteCommand {
    @Option(names = "--measurement", paramLabel = "HEX",
        description = "An accepted MRTD (48 bytes, hex); repeatable.")
    List<String> mrTds = new ArrayList<>();

    @Option(names = "--min-tee-tcb-svn", paramLabel = "HEX",
        description = "Minimum TEE_TCB_SVN (16 bytes, hex), compared byte by byte; byte 0 is"
            + " the TDX module's SVN.")
    String minTeeTcbSvn;

    public Tdx() {
      super(TeeType.TDX);
    }

    @Override
    List<String> measurements() {
      return mrTds;
    }

    @Override
    void expectations(DcapExpectations.Builder b) throws InputException {
      if (minTeeTcbSvn != null) {
        b.minimumTeeTcbSvn(Inputs.hex("--min-tee-tcb-svn", minTeeTcbSvn));
      }
    }
  }

  /** {@code certifier verify sgx}. */
  @Command(name = "sgx", mixinStandardHelpOptions = true,
      description = {"Verify an Intel SGX quote (version 3, e.g. Gramine's): the PCK chain to"
          + " Intel's embedded, pinned root, the QE report and its binding of the attestation"
          + " key, the quote signature; with collateral, its signatures, validity and CRLs and"
          + " Intel's TCB status of platform and QE; then the expectations given here (a debug"
          + " enclave is refused unless --allow-debug; only UpToDate is accepted unless"
          + " --accept-tcb-status). Prints what the quote says and the verdict.",
          "Without collateral the TCB status is not decided: rejected (collateral-unavailable)"
          + " unless --quote-only.",
          "Exit code 0 accepted, 1 rejected (with the failure code), 2 usage error, 3"
          + " unreadable input, 4 missing file."})
  public static final class Sgx extends IntelQuoteCommand {
    @Option(names = "--measurement", paramLabel = "HEX",
        description = "An accepted MRENCLAVE (32 bytes, hex); repeatable.")
    List<String> mrEnclaves = new ArrayList<>();

    @Option(names = "--mrsigner", paramLabel = "HEX",
        description = "An accepted MRSIGNER (32 bytes, hex); repeatable.")
    List<String> mrSigners = new ArrayList<>();

    @Option(names = "--isv-prod-id", paramLabel = "N", description = "The required ISVPRODID.")
    Integer isvProdId;

    @Option(names = "--min-isv-svn", paramLabel = "N", description = "The minimum ISVSVN.")
    Integer minIsvSvn;

    public Sgx() {
      super(TeeType.SGX);
    }

    @Override
    List<String> measurements() {
      return mrEnclaves;
    }

    @Override
    void expectations(DcapExpectations.Builder b) throws InputException {
      for (String m : mrSigners) {
        b.allowMrSigner(Inputs.hex("--mrsigner", m));
      }
      if (isvProdId != null) {
        b.isvProdId(isvProdId);
      }
      if (minIsvSvn != null) {
        b.minimumIsvSvn(minIsvSvn);
      }
    }
  }
}
