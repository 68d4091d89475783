package org.certifier.verifiers.dcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.testing.TestVectors;
import org.certifier.verifiers.collateral.BundleDirectory;
import org.certifier.verifiers.dcap.collateral.QuoteCollateral;
import org.certifier.verifiers.dcap.collateral.TcbStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Intel vector, quote and collateral together, gives the outcome its README states
 * (../shared/testvectors/intel-sgx/README.md, intel-tdx/README.md) at the README's time.
 */
class DcapAppraisalVectorTest {
  private static final Instant JULY_2025 = Instant.parse("2025-07-01T00:00:00Z");

  private static DcapAppraisal appraisal() throws VerificationException {
    return new DcapAppraisal(IntelRoots.embedded());
  }

  private static QuoteCollateral json(String path) throws VerificationException {
    return QuoteCollateral.fromJson(new String(TestVectors.bytes(path), StandardCharsets.UTF_8));
  }

  @Test
  void sgxQuoteNeedsConfigurationAndSoftwareHardeningWithTwoAdvisories() throws Exception {
    DcapAppraisal.Result result = appraisal().appraise(DcapVectors.SGX_V3.bytes(),
        json("intel-sgx/sgx_quote_collateral.json"), JULY_2025);
    assertEquals(TcbStatus.CONFIGURATION_AND_SW_HARDENING_NEEDED, result.verdict().status());
    assertEquals(List.of("INTEL-SA-00289", "INTEL-SA-00615"), result.verdict().advisoryIds());
    assertEquals(TcbStatus.UP_TO_DATE, result.verdict().qe().status());
    assertEquals(Instant.parse("2024-03-13T00:00:00Z"), result.verdict().tcbDate());
  }

  @Test
  void phalaTdxV4IsUpToDateWithoutAdvisories() throws Exception {
    DcapAppraisal.Result result = appraisal().appraise(DcapVectors.PHALA_V4.bytes(),
        json("intel-tdx/phala-v4/tdx_quote_collateral.json"), JULY_2025);
    assertEquals(TcbStatus.UP_TO_DATE, result.verdict().status());
    assertEquals(List.of(), result.verdict().advisoryIds());
    assertEquals(TcbStatus.UP_TO_DATE, result.verdict().tdxModule().orElseThrow().status());
  }

  @Test
  void phalaTdxV5MatchesNoTcbLevel() throws Exception {
    VerificationException e = assertThrows(VerificationException.class,
        () -> appraisal().appraise(DcapVectors.PHALA_V5.bytes(),
            json("intel-tdx/phala-v5-no-tcb-match/tdx_quote_outdated_collateral.json"),
            DcapVectors.PHALA_V5.time));
    assertEquals(Failure.TCB_LEVEL_NOT_FOUND, e.failure());
  }

  @Test
  void goTdxGuestV4FromPcsResponsesInABundleMatchesNoTcbLevel(@TempDir Path dir)
      throws Exception {
    String from = "intel-tdx/go-tdx-guest-v4-spr/";
    Path intel = Files.createDirectories(dir.resolve("intel"));
    Files.createDirectories(intel.resolve("tcb"));
    Files.createDirectories(intel.resolve("qe"));
    copy(from + "sample_tcbInfo_response", intel.resolve("tcb/tdx-50806F000000.json"));
    copy(from + "tcbInfoIssuerChain.pem", intel.resolve("tcb/tdx-50806F000000.chain.pem"));
    copy(from + "sample_qeIdentity_response", intel.resolve("qe/tdx.json"));
    copy(from + "qeIdentityIssuerChain.pem", intel.resolve("qe/tdx.chain.pem"));
    copy(from + "pckcrl", intel.resolve("pckcrl-platform.der"));
    copy(from + "pckCrlIssuerChain.pem", intel.resolve("pckcrl-platform.chain.pem"));
    copy(from + "rootcrl.der", intel.resolve("rootcrl.der"));
    BundleDirectory bundle = new BundleDirectory(dir);

    VerificationException e = assertThrows(VerificationException.class,
        () -> appraisal().appraise(DcapVectors.GO_TDX_GUEST_V4.bytes(), bundle,
            DcapVectors.GO_TDX_GUEST_V4.time));
    assertEquals(Failure.TCB_LEVEL_NOT_FOUND, e.failure());

    // The same collateral once its TCB info is past its next update (2023-07-18).
    VerificationException late = assertThrows(VerificationException.class,
        () -> appraisal().appraise(DcapVectors.GO_TDX_GUEST_V4.bytes(), bundle,
            Instant.parse("2024-01-01T00:00:00Z")));
    assertEquals(Failure.COLLATERAL_EXPIRED, late.failure());
  }

  @Test
  void collateralOutsideItsWindowIsExpired() {
    VerificationException e = assertThrows(VerificationException.class,
        () -> appraisal().appraise(DcapVectors.SGX_V3.bytes(),
            json("intel-sgx/sgx_quote_collateral.json"), Instant.parse("2025-08-01T00:00:00Z")));
    assertEquals(Failure.COLLATERAL_EXPIRED, e.failure());
  }

  @Test
  void gramineQuoteWithoutCollateralCannotBeGraded(@TempDir Path empty) {
    VerificationException e = assertThrows(VerificationException.class,
        () -> appraisal().appraise(DcapVectors.GRAMINE_V3.bytes(), new BundleDirectory(empty),
            DcapVectors.GRAMINE_V3.time));
    assertEquals(Failure.COLLATERAL_UNAVAILABLE, e.failure());
    assertTrue(e.getMessage().contains("intel/tcb/sgx-00906EA10000.json"), e.getMessage());
  }

  private static void copy(String vector, Path to) throws IOException {
    Files.write(to, TestVectors.bytes(vector));
  }
}
