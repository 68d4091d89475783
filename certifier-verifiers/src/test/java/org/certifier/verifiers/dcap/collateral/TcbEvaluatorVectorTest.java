package org.certifier.verifiers.dcap.collateral;

import static org.certifier.verifiers.dcap.collateral.CollateralVerifierVectorTest.assertFailure;
import static org.certifier.verifiers.dcap.collateral.DcapVectors.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.certifier.evidence.Failure;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The READMEs' expected TCB statuses, and mutations of the platform values. */
class TcbEvaluatorVectorTest {
  private static VerifiedCollateral sgx;
  private static VerifiedCollateral tdx;

  @BeforeAll
  static void setUp() throws Exception {
    CollateralVerifier verifier = new CollateralVerifier(intelRoot());
    sgx = verifier.verify(collateral(SGX_COLLATERAL), JULY_2025);
    tdx = verifier.verify(collateral(PHALA_V4_COLLATERAL), JULY_2025);
  }

  @Test
  void sgxQuoteIsConfigurationAndSwHardeningNeeded() throws Exception {
    TcbVerdict v = TcbEvaluator.evaluate(sgx, sgxPlatform(), sgxQe());
    assertEquals(TcbStatus.CONFIGURATION_AND_SW_HARDENING_NEEDED, v.status());
    assertEquals("ConfigurationAndSWHardeningNeeded", v.status().jsonName());
    assertEquals(List.of("INTEL-SA-00289", "INTEL-SA-00615"), v.advisoryIds());
    assertEquals(Instant.parse("2024-03-13T00:00:00Z"), v.tcbDate());
    assertEquals(TcbStatus.CONFIGURATION_AND_SW_HARDENING_NEEDED, v.platform().status());
    assertEquals(TcbStatus.UP_TO_DATE, v.qe().status());
    assertEquals(Instant.parse("2024-03-13T00:00:00Z"), v.qe().tcbDate());
    assertTrue(v.tdxModule().isEmpty());
    assertFalse(v.tdRelaunchAdvised());
  }

  @Test
  void phalaTdxQuoteIsUpToDate() throws Exception {
    TcbVerdict v = TcbEvaluator.evaluate(tdx, phalaV4Platform(), tdQe(6));
    assertEquals(TcbStatus.UP_TO_DATE, v.status());
    assertEquals(List.of(), v.advisoryIds());
    assertEquals(Instant.parse("2024-03-13T00:00:00Z"), v.tcbDate());
    assertEquals(TcbStatus.UP_TO_DATE, v.platform().status());
    assertEquals(TcbStatus.UP_TO_DATE, v.tdxModule().orElseThrow().status());
    assertEquals(TcbStatus.UP_TO_DATE, v.qe().status());
  }

  @Test
  void phalaV5QuoteMatchesNoTcbLevel() throws Exception {
    VerifiedCollateral v5 = new CollateralVerifier(intelRoot())
        .verify(collateral(PHALA_V5_COLLATERAL), MARCH_2026);
    assertFailure(Failure.TCB_LEVEL_NOT_FOUND,
        () -> TcbEvaluator.evaluate(v5, phalaV5Platform(), tdQe(7)));
    // With the SEAMLDR component (comp08) at 5 the newest level matches: the failure is that
    // component and nothing else.
    PlatformTcb fixed = tdx("90c06f000000", 13, components(3, 3, 2, 2, 4, 1, 0, 5),
        "07010300000000000000000000000000", Optional.of("0d010300000000000000000000000000"));
    assertEquals(TcbStatus.UP_TO_DATE, TcbEvaluator.evaluate(v5, fixed, tdQe(7)).status());
  }

  @Test
  void goTdxGuestQuoteMatchesNoTcbLevelOfItsTcbInfo() throws Exception {
    VerifiedCollateral spr = new CollateralVerifier(intelRoot()).verify(sprFromPcs(), SPR_TIME);
    assertFailure(Failure.TCB_LEVEL_NOT_FOUND,
        () -> TcbEvaluator.evaluate(spr, sprPlatform(), tdQe(4)));
  }

  @Test
  void lowerCpuSvnsMatchLowerLevels() throws Exception {
    TcbVerdict v = TcbEvaluator.evaluate(sgx, PlatformTcb.sgx(hex("00a067110000"), hex("0000"),
        13, components(10, 10, 2, 2, 255, 1, 12)), sgxQe());
    assertEquals(TcbStatus.OUT_OF_DATE, v.status());
    assertEquals(List.of("INTEL-SA-00828", "INTEL-SA-00289", "INTEL-SA-00615"), v.advisoryIds());
    assertEquals(Instant.parse("2023-02-15T00:00:00Z"), v.tcbDate());
    // The newest level: every component at least the first level's.
    TcbVerdict top = TcbEvaluator.evaluate(sgx, PlatformTcb.sgx(hex("00a067110000"),
        hex("0000"), 13, components(11, 11, 2, 2, 255, 1, 12)), sgxQe());
    assertEquals(TcbStatus.SW_HARDENING_NEEDED, top.status());
    // PCESVN 12 skips the levels that need 13; component 7 at 0 skips those that need 4.
    TcbVerdict oldPce = TcbEvaluator.evaluate(sgx, PlatformTcb.sgx(hex("00a067110000"),
        hex("0000"), 12, components(11, 11, 2, 2, 255, 1, 0)), sgxQe());
    assertEquals(TcbStatus.OUT_OF_DATE_CONFIGURATION_NEEDED, oldPce.status());
    assertEquals(Instant.parse("2021-11-10T00:00:00Z"), oldPce.tcbDate());
  }

  @Test
  void belowTheLowestPlatformLevelNothingMatches() {
    assertFailure(Failure.TCB_LEVEL_NOT_FOUND, () -> TcbEvaluator.evaluate(sgx,
        PlatformTcb.sgx(hex("00a067110000"), hex("0000"), 13, components(1, 1, 2, 2, 255, 1)),
        sgxQe()));
    assertFailure(Failure.TCB_LEVEL_NOT_FOUND, () -> TcbEvaluator.evaluate(sgx,
        PlatformTcb.sgx(hex("00a067110000"), hex("0000"), 0, components(11, 11, 2, 2, 255, 1)),
        sgxQe()));
  }

  @Test
  void anFmspcOrPceIdOfAnotherPlatformIsAMismatch() {
    assertFailure(Failure.TCB_MISMATCH, () -> TcbEvaluator.evaluate(sgx,
        PlatformTcb.sgx(hex("00a067110001"), hex("0000"), 13, components(11, 11, 2, 2, 255, 1)),
        sgxQe()));
    assertFailure(Failure.TCB_MISMATCH, () -> TcbEvaluator.evaluate(sgx,
        PlatformTcb.sgx(hex("00a067110000"), hex("0001"), 13, components(11, 11, 2, 2, 255, 1)),
        sgxQe()));
  }

  @Test
  void sgxAndTdxCollateralDoNotMix() {
    assertFailure(Failure.TCB_MISMATCH, () -> TcbEvaluator.evaluate(tdx,
        PlatformTcb.sgx(hex("b0c06f000000"), hex("0000"), 11, components(3, 3, 2, 2, 4, 1, 0, 5)),
        tdQe(6)));
    assertFailure(Failure.TCB_MISMATCH, () -> TcbEvaluator.evaluate(sgx,
        tdx("00a067110000", 13, components(11, 11, 2, 2, 255, 1),
            "06010300000000000000000000000000", Optional.empty()), sgxQe()));
    // The TD_QE identity with the SGX TCB info, the QE identity with the TDX TCB info.
    assertFailure(Failure.TCB_MISMATCH, () -> TcbEvaluator.evaluate(sgx.tcbInfo(),
        tdx.qeIdentity(), sgxPlatform(), tdQe(6)));
    assertFailure(Failure.TCB_MISMATCH, () -> TcbEvaluator.evaluate(tdx.tcbInfo(),
        sgx.qeIdentity(), phalaV4Platform(), sgxQe()));
  }

  @Test
  void aQeOfAnotherSignerProductOrConfigurationIsAMismatch() throws Exception {
    ByteString otherSigner = TD_QE_MRSIGNER;
    assertFailure(Failure.TCB_MISMATCH, () -> TcbEvaluator.evaluate(sgx, sgxPlatform(),
        new QeReportIdentity(otherSigner, 1, 0, QE_ATTRIBUTES, 10)));
    assertFailure(Failure.TCB_MISMATCH, () -> TcbEvaluator.evaluate(sgx, sgxPlatform(),
        new QeReportIdentity(SGX_QE_MRSIGNER, 3, 0, QE_ATTRIBUTES, 10)));
    assertFailure(Failure.TCB_MISMATCH, () -> TcbEvaluator.evaluate(sgx, sgxPlatform(),
        new QeReportIdentity(SGX_QE_MRSIGNER, 1, 1, QE_ATTRIBUTES, 10)));
    // A debug QE (ATTRIBUTES.DEBUG, bit 1) is not Intel's production QE.
    ByteString debug = hex("1700000000000000e700000000000000");
    assertFailure(Failure.TCB_MISMATCH, () -> TcbEvaluator.evaluate(sgx, sgxPlatform(),
        new QeReportIdentity(SGX_QE_MRSIGNER, 1, 0, debug, 10)));
    // Bit 2 (provision key) is outside the mask: it does not matter.
    ByteString unmasked = hex("1100000000000000e700000000000000");
    TcbEvaluator.evaluate(sgx.tcbInfo(), sgx.qeIdentity(), sgxPlatform(),
        new QeReportIdentity(SGX_QE_MRSIGNER, 1, 0, unmasked, 10));
  }

  @Test
  void aQeBelowItsLowestLevelMatchesNoLevel() {
    assertFailure(Failure.TCB_LEVEL_NOT_FOUND, () -> TcbEvaluator.evaluate(sgx, sgxPlatform(),
        new QeReportIdentity(SGX_QE_MRSIGNER, 1, 0, QE_ATTRIBUTES, 0)));
    assertFailure(Failure.TCB_LEVEL_NOT_FOUND,
        () -> TcbEvaluator.evaluate(tdx, phalaV4Platform(), tdQe(3)));
  }

  @Test
  void anOutOfDateQeOrModuleMakesTheWholeOutOfDate() throws Exception {
    // SGX QE ISVSVN 7: level 6, OutOfDate with INTEL-SA-00615; platform stays
    // ConfigurationAndSWHardeningNeeded -> OutOfDateConfigurationNeeded.
    TcbVerdict v = TcbEvaluator.evaluate(sgx, sgxPlatform(),
        new QeReportIdentity(SGX_QE_MRSIGNER, 1, 0, QE_ATTRIBUTES, 7));
    assertEquals(TcbStatus.OUT_OF_DATE_CONFIGURATION_NEEDED, v.status());
    assertEquals(TcbStatus.OUT_OF_DATE, v.qe().status());
    assertEquals(List.of("INTEL-SA-00289", "INTEL-SA-00615"), v.advisoryIds());
    assertEquals(Instant.parse("2021-11-10T00:00:00Z"), v.tcbDate());
    // An UpToDate TDX platform level with an out-of-date module (TDX_01 SVN 3): OutOfDate.
    TcbVerdict module = TcbEvaluator.evaluate(tdx, tdx("b0c06f000000", 11,
        components(3, 3, 2, 2, 4, 1, 0, 5), "03010300000000000000000000000000",
        Optional.empty()), tdQe(6));
    assertEquals(TcbStatus.OUT_OF_DATE, module.status());
    assertEquals(TcbStatus.UP_TO_DATE, module.platform().status());
    assertEquals(TcbStatus.OUT_OF_DATE, module.tdxModule().orElseThrow().status());
    assertEquals(Instant.parse("2023-08-09T00:00:00Z"), module.tcbDate());
  }

  @Test
  void theTdxModuleMustBeKnownAndIntels() {
    // Major version 2: the TCB info knows TDX_01 and TDX_03 only.
    assertFailure(Failure.TCB_MISMATCH, () -> TcbEvaluator.evaluate(tdx, tdx("b0c06f000000",
        11, components(3, 3, 2, 2, 4, 1, 0, 5), "06020300000000000000000000000000",
        Optional.empty()), tdQe(6)));
    // Module SVN 1 is below TDX_01's lowest level (2).
    assertFailure(Failure.TCB_LEVEL_NOT_FOUND, () -> TcbEvaluator.evaluate(tdx,
        tdx("b0c06f000000", 11, components(3, 3, 2, 2, 4, 1, 0, 5),
            "01010300000000000000000000000000", Optional.empty()), tdQe(6)));
    ByteString otherSigner = ByteString.copyFrom(new byte[47]).concat(hex("01"));
    assertFailure(Failure.TCB_MISMATCH, () -> TcbEvaluator.evaluate(tdx, PlatformTcb.tdx(
        hex("b0c06f000000"), hex("0000"), 11, components(3, 3, 2, 2, 4, 1, 0, 5),
        hex("06010300000000000000000000000000"), Optional.empty(), otherSigner, ZERO_8),
        tdQe(6)));
    assertFailure(Failure.TCB_MISMATCH, () -> TcbEvaluator.evaluate(tdx, PlatformTcb.tdx(
        hex("b0c06f000000"), hex("0000"), 11, components(3, 3, 2, 2, 4, 1, 0, 5),
        hex("06010300000000000000000000000000"), Optional.empty(), ZERO_48,
        hex("0100000000000000")), tdQe(6)));
  }

  @Test
  void tdxComponentsBelowTheLevelsMatchNoLevel() {
    // TDX late microcode (byte 2) at 1: every level needs at least 2.
    assertFailure(Failure.TCB_LEVEL_NOT_FOUND, () -> TcbEvaluator.evaluate(tdx,
        tdx("b0c06f000000", 11, components(3, 3, 2, 2, 4, 1, 0, 5),
            "06010100000000000000000000000000", Optional.empty()), tdQe(6)));
  }

  @Test
  void aTdLaunchedBeforeAModuleUpdateIsAdvisedToRelaunch() throws Exception {
    // Launched on TDX_01 SVN 2 (OutOfDate), now running SVN 6 >= TDX_01's newest level 4.
    TcbVerdict advised = TcbEvaluator.evaluate(tdx, tdx("b0c06f000000", 11,
        components(3, 3, 2, 2, 4, 1, 0, 5), "02010300000000000000000000000000",
        Optional.of("06010300000000000000000000000000")), tdQe(6));
    assertEquals(TcbStatus.OUT_OF_DATE, advised.status());
    assertTrue(advised.tdRelaunchAdvised());
    // Still on the old module: relaunching would not help.
    TcbVerdict notAdvised = TcbEvaluator.evaluate(tdx, tdx("b0c06f000000", 11,
        components(3, 3, 2, 2, 4, 1, 0, 5), "02010300000000000000000000000000",
        Optional.of("02010300000000000000000000000000")), tdQe(6));
    assertEquals(TcbStatus.OUT_OF_DATE, notAdvised.status());
    assertFalse(notAdvised.tdRelaunchAdvised());
    // An updated module of an unknown major version.
    assertFailure(Failure.TCB_MISMATCH, () -> TcbEvaluator.evaluate(tdx, tdx("b0c06f000000",
        11, components(3, 3, 2, 2, 4, 1, 0, 5), "02010300000000000000000000000000",
        Optional.of("06020300000000000000000000000000")), tdQe(6)));
  }
}
