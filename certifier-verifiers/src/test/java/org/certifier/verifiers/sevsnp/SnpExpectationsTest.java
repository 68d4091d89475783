package org.certifier.verifiers.sevsnp;

import static org.certifier.verifiers.sevsnp.SnpLayout.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Expectations on claims. Claims with a changed field come from edited copies of the real
 * reports, parsed but not verified: any edit breaks AMD's signature (SnpVerifierTest shows
 * that for the debug bit), so the expectations are tested on the claims directly.
 */
class SnpExpectationsTest {
  private static final SnpExpectations DEFAULTS = SnpExpectations.builder().build();

  /** Vector 2: policy 0x30000, VMPL 0, TCB bl3/tee0/snp8/uc115. */
  private SnpClaims virtee;

  // Loaded here, not inside assertThrows, so that absent vectors skip the test.
  @BeforeEach
  void loadVector() throws Exception {
    virtee = claims(ReportBytes.of(SnpVectors.virteeReport()));
  }

  private static SnpClaims claims(ReportBytes report) throws Exception {
    return SnpClaims.of(SnpReport.parse(report.bytes()), SnpProduct.MILAN);
  }

  @Test
  void theDefaultsAcceptANonDebuggableVcekSignedGuest() throws Exception {
    DEFAULTS.check(virtee);
  }

  @Test
  void debuggableGuestsAreRefusedUnlessDebugIsAllowed() throws Exception {
    SnpClaims debuggable = claims(ReportBytes.of(SnpVectors.virteeReport())
        .u64(POLICY, 0x30000 | 1L << 19));
    // The real go-sev-guest report (policy 0xb0000) is such a guest.
    SnpClaims goSevGuest = claims(ReportBytes.of(SnpVectors.goSevGuestReport()));

    VerificationException e = assertThrows(VerificationException.class,
        () -> DEFAULTS.check(debuggable));
    assertEquals(Failure.DEBUG_NOT_ALLOWED, e.failure());
    assertEquals("debug allowed by guest policy but the policy forbids debug", e.getMessage());
    assertFailure(Failure.DEBUG_NOT_ALLOWED, () -> DEFAULTS.check(goSevGuest));
    SnpExpectations.builder().allowDebug().build().check(debuggable);
    SnpExpectations.builder().allowDebug().build().check(goSevGuest);
  }

  @Test
  void tcbBelowTheMinimumIsRefused() throws Exception {
    SnpClaims goSevGuest = claims(ReportBytes.of(SnpVectors.goSevGuestReport()));
    SnpExpectations microcode = SnpExpectations.builder().allowDebug().minimumMicrocode(115)
        .build();

    VerificationException e = assertThrows(VerificationException.class,
        () -> microcode.check(goSevGuest));
    assertEquals(Failure.PLATFORM_PROPERTY_MISMATCH, e.failure());
    assertEquals("SNP TCB microcode 68 < 115 required", e.getMessage());
    microcode.check(virtee);
    assertMismatch(() -> SnpExpectations.builder().minimumBootloader(4).build().check(virtee));
    assertMismatch(() -> SnpExpectations.builder().minimumTee(1).build().check(virtee));
    assertMismatch(() -> SnpExpectations.builder().minimumSnp(9).build().check(virtee));
    SnpExpectations.builder().minimumBootloader(3).minimumTee(0).minimumSnp(8)
        .minimumMicrocode(115).build().check(virtee);
  }

  @Test
  void theMinimumFmcNeedsAPlatformWithAnFmc() throws Exception {
    SnpClaims turin = SnpClaims.of(SnpReport.parse(ReportBytes.of(SnpReportTest.minimalReport())
        .version(3, 0x1A, 2, 1).allTcbs(TcbVersion.turin(4, 1, 1, 1, 1).raw()).bytes()),
        SnpProduct.TURIN);

    SnpExpectations.builder().minimumFmc(4).build().check(turin);
    assertMismatch(() -> SnpExpectations.builder().minimumFmc(5).build().check(turin));
    assertMismatch(() -> SnpExpectations.builder().minimumFmc(0).build().check(virtee));
  }

  @Test
  void reportDataMustMatchExactly() throws Exception {
    byte[] expected = virtee.reportData().toByteArray();
    SnpExpectations.builder().reportData(expected).build().check(virtee);

    byte[] other = expected.clone();
    other[63] ^= 1;
    assertFailure(Failure.REPORT_DATA_MISMATCH,
        () -> SnpExpectations.builder().reportData(other).build().check(virtee));
    // Wrong lengths are refused, never padded: a SHA-384 alone is not REPORT_DATA.
    assertThrows(IllegalArgumentException.class,
        () -> SnpExpectations.builder().reportData(new byte[48]));
    assertThrows(IllegalArgumentException.class,
        () -> SnpExpectations.builder().reportData(new byte[65]));
  }

  @Test
  void hostDataMustMatchExactly() throws Exception {
    SnpExpectations.builder().hostData(new byte[32]).build().check(virtee);
    byte[] other = new byte[32];
    other[0] = 1;
    assertFailure(Failure.REPORT_DATA_MISMATCH,
        () -> SnpExpectations.builder().hostData(other).build().check(virtee));
    assertThrows(IllegalArgumentException.class,
        () -> SnpExpectations.builder().hostData(new byte[31]));
  }

  @Test
  void anUnlistedMeasurementIsUnknown() throws Exception {
    byte[] measurement = virtee.measurement().toByteArray();
    SnpExpectations.builder().allowMeasurement(new byte[48]).allowMeasurement(measurement)
        .build().check(virtee);

    assertFailure(Failure.UNKNOWN_MEASUREMENT, () -> SnpExpectations.builder()
        .allowMeasurement(new byte[48]).build().check(virtee));
    assertThrows(IllegalArgumentException.class,
        () -> SnpExpectations.builder().allowMeasurement(new byte[32]));
  }

  @Test
  void aVmplAboveTheMaximumIsRefused() throws Exception {
    SnpClaims vmpl2 = claims(ReportBytes.of(SnpVectors.virteeReport()).u32(VMPL, 2));

    assertMismatch(() -> SnpExpectations.builder().maximumVmpl(0).build().check(vmpl2));
    assertMismatch(() -> SnpExpectations.builder().maximumVmpl(1).build().check(vmpl2));
    SnpExpectations.builder().maximumVmpl(2).build().check(vmpl2);
    SnpExpectations.builder().maximumVmpl(0).build().check(virtee);
  }

  @Test
  void aGuestSvnBelowTheMinimumIsRefused() throws Exception {
    SnpClaims svn7 = claims(ReportBytes.of(SnpVectors.virteeReport()).u32(GUEST_SVN, 7));

    assertMismatch(() -> SnpExpectations.builder().minimumGuestSvn(8).build().check(svn7));
    SnpExpectations.builder().minimumGuestSvn(7).build().check(svn7);
  }

  @Test
  void policyBitsCanBeRequiredOrForbidden() throws Exception {
    SnpClaims smt = virtee; // SMT allowed; migration agent and single socket not
    SnpClaims singleSocketWithAgent = claims(ReportBytes.of(SnpVectors.virteeReport())
        .u64(POLICY, 0x20000 | 1L << 18 | 1L << 20));

    assertMismatch(() -> SnpExpectations.builder().smtAllowed(false).build().check(smt));
    SnpExpectations.builder().smtAllowed(true).build().check(smt);
    assertMismatch(() -> SnpExpectations.builder().smtAllowed(true).build()
        .check(singleSocketWithAgent));
    assertMismatch(() -> SnpExpectations.builder().migrateMaAllowed(false).build()
        .check(singleSocketWithAgent));
    SnpExpectations.builder().migrateMaAllowed(false).build().check(smt);
    assertMismatch(() -> SnpExpectations.builder().singleSocket(true).build().check(smt));
    SnpExpectations.builder().singleSocket(true).migrateMaAllowed(true).smtAllowed(false)
        .build().check(singleSocketWithAgent);
  }

  @Test
  void theAbiIsComparedAsAVersion() throws Exception {
    SnpClaims abi151 = claims(ReportBytes.of(SnpVectors.virteeReport())
        .u64(POLICY, 0x30000 | 1 << 8 | 51));

    assertMismatch(() -> SnpExpectations.builder().minimumAbi(1, 52).build().check(abi151));
    assertMismatch(() -> SnpExpectations.builder().minimumAbi(2, 0).build().check(abi151));
    SnpExpectations.builder().minimumAbi(1, 51).build().check(abi151);
    SnpExpectations.builder().minimumAbi(0, 99).build().check(abi151);
  }

  @Test
  void productsCanBeRestricted() throws Exception {
    assertMismatch(() -> SnpExpectations.builder().products(List.of(SnpProduct.GENOA)).build()
        .check(virtee));
    SnpExpectations.builder().products(List.of(SnpProduct.GENOA, SnpProduct.MILAN)).build()
        .check(virtee);
  }

  @Test
  void vlekSignedClaimsNeedExplicitConsent() throws Exception {
    SnpClaims vlek = claims(ReportBytes.of(SnpVectors.virteeReport()).u32(KEY_INFO, 1 << 2));

    assertFailure(Failure.UNTRUSTED_SIGNER, () -> DEFAULTS.check(vlek));
    SnpExpectations.builder().allowVlek().build().check(vlek);
  }

  @Test
  void theRecordRefusesOutOfRangeValues() {
    assertThrows(IllegalArgumentException.class,
        () -> SnpExpectations.builder().minimumMicrocode(256).build());
    assertThrows(IllegalArgumentException.class,
        () -> SnpExpectations.builder().maximumVmpl(-1).build());
    assertThrows(IllegalArgumentException.class,
        () -> SnpExpectations.builder().minimumAbi(1, 256));
  }

  private static void assertMismatch(Executable action) {
    assertFailure(Failure.PLATFORM_PROPERTY_MISMATCH, action);
  }

  private static void assertFailure(Failure expected, Executable action) {
    VerificationException e = assertThrows(VerificationException.class, action);
    assertEquals(expected, e.failure(), e.getMessage());
  }
}
