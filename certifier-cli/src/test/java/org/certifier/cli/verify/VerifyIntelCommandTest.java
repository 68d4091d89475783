package org.certifier.cli.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.certifier.cli.CertifierCommand;
import org.certifier.cli.ExitCodes;
import org.certifier.testing.TestVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import picocli.CommandLine;

/**
 * {@code certifier verify tdx} and {@code verify sgx} on the real Intel vectors, each giving the
 * outcome its README states (../shared/testvectors/intel-sgx/README.md, intel-tdx/README.md)
 * at a time inside its collateral's window, and on mutations of them.
 */
class VerifyIntelCommandTest {
  private static final String JULY_2025 = "2025-07-01T00:00:00Z";
  private static final String SGX_QUOTE = vector("intel-sgx/sgx_quote");
  private static final String SGX_COLLATERAL = vector("intel-sgx/sgx_quote_collateral.json");
  private static final String GRAMINE = vector("intel-sgx/gramine-certifier/gramine-attestation.bin");
  private static final String PHALA_V4 = vector("intel-tdx/phala-v4/tdx_quote");
  private static final String PHALA_V4_COLLATERAL =
      vector("intel-tdx/phala-v4/tdx_quote_collateral.json");
  private static final String PHALA_V4_MRTD = "91eb2b44d141d4ece09f0c75c2c53d247a3c68edd7fafe8a35"
      + "20c942a604a407de03ae6dc5f87f27428b2538873118b7";
  private static final String PHALA_V4_REPORT_DATA = "9a9d48e7f6799642d3d1b34e1e5e1742d4bb02dd6d"
      + "dd551862c1211d35c304f9eca3efdbb481601c163cf52493d6e44aed55d51ec39b7e518fadb92c2b523f20";
  private static final String GO_TDX_GUEST = "intel-tdx/go-tdx-guest-v4-spr/";
  /** What go-tdx-guest appended to its v4 sample to test extra-bytes handling (its README). */
  private static final byte[] GO_TDX_GUEST_EXTRA = "\nextra bytes(only for testing purpose)\n"
      .getBytes(StandardCharsets.US_ASCII);

  @TempDir
  Path dir;

  private record Run(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private static Run run(String... args) {
    CommandLine cl = CertifierCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static String vector(String file) {
    return TestVectors.path(file).toString();
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static void assertRejected(Run r, String failure) {
    assertEquals(ExitCodes.REJECTED, r.exit(), r.toString());
    assertTrue(r.out().contains("verdict: rejected\nfailure: " + failure + "\n"), r.toString());
    assertTrue(r.err().contains("rejected: " + failure + ": "), r.toString());
  }

  private static void assertAccepted(Run r) {
    assertEquals(ExitCodes.OK, r.exit(), r.toString());
    assertTrue(r.out().endsWith("verdict: accepted\n"), r.toString());
  }

  // --- SGX: Phala's quote v3 with its collateral ---

  private static final String[] SGX = {"verify", "sgx", "--quote", SGX_QUOTE, "--collateral",
      SGX_COLLATERAL, "--at", JULY_2025};

  @Test
  void theSgxQuoteNeedsConfigurationAndSoftwareHardeningAndIsRefusedByDefault() {
    Run r = run(SGX);
    assertRejected(r, "tcb-status-not-accepted");
    for (String fact : List.of("tee: SGX", "version: 3",
        "mrenclave: 33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb",
        "mrsigner: 815f42f11cf64430c30bab7816ba596a1da0130c3b028b673133a66cf9a3e0e6",
        "debug: no", "fmspc: 00a067110000", "pce-svn: 13",
        "tcb-components: 11 11 2 2 255 1 0 0 0 0 0 0 0 0 0 0",
        "status: ConfigurationAndSWHardeningNeeded",
        "advisories:\n    - INTEL-SA-00289\n    - INTEL-SA-00615\n",
        "tcb-date: 2024-03-13T00:00:00Z", "qe-status: UpToDate",
        "tcb-info: SGX v3, evaluation data number 17")) {
      assertTrue(r.out().contains(fact), "missing \"" + fact + "\" in\n" + r.out());
    }
  }

  @Test
  void theSgxQuoteIsAcceptedOnlyWithItsStatusAndBothAdvisories() {
    String[] status = concat(SGX, "--accept-tcb-status", "ConfigurationAndSWHardeningNeeded");
    Run statusOnly = run(status);
    assertRejected(statusOnly, "tcb-status-not-accepted");
    assertTrue(statusOnly.out().contains("INTEL-SA-00289, INTEL-SA-00615]"), statusOnly.out());

    assertRejected(run(concat(status, "--allow-advisory", "INTEL-SA-00289")),
        "tcb-status-not-accepted");
    assertAccepted(run(concat(status, "--allow-advisory", "INTEL-SA-00289",
        "--allow-advisory", "INTEL-SA-00615")));
    assertAccepted(run(concat(status, "--allow-any-advisory")));
  }

  @Test
  void sgxExpectationsOnTheEnclaveHaveTheirCodes() {
    String[] accepted = concat(SGX, "--accept-tcb-status", "ConfigurationAndSWHardeningNeeded",
        "--allow-any-advisory");
    assertAccepted(run(concat(accepted, "--measurement",
        "33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb", "--mrsigner",
        "815f42f11cf64430c30bab7816ba596a1da0130c3b028b673133a66cf9a3e0e6", "--isv-prod-id", "0",
        "--min-isv-svn", "0", "--report-data", "48656c6c6f2c20776f726c6421" + "00".repeat(51))));
    assertRejected(run(concat(accepted, "--measurement", "00".repeat(32))),
        "unknown-measurement");
    assertRejected(run(concat(accepted, "--report-data", "00".repeat(64))),
        "report-data-mismatch");
    assertRejected(run(concat(accepted, "--mrsigner", "00".repeat(32))),
        "platform-property-mismatch");
    assertRejected(run(concat(accepted, "--isv-prod-id", "1")), "platform-property-mismatch");
    Run svn = run(concat(accepted, "--min-isv-svn", "1"));
    assertRejected(svn, "platform-property-mismatch");
    assertTrue(svn.out().contains("ISVSVN 0 < 1 required"), svn.out());
  }

  @Test
  void collateralPastItsNextUpdateIsExpired() {
    assertRejected(run("verify", "sgx", "--quote", SGX_QUOTE, "--collateral", SGX_COLLATERAL,
        "--at", "2025-08-01T00:00:00Z"), "collateral-expired");
  }

  // --- Gramine's SGX quote of a debug enclave, without collateral ---

  @Test
  void theGramineDebugEnclaveIsRefusedByDefault() {
    Run r = run("verify", "sgx", "--quote", GRAMINE, "--at", JULY_2025);
    assertRejected(r, "debug-not-allowed");
    assertTrue(r.out().contains("debug: yes"), r.out());
    assertTrue(r.out().contains("mrenclave: a938cf156073aaa9c2fcfd837c5466b7b667f2320f7391a263"
        + "35c60e085bf307"), r.out());
    assertTrue(r.out().contains("fmspc: 00906ea10000"), r.out());
  }

  @Test
  void withoutCollateralTheTcbIsNotDecidedAndThatIsARejectionUnlessQuoteOnly() {
    String[] debugAllowed = {"verify", "sgx", "--quote", GRAMINE, "--at", JULY_2025,
        "--allow-debug"};
    Run undecided = run(debugAllowed);
    assertRejected(undecided, "collateral-unavailable");
    assertTrue(undecided.out().contains("tcb:\n  status: NOT DECIDED\n"), undecided.out());
    assertTrue(undecided.out().contains("--quote-only"), undecided.out());

    Run quoteOnly = run(concat(debugAllowed, "--quote-only"));
    assertEquals(ExitCodes.OK, quoteOnly.exit(), quoteOnly.toString());
    assertTrue(quoteOnly.out().contains("status: NOT DECIDED"), quoteOnly.out());
    assertTrue(quoteOnly.out().contains("verdict: accepted\nscope: quote only: TCB status NOT"
        + " decided\n"), quoteOnly.out());
    assertTrue(quoteOnly.err().contains("warning: accepted on the quote alone"),
        quoteOnly.err());

    // An empty bundle lacks this FMSPC's TCB info: collateral-unavailable, naming the file.
    Run empty = run(concat(debugAllowed, "--collateral-dir", dir.toString()));
    assertRejected(empty, "collateral-unavailable");
    assertTrue(empty.out().contains("intel/tcb/sgx-00906EA10000.json"), empty.out());
  }

  @Test
  void quoteOnlyStillChecksEveryQuoteSignatureAndCertificate() throws IOException {
    String[] base = {"verify", "sgx", "--allow-debug", "--quote-only"};
    // PCK leaf valid 2023-03-24 .. 2030-03-24.
    assertRejected(run(concat(base, "--quote", GRAMINE, "--at", "2031-01-01T00:00:00Z")),
        "expired");
    assertRejected(run(concat(base, "--quote", GRAMINE, "--at", "2023-01-01T00:00:00Z")),
        "not-yet-valid");
    byte[] quote = TestVectors.bytes("intel-sgx/gramine-certifier/gramine-attestation.bin");
    assertRejected(run(concat(base, "--quote", write("body.bin", flip(quote, 48 + 64)),
        "--at", JULY_2025)), "bad-signature");
  }

  // --- TDX ---

  private static final String[] PHALA = {"verify", "tdx", "--quote", PHALA_V4, "--collateral",
      PHALA_V4_COLLATERAL, "--at", JULY_2025};

  @Test
  void phalasTdxV4QuoteIsUpToDateAndAccepted() {
    Run r = run(PHALA);
    assertAccepted(r);
    for (String fact : List.of("tee: TDX", "version: 4", "body: TDX 1.0 (584 bytes)",
        "mrtd: " + PHALA_V4_MRTD,
        "rtmr0: 44c0197b39157fdd7a4dcc44767f9d6b0bb3977c7a8e347b8492f827fe9d9e5c48aca29b220b80"
            + "b6a540cf994b9bc9c0",
        "report-data: " + PHALA_V4_REPORT_DATA, "td-attributes: 0000001000000000", "debug: no",
        "tee-tcb-svn: 06010300000000000000000000000000", "fmspc: b0c06f000000",
        "status: UpToDate", "advisories: (none)", "qe-status: UpToDate",
        "tdx-module-status: UpToDate", "td-relaunch-advised: no")) {
      assertTrue(r.out().contains(fact), "missing \"" + fact + "\" in\n" + r.out());
    }
  }

  @Test
  void tdxExpectationsHaveTheirCodes() {
    assertAccepted(run(concat(PHALA, "--measurement", "00".repeat(48), "--measurement",
        PHALA_V4_MRTD, "--report-data", PHALA_V4_REPORT_DATA, "--min-tee-tcb-svn",
        "06010300000000000000000000000000")));
    assertRejected(run(concat(PHALA, "--measurement", "00".repeat(48))), "unknown-measurement");
    assertRejected(run(concat(PHALA, "--report-data", "00".repeat(64))),
        "report-data-mismatch");
    Run module = run(concat(PHALA, "--min-tee-tcb-svn", "07010300000000000000000000000000"));
    assertRejected(module, "platform-property-mismatch");
    assertTrue(module.out().contains("component 0 is 6 < 7 required"), module.out());
  }

  @Test
  void jsonOutputCarriesTheSameFacts() {
    Run r = run(concat(PHALA, "--format", "json"));
    assertEquals(ExitCodes.OK, r.exit(), r.toString());
    Map<?, ?> top = (Map<?, ?>) new Load(LoadSettings.builder().build()).loadFromString(r.out());
    assertEquals("accepted", top.get("verdict"));
    Map<?, ?> tcb = (Map<?, ?>) top.get("tcb");
    assertEquals("UpToDate", tcb.get("status"));
    assertEquals(List.of(), tcb.get("advisories"));
    Map<?, ?> td = (Map<?, ?>) ((Map<?, ?>) top.get("quote")).get("td-report");
    assertEquals(PHALA_V4_MRTD, td.get("mrtd"));
    assertEquals(false, td.get("debug"));

    Run rejected = run(concat(SGX, "--format", "json"));
    Map<?, ?> no = (Map<?, ?>) new Load(LoadSettings.builder().build())
        .loadFromString(rejected.out());
    assertEquals("rejected", no.get("verdict"));
    assertEquals("tcb-status-not-accepted", no.get("failure"));
    assertEquals(List.of("INTEL-SA-00289", "INTEL-SA-00615"),
        ((Map<?, ?>) no.get("tcb")).get("advisories"));
  }

  @Test
  void aQuoteGivenAsHexTextIsReadAsTheQuote() throws IOException {
    String hex = HexFormat.of().formatHex(TestVectors.bytes("intel-tdx/phala-v4/tdx_quote"));
    Path file = dir.resolve("quote.hex");
    Files.writeString(file, hex + "\n");
    assertAccepted(run("verify", "tdx", "--quote", file.toString(), "--collateral",
        PHALA_V4_COLLATERAL, "--at", JULY_2025));
  }

  @Test
  void phalasTdxV5QuoteMatchesNoTcbLevel() {
    Run r = run("verify", "tdx", "--quote",
        vector("intel-tdx/phala-v5-no-tcb-match/tdx_quote_outdated"), "--collateral",
        vector("intel-tdx/phala-v5-no-tcb-match/tdx_quote_outdated_collateral.json"), "--at",
        "2026-03-01T00:00:00Z");
    assertRejected(r, "tcb-level-not-found");
    assertTrue(r.out().contains("body: TDX 1.5 (648 bytes)"), r.out());
    assertTrue(r.out().contains("tee-tcb-svn-2: 0d010300000000000000000000000000"), r.out());
    assertFalse(r.out().contains("\ntcb:"), r.out());
  }

  @Test
  void goTdxGuestsQuoteWithItsPcsFilesInABundleMatchesNoTcbLevelThenExpires()
      throws IOException {
    Path bundle = dir.resolve("bundle");
    Path intel = Files.createDirectories(bundle.resolve("intel"));
    Files.createDirectories(intel.resolve("tcb"));
    Files.createDirectories(intel.resolve("qe"));
    copy("sample_tcbInfo_response", intel.resolve("tcb/tdx-50806F000000.json"));
    copy("tcbInfoIssuerChain.pem", intel.resolve("tcb/tdx-50806F000000.chain.pem"));
    copy("sample_qeIdentity_response", intel.resolve("qe/tdx.json"));
    copy("qeIdentityIssuerChain.pem", intel.resolve("qe/tdx.chain.pem"));
    copy("pckcrl", intel.resolve("pckcrl-platform.der"));
    copy("pckCrlIssuerChain.pem", intel.resolve("pckcrl-platform.chain.pem"));
    copy("rootcrl.der", intel.resolve("rootcrl.der"));
    byte[] stored = TestVectors.bytes(GO_TDX_GUEST + "tdx_prod_quote_SPR_E4.dat");
    byte[] tail = Arrays.copyOfRange(stored, stored.length - GO_TDX_GUEST_EXTRA.length,
        stored.length);
    assertTrue(Arrays.equals(GO_TDX_GUEST_EXTRA, tail), "the sample no longer ends in its text");
    String quote = write("spr.dat", Arrays.copyOf(stored,
        stored.length - GO_TDX_GUEST_EXTRA.length));
    String[] base = {"verify", "tdx", "--collateral-dir", bundle.toString()};

    Run r = run(concat(base, "--quote", quote, "--at", "2023-07-01T01:00:00Z"));
    assertRejected(r, "tcb-level-not-found");
    assertTrue(r.out().contains("mrtd: 6363b8043668a3ad953278e10389574d326c6749fb78aa810ecd9336"
        + "923db86f22fc00b8dcd404bc10d5e119d7215cbb"), r.out());
    assertTrue(r.out().contains("fmspc: 50806f000000"), r.out());

    assertRejected(run(concat(base, "--quote", quote, "--at", "2024-01-01T00:00:00Z")),
        "collateral-expired");
    // As stored, with text after the signature data: refused, not silently cut.
    assertRejected(run(concat(base, "--quote", vector(GO_TDX_GUEST + "tdx_prod_quote_SPR_E4.dat"),
        "--at", "2023-07-01T01:00:00Z")), "malformed-evidence");
  }

  // --- mutations and misuse ---

  @Test
  void mutatedQuotesFailWithTheirOwnCodes() throws IOException {
    byte[] quote = TestVectors.bytes("intel-tdx/phala-v4/tdx_quote");
    String[] accept = {"--collateral", PHALA_V4_COLLATERAL, "--at", JULY_2025};
    // Header 48 bytes, TD report 584, then the signature data length and the signature.
    int signature = 48 + 584 + 4;
    assertRejected(run(concat(new String[] {"verify", "tdx", "--quote",
        write("sig.bin", flip(quote, signature))}, accept)), "bad-signature");
    assertRejected(run(concat(new String[] {"verify", "tdx", "--quote",
        write("mrtd.bin", flip(quote, 48 + 136))}, accept)), "bad-signature");
    // The QE report (its MRSIGNER at 128), signed by the PCK key, follows the signature, the
    // attestation key and a certification data type and size.
    assertRejected(run(concat(new String[] {"verify", "tdx", "--quote",
        write("qe.bin", flip(quote, signature + 64 + 64 + 6 + 128))}, accept)), "bad-signature");
    assertRejected(run(concat(new String[] {"verify", "tdx", "--quote",
        write("short.bin", Arrays.copyOf(quote, 1000))}, accept)), "malformed-evidence");
    assertRejected(run(concat(new String[] {"verify", "tdx", "--quote", SGX_QUOTE}, accept)),
        "unsupported-evidence-type");
    assertRejected(run(concat(new String[] {"verify", "sgx", "--quote", PHALA_V4}, accept)),
        "unsupported-evidence-type");
    // Collateral of another platform (SGX, PCK Processor CA): its PCK CRL does not cover this
    // quote's PCK certificate (Platform CA), so the collateral this quote needs is missing.
    assertRejected(run("verify", "tdx", "--quote", PHALA_V4, "--collateral", SGX_COLLATERAL,
        "--at", JULY_2025), "collateral-unavailable");
  }

  @Test
  void misuseIsAUsageOrInputErrorNotARejection() throws IOException {
    assertEquals(ExitCodes.USAGE, run("verify", "tdx", "--quote", PHALA_V4, "--collateral",
        PHALA_V4_COLLATERAL, "--collateral-dir", dir.toString()).exit());
    assertEquals(ExitCodes.USAGE, run("verify", "tdx", "--quote", PHALA_V4, "--collateral",
        PHALA_V4_COLLATERAL, "--quote-only").exit());
    assertEquals(ExitCodes.BAD_INPUT, run(concat(PHALA, "--accept-tcb-status", "uptodate"))
        .exit());
    assertEquals(ExitCodes.BAD_INPUT, run(concat(PHALA, "--accept-tcb-status", "Revoked"))
        .exit());
    assertEquals(ExitCodes.BAD_INPUT, run(concat(PHALA, "--allow-any-advisory",
        "--allow-advisory", "INTEL-SA-00615")).exit());
    assertEquals(ExitCodes.BAD_INPUT, run(concat(PHALA, "--measurement", "00".repeat(32)))
        .exit());
    assertEquals(ExitCodes.BAD_INPUT, run("verify", "tdx", "--quote", PHALA_V4, "--collateral",
        PHALA_V4_COLLATERAL, "--at", "yesterday").exit());
    assertEquals(ExitCodes.BAD_INPUT, run("verify", "tdx", "--quote", PHALA_V4, "--collateral",
        PHALA_V4, "--at", JULY_2025).exit());
    assertEquals(ExitCodes.IO, run("verify", "tdx", "--quote", dir.resolve("missing").toString(),
        "--quote-only").exit());
    assertEquals(ExitCodes.IO, run("verify", "tdx", "--quote", PHALA_V4, "--collateral-dir",
        dir.resolve("missing").toString()).exit());
  }

  private String write(String name, byte[] bytes) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, bytes);
    return file.toString();
  }

  private static void copy(String file, Path to) throws IOException {
    Files.write(to, TestVectors.bytes(GO_TDX_GUEST + file));
  }

  private static byte[] flip(byte[] bytes, int offset) {
    byte[] copy = bytes.clone();
    copy[offset] ^= 0x01;
    return copy;
  }
}
