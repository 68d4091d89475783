package org.certifier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.certifier.testing.TestVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * {@code certifier inspect} on the vendors' evidence: every Intel quote and collateral JSON
 * and the AMD SEV-SNP reports in ../shared/testvectors, shown with the facts their READMEs
 * state and marked as not verified.
 */
class InspectVendorEvidenceTest {
  private static final String QUOTE = "type: Intel DCAP quote";
  private static final String COLLATERAL = "type: Intel DCAP collateral";
  private static final String SNP = "type: AMD SEV-SNP attestation report";

  @TempDir
  Path dir;

  static Stream<Arguments> vectors() {
    return Stream.of(
        file("intel-sgx/sgx_quote", QUOTE, "version: 3", "tee: SGX", "qe-vendor: Intel",
            "mrenclave: 33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb",
            "attributes: 0500000000000000e700000000000000", "debug: no", "qe-svn: 10",
            "report-data: 48656c6c6f2c20776f726c6421000000", "fmspc: 00a067110000",
            "subject: CN=Intel SGX PCK Processor CA"),
        file("intel-sgx/gramine-certifier/gramine-attestation.bin", QUOTE, "debug: yes",
            "mrsigner: c892beb3983019de5540315e678f84fa4c97be1669cc9f46f1cdc41935647f57",
            "report-data: 40aff2e9d2d8922e47afd4648e6967497158785fbd1da870e7110266bf944880",
            "fmspc: 00906ea10000", "pce-svn: 13"),
        file("intel-tdx/phala-v4/tdx_quote", QUOTE, "version: 4", "tee: TDX",
            "body: TDX 1.0 (584 bytes)", "mrtd: 91eb2b44d141d4ece09f0c75c2c53d247a3c68edd7fafe"
            + "8a3520c942a604a407de03ae6dc5f87f27428b2538873118b7",
            "tee-tcb-svn: 06010300000000000000000000000000", "xfam: e702060000000000",
            "fmspc: b0c06f000000", "tcb-components: 3 3 2 2 4 1 0 5 0 0 0 0 0 0 0 0"),
        file("intel-tdx/phala-v5-no-tcb-match/tdx_quote_outdated", QUOTE, "version: 5",
            "body: TDX 1.5 (648 bytes)", "tee-tcb-svn-2: 0d010300000000000000000000000000",
            "mrtd: 273828c46252fcbdd8ad2dd907130222b03466d52a2911d70c1a5950895d6bd1ae451d382d"
            + "5a9b1b4c0ed0e5ae9a3dbd", "fmspc: 90c06f000000"),
        file("intel-tdx/go-tdx-guest-v5/quote_v5_sample.dat", QUOTE, "version: 5",
            "tee: TDX", "fmspc: 90c06f000000"),
        file("intel-sgx/sgx_quote_collateral.json", COLLATERAL, "id: SGX",
            "fmspc: 00a067110000", "tcb-evaluation-data-number: 17",
            "next-update: 2025-07-19T10:56:11Z", "status: ConfigurationAndSWHardeningNeeded",
            "- INTEL-SA-00615", "id: QE", "isvsvn 8: UpToDate",
            "issuer: CN=Intel SGX PCK Processor CA"),
        file("intel-tdx/phala-v4/tdx_quote_collateral.json", COLLATERAL, "id: TDX",
            "fmspc: b0c06f000000", "tdx-components: ", "id: TD_QE", "tdx-module-TDX_01:"),
        file("intel-tdx/phala-v5-no-tcb-match/tdx_quote_outdated_collateral.json", COLLATERAL,
            "fmspc: 90c06f000000", "tcb-evaluation-data-number: 18"),
        file("intel-tdx/go-tdx-guest-v4-spr/collateral.json", COLLATERAL, "fmspc: 50806f000000",
            "next-update: 2023-07-18T08:42:58Z", "subject: CN=Intel SGX TCB Signing"),
        file("amd-sev-snp/milan-virtee/report_milan.hex", SNP, "version: 2",
            "signing-key: VCEK", "measurement: 7a1e5c266c0108dbc9bb94fa926951320940915d0aafb4"
            + "2464bd88b579ea158d3e1a0dc39b2c60bd95b9c480cd81841f",
            "reported-tcb: bootloader 3, tee 0, snp 8, microcode 115"),
        file("amd-sev-snp/milan-virtee/report_milan.bin", SNP, "signing-key: VCEK"),
        file("amd-sev-snp/milan-go-sev-guest/attestation.bin", SNP, "debug-allowed: yes",
            "microcode 68"));
  }

  private static Arguments file(String path, String... facts) {
    return Arguments.of(path, List.of(facts));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void showsTheFactsOfEveryVendorVectorAndSaysItDidNotVerify(String path, List<String> facts) {
    Cli.Result r = Cli.run("inspect", TestVectors.path(path));
    assertEquals(ExitCodes.OK, r.exit(), r.toString());
    String[] lines = r.out().split("\n");
    assertTrue(lines[1].startsWith(facts.get(0)), r.toString());
    assertTrue(lines[2].startsWith("verified: NO: inspect only reads"), r.toString());
    for (String fact : facts) {
      assertTrue(r.out().contains(fact), "missing \"" + fact + "\" in\n" + r.out());
    }
  }

  @Test
  void aQuoteWithTextAfterItsSignatureDataIsNoQuoteAndAsSaysWhy() throws IOException {
    Path stored = TestVectors.path("intel-tdx/go-tdx-guest-v4-spr/tdx_prod_quote_SPR_E4.dat");
    Cli.Result r = Cli.run("inspect", stored, "--as", "intel-quote");
    assertEquals(ExitCodes.BAD_INPUT, r.exit(), r.toString());
    assertTrue(r.err().contains("not a Intel DCAP quote"), r.toString());
    assertTrue(r.err().contains("malformed-evidence: "), r.toString());
    assertTrue(r.err().contains("are not zero padding"), r.toString());

    // Without go-tdx-guest's appended text (its README) it is the Sapphire Rapids quote.
    byte[] bytes = Files.readAllBytes(stored);
    Path trimmed = dir.resolve("spr.dat");
    Files.write(trimmed, Arrays.copyOf(bytes, bytes.length - 39));
    Cli.Result ok = Cli.run("inspect", trimmed);
    assertEquals(ExitCodes.OK, ok.exit(), ok.toString());
    assertTrue(ok.out().contains("mrtd: 6363b8043668a3ad953278e10389574d326c6749fb78aa810ecd933"
        + "6923db86f22fc00b8dcd404bc10d5e119d7215cbb"), ok.out());
  }

  @Test
  void aQuoteCutShortIsNoQuote() throws IOException {
    byte[] quote = TestVectors.bytes("intel-tdx/phala-v4/tdx_quote");
    Path cut = dir.resolve("cut.bin");
    Files.write(cut, Arrays.copyOf(quote, 700));
    Cli.Result r = Cli.run("inspect", cut, "--as", "intel-quote");
    assertEquals(ExitCodes.BAD_INPUT, r.exit(), r.toString());
    assertTrue(r.err().contains("malformed-evidence: "), r.toString());
  }

  @Test
  void jsonOutputOfAQuoteIsJson() {
    Cli.Result r = Cli.run("inspect", TestVectors.path("intel-tdx/phala-v4/tdx_quote"),
        "--format", "json");
    assertEquals(ExitCodes.OK, r.exit(), r.toString());
    Map<?, ?> top = (Map<?, ?>) new Load(LoadSettings.builder().build()).loadFromString(r.out());
    assertEquals(4, top.get("version"));
    assertEquals(3, ((List<?>) top.get("pck-chain")).size());
    assertEquals("b0c06f000000", ((Map<?, ?>) top.get("pck")).get("fmspc"));
  }
}
