package org.certifier.verifiers.sevsnp;

import static org.certifier.verifiers.sevsnp.SnpLayout.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Layout of ATTESTATION_REPORT versions 2, 3 and 5, and what the parser refuses. */
class SnpReportTest {
  /** The smallest well-formed report: version 2, policy 0x30000, ECDSA, all else zero. */
  static byte[] minimalReport() {
    byte[] report = new byte[REPORT_SIZE];
    return ReportBytes.of(report).u32(VERSION, 2).u64(POLICY, 0x30000)
        .u32(SIGNATURE_ALGO, 1).bytes();
  }

  @Test
  void readsEveryFieldOfARealReport() throws Exception {
    byte[] raw = SnpVectors.goSevGuestReport();
    SnpReport report = SnpReport.parse(raw);

    assertEquals(2, report.version());
    assertEquals(1, report.signatureAlgo());
    assertEquals(SigningKey.VCEK, report.signingKey());
    assertEquals(Optional.empty(), report.cpuid());
    assertEquals(OptionalLong.empty(), report.launchMitVector());
    assertEquals(OptionalLong.empty(), report.currentMitVector());
    assertEquals(ByteString.copyFrom(raw, 0, 0x2A0), report.signedBytes());
    assertEquals(littleEndian(raw, 0x2A0, 72), report.signatureR());
    assertEquals(littleEndian(raw, 0x2E8, 72), report.signatureS());
    assertTrue(report.signatureR().bitLength() <= 384);
    assertTrue(report.signatureS().bitLength() <= 384);
  }

  @Test
  void theReportDoesNotChangeWhenItsInputDoes() throws Exception {
    byte[] raw = minimalReport();
    SnpReport report = SnpReport.parse(raw);
    Arrays.fill(raw, MEASUREMENT, MEASUREMENT + MEASUREMENT_SIZE, (byte) 0x55);

    assertEquals(ByteString.copyFrom(new byte[48]), report.measurement());
    assertEquals(SnpReport.parse(minimalReport()), report);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 0x2A0, REPORT_SIZE - 1, REPORT_SIZE + 1, 2 * REPORT_SIZE})
  void onlyTheExactLengthIsAReport(int length) {
    byte[] bytes = Arrays.copyOf(minimalReport(), length);
    assertMalformed(bytes);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 6, 7, 0x100_0002, -1})
  void versionsOtherThanTwoToFiveAreRefused(int version) {
    assertMalformed(ReportBytes.of(minimalReport()).version(version, 0x19, 1, 1).bytes());
  }

  @Test
  void versionThreeAddsTheCpuidAndTakesTheTcbLayoutFromTheFamily() throws Exception {
    byte[] milan = ReportBytes.of(minimalReport()).version(3, 0x19, 0x01, 0x01)
        .allTcbs(0x7308000000000003L).bytes();
    byte[] turin = ReportBytes.of(minimalReport()).version(3, 0x1A, 0x02, 0x00)
        .allTcbs(0x0900000004030201L).bytes();

    SnpReport fromMilan = SnpReport.parse(milan);
    SnpReport fromTurin = SnpReport.parse(turin);

    assertEquals(Optional.of(new SnpReport.Cpuid(0x19, 1, 1)), fromMilan.cpuid());
    assertEquals(TcbVersion.milanGenoa(3, 0, 8, 115), fromMilan.reportedTcb());
    assertEquals(Optional.of(new SnpReport.Cpuid(0x1A, 2, 0)), fromTurin.cpuid());
    TcbVersion turinTcb = TcbVersion.turin(1, 2, 3, 4, 9);
    assertEquals(turinTcb, fromTurin.currentTcb());
    assertEquals(turinTcb, fromTurin.reportedTcb());
    assertEquals(turinTcb, fromTurin.committedTcb());
    assertEquals(turinTcb, fromTurin.launchTcb());
  }

  @Test
  void aMilanTcbIsNotATurinTcb() {
    // Milan's SNP SPL sits in byte 6, which Turin reserves.
    assertMalformed(ReportBytes.of(minimalReport()).version(3, 0x1A, 2, 0)
        .allTcbs(0x7308000000000003L).bytes());
  }

  @Test
  void anUnknownCpuidFamilyIsRefused() {
    assertMalformed(ReportBytes.of(minimalReport()).version(3, 0x17, 0x31, 0).bytes());
  }

  @Test
  void versionFiveAddsTheMitigationVectors() throws Exception {
    byte[] bytes = ReportBytes.of(minimalReport()).version(5, 0x1A, 0x02, 0x01)
        .u64(LAUNCH_MIT_VECTOR, 0x5).u64(CURRENT_MIT_VECTOR, 0x7).bytes();

    SnpReport report = SnpReport.parse(bytes);

    assertEquals(OptionalLong.of(5), report.launchMitVector());
    assertEquals(OptionalLong.of(7), report.currentMitVector());
  }

  @Test
  void reservedBytesMustBeZero() throws Exception {
    // Reserved in every version.
    for (int offset : new int[] {RESERVED_1, 0x19F, RESERVED_3, RESERVED_4, 0x208, 0x29F}) {
      assertMalformed(ReportBytes.of(minimalReport()).u8(offset, 1).bytes());
      assertMalformed(ReportBytes.of(minimalReport()).version(5, 0x19, 1, 1).u8(offset, 1)
          .bytes());
    }
    // The CPUID bytes are reserved in version 2 only.
    assertMalformed(ReportBytes.of(minimalReport()).u8(CPUID_FAM_ID, 0x19).bytes());
    // The mitigation vectors are reserved before version 5.
    assertMalformed(ReportBytes.of(minimalReport()).u8(LAUNCH_MIT_VECTOR, 1).bytes());
    assertMalformed(ReportBytes.of(minimalReport()).version(3, 0x19, 1, 1)
        .u8(CURRENT_MIT_VECTOR, 1).bytes());
    // A reserved byte of a Milan TCB_VERSION.
    assertMalformed(ReportBytes.of(minimalReport()).u8(REPORTED_TCB + 2, 1).bytes());
  }

  @Test
  void unsignedBytesAfterAnEcdsaSignatureMustBeZero() throws Exception {
    assertMalformed(ReportBytes.of(minimalReport()).u8(SIGNATURE_RESERVED, 1).bytes());
    assertMalformed(ReportBytes.of(minimalReport()).u8(REPORT_SIZE - 1, 1).bytes());
    // For an algorithm the ABI does not define, the layout of the signature area is unknown;
    // the verifier refuses such reports.
    SnpReport unknownAlgorithm = SnpReport.parse(ReportBytes.of(minimalReport())
        .u32(SIGNATURE_ALGO, 2).u8(REPORT_SIZE - 1, 1).bytes());
    assertEquals(2, unknownAlgorithm.signatureAlgo());
  }

  @Test
  void keyInformationIsDecoded() throws Exception {
    SnpReport vlek = SnpReport.parse(ReportBytes.of(minimalReport())
        .u32(KEY_INFO, 1 << 2 | 1).bytes());
    SnpReport unsigned = SnpReport.parse(ReportBytes.of(minimalReport())
        .u32(KEY_INFO, 7 << 2).bytes());
    SnpReport masked = SnpReport.parse(ReportBytes.of(minimalReport())
        .u32(KEY_INFO, 2).bytes());

    assertEquals(SigningKey.VLEK, vlek.signingKey());
    assertTrue(vlek.authorKeyEn());
    assertEquals(SigningKey.NONE, unsigned.signingKey());
    assertTrue(masked.maskChipKey());
    assertFalse(masked.authorKeyEn());
  }

  @ParameterizedTest
  @ValueSource(ints = {2 << 2, 3 << 2, 4 << 2, 5 << 2, 6 << 2, 1 << 5, 1 << 31})
  void reservedKeyInformationIsRefused(int keyInfo) {
    assertMalformed(ReportBytes.of(minimalReport()).u32(KEY_INFO, keyInfo).bytes());
  }

  @Test
  void aMaskedChipIdMustBeZero() {
    assertMalformed(ReportBytes.of(minimalReport()).u32(KEY_INFO, 2).u8(CHIP_ID + 63, 1)
        .bytes());
  }

  @Test
  void aPolicyNoFirmwareIssuesIsRefused() {
    assertMalformed(ReportBytes.of(minimalReport()).u64(POLICY, 0x10000).bytes());
    assertMalformed(ReportBytes.of(minimalReport()).u64(POLICY, 0x30000 | 1L << 26).bytes());
    assertMalformed(ReportBytes.of(minimalReport()).u64(POLICY, 0x30000 | 1L << 63).bytes());
  }

  @Test
  void theRecordRefusesFieldsOfTheWrongSize() throws Exception {
    SnpReport r = SnpReport.parse(minimalReport());
    assertThrows(IllegalArgumentException.class, () -> new SnpReport(r.version(), r.guestSvn(),
        r.policy(), r.familyId(), r.imageId(), r.vmpl(), r.signatureAlgo(), r.currentTcb(),
        r.platformInfo(), r.authorKeyEn(), r.maskChipKey(), r.signingKey(),
        r.reportData().substring(1), r.measurement(), r.hostData(), r.idKeyDigest(),
        r.authorKeyDigest(), r.reportId(), r.reportIdMa(), r.reportedTcb(), r.cpuid(),
        r.chipId(), r.committedTcb(), r.currentVersion(), r.committedVersion(), r.launchTcb(),
        r.launchMitVector(), r.currentMitVector(), r.signatureR(), r.signatureS(),
        r.signedBytes()));
  }

  private static BigInteger littleEndian(byte[] bytes, int offset, int length) {
    byte[] bigEndian = new byte[length];
    for (int i = 0; i < length; i++) {
      bigEndian[i] = bytes[offset + length - 1 - i];
    }
    return new BigInteger(1, bigEndian);
  }

  private static void assertMalformed(byte[] bytes) {
    VerificationException e = assertThrows(VerificationException.class,
        () -> SnpReport.parse(bytes));
    assertEquals(Failure.MALFORMED_EVIDENCE, e.failure(), e.getMessage());
  }
}
