package org.certifier.verifiers.sevsnp;

import static org.certifier.verifiers.sevsnp.SnpLayout.*;
import static org.certifier.verifiers.sevsnp.SnpVerifierTest.assertFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import org.certifier.evidence.Failure;
import org.certifier.testing.amd.FakeAmdSp;
import org.certifier.testing.der.Der;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Verification paths no real vector reaches: Turin, version 5, VLEK, masked chip ids and
 * malformed AMD certificates, under a {@link FakeAmdSp}.
 */
class SnpVerifierFakeAmdTest {
  private static final TcbVersion MILAN_TCB = TcbVersion.milanGenoa(3, 0, 8, 115);
  private static final TcbVersion TURIN_TCB = TcbVersion.turin(1, 2, 3, 4, 9);

  private static FakeAmdSp milan;
  private static FakeAmdSp turin;
  private static KeyPair key;

  @BeforeAll
  static void createFakes() {
    milan = FakeAmdSp.milan();
    turin = FakeAmdSp.of(FakeAmdSp.Product.TURIN);
    key = milan.p384KeyPair("SnpVerifierFakeAmdTest");
  }

  @Test
  void turinVersionThreeReportWithAnEightByteHwId() throws Exception {
    byte[] vcek = turin.vcek(key.getPublic(), TURIN_TCB.raw(), chipId(8)).der();
    SnpVerifier verifier = new SnpVerifier(FakeAmdRoots.of(turin));

    SnpClaims claims = verifier.verify(
        sign(turinReport(3).put(CHIP_ID, padded(chipId(8)))), vcek, FakeAmdSp.TIME);

    assertEquals(SnpProduct.TURIN, claims.product());
    assertEquals(TURIN_TCB, claims.reportedTcb());
    assertEquals(ByteString.copyFrom(padded(chipId(8))), claims.chipId());
    // Only the first 8 bytes of CHIP_ID are the Turin hwID.
    verifier.verify(sign(turinReport(3).put(CHIP_ID, chipId(64))), vcek,
        FakeAmdSp.TIME);
    byte[] otherChip = sign(turinReport(3).put(CHIP_ID, padded(chipId(8)))
        .u8(CHIP_ID + 7, 0));
    assertFailure(Failure.TCB_MISMATCH, () -> verifier.verify(otherChip, vcek, FakeAmdSp.TIME));
  }

  @Test
  void versionFourReportHasTheLayoutOfVersionThree() throws Exception {
    byte[] vcek = turin.vcek(key.getPublic(), TURIN_TCB.raw(), chipId(8)).der();
    byte[] report = sign(turinReport(4).put(CHIP_ID, padded(chipId(8))));

    SnpClaims claims = new SnpVerifier(FakeAmdRoots.of(turin)).verify(report, vcek, FakeAmdSp.TIME);

    assertEquals(4, claims.version());
    // A field where version 5 has its mitigation vectors is reserved in version 4.
    byte[] withVector = sign(turinReport(4).put(CHIP_ID, padded(chipId(8)))
        .u64(LAUNCH_MIT_VECTOR, 3));
    assertFailure(Failure.MALFORMED_EVIDENCE,
        () -> new SnpVerifier(FakeAmdRoots.of(turin)).verify(withVector, vcek, FakeAmdSp.TIME));
  }

  @Test
  void versionFiveReport() throws Exception {
    byte[] vcek = turin.vcek(key.getPublic(), TURIN_TCB.raw(), chipId(8)).der();
    byte[] report = sign(turinReport(5).put(CHIP_ID, padded(chipId(8)))
        .u64(LAUNCH_MIT_VECTOR, 3).u64(CURRENT_MIT_VECTOR, 7));

    SnpClaims claims = new SnpVerifier(FakeAmdRoots.of(turin)).verify(report, vcek, FakeAmdSp.TIME);

    assertEquals(5, claims.version());
  }

  @Test
  void aTurinVcekDoesNotVouchForAMilanOrVersionTwoReport() throws Exception {
    // 0x09000000_00000000 reads as microcode 9 in either layout; only the product differs.
    TcbVersion tcb = TcbVersion.turin(0, 0, 0, 0, 9);
    byte[] vcek = turin.vcek(key.getPublic(), tcb.raw(), chipId(8)).der();
    SnpVerifier verifier = new SnpVerifier(FakeAmdRoots.of(turin));
    byte[] milanFamily = sign(milanReport().version(3, 0x19, 1, 1).allTcbs(tcb.raw())
        .put(CHIP_ID, padded(chipId(8))));
    // Version 2 carries no CPUID and is read in the Milan/Genoa layout (see SnpReport).
    byte[] versionTwo = sign(milanReport().allTcbs(tcb.raw()).put(CHIP_ID, padded(chipId(8))));

    assertFailure(Failure.TCB_MISMATCH, () -> verifier.verify(milanFamily, vcek, FakeAmdSp.TIME));
    assertFailure(Failure.TCB_MISMATCH, () -> verifier.verify(versionTwo, vcek, FakeAmdSp.TIME));
  }

  @Test
  void vlekSignedReport() throws Exception {
    byte[] vlek = milan.vlek(key.getPublic(), MILAN_TCB.raw()).der();
    // A VLEK-signed report carries no CHIP_ID.
    byte[] report = sign(milanReport().put(CHIP_ID, new byte[CHIP_ID_SIZE])
        .u32(KEY_INFO, 1 << 2));

    SnpClaims claims = new SnpVerifier(FakeAmdRoots.of(milan)).verify(report, vlek, FakeAmdSp.TIME);

    assertEquals(SigningKey.VLEK, claims.signingKey());
    assertFailure(Failure.UNTRUSTED_SIGNER, () -> SnpExpectations.builder().build()
        .check(claims));
    SnpExpectations.builder().allowVlek().build().check(claims);
    // The VLEK must come from the ASVK, not the ASK.
    assertFailure(Failure.BAD_CERTIFICATE_CHAIN, () -> new SnpVerifier(FakeAmdRoots.of(milan))
        .verify(report, vlek, milan.askDer(), FakeAmdSp.TIME));
  }

  @Test
  void aVlekWithAHwIdIsMalformed() throws Exception {
    byte[] vlek = milan.vlek(key.getPublic(), MILAN_TCB.raw())
        .extension("1.3.6.1.4.1.3704.1.4", false, chipId(64)).der();
    byte[] report = sign(milanReport().u32(KEY_INFO, 1 << 2));
    assertFailure(Failure.MALFORMED_EVIDENCE,
        () -> new SnpVerifier(FakeAmdRoots.of(milan)).verify(report, vlek, FakeAmdSp.TIME));
  }

  @Test
  void maskedChipIdIsAcceptedWithoutComparison() throws Exception {
    byte[] vcek = milan.vcek(key.getPublic(), MILAN_TCB.raw(), chipId(64)).der();
    byte[] report = sign(milanReport().put(CHIP_ID, new byte[CHIP_ID_SIZE])
        .u32(KEY_INFO, 2));

    SnpClaims claims = new SnpVerifier(FakeAmdRoots.of(milan)).verify(report, vcek, FakeAmdSp.TIME);

    assertEquals(ByteString.copyFrom(new byte[64]), claims.chipId());
  }

  @Test
  void certificatesSignedWithOtherPssParametersAreUnsupported() throws Exception {
    byte[] vcek = milan.vcek(key.getPublic(), MILAN_TCB.raw(), chipId(64))
        .pss(new PSSParameterSpec("SHA-384", "MGF1", MGF1ParameterSpec.SHA384, 32, 1)).der();
    byte[] sha256 = milan.vcek(key.getPublic(), MILAN_TCB.raw(), chipId(64))
        .pss(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 48, 1)).der();
    byte[] report = sign(milanReport());

    assertFailure(Failure.UNSUPPORTED_ALGORITHM,
        () -> new SnpVerifier(FakeAmdRoots.of(milan)).verify(report, vcek, FakeAmdSp.TIME));
    assertFailure(Failure.UNSUPPORTED_ALGORITHM,
        () -> new SnpVerifier(FakeAmdRoots.of(milan)).verify(report, sha256, FakeAmdSp.TIME));
  }

  @Test
  void anUnknownCriticalExtensionBreaksTheChain() throws Exception {
    byte[] vcek = milan.vcek(key.getPublic(), MILAN_TCB.raw(), chipId(64))
        .extension("1.2.3.4", true, new byte[] {5, 0}).der();
    assertFailure(Failure.BAD_CERTIFICATE_CHAIN,
        () -> verifyMilan(sign(milanReport()), vcek));
  }

  @Test
  void anUnknownProductIsUnsupported() throws Exception {
    byte[] vcek = milan.certificate("SEV-VCEK", "SEV-Milan", key.getPublic(),
        milan.askKey()).kdsExtensions("Venice-A0", MILAN_TCB.raw())
        .extension("1.3.6.1.4.1.3704.1.4", false, chipId(64)).der();
    assertFailure(Failure.UNSUPPORTED_EVIDENCE_TYPE,
        () -> verifyMilan(sign(milanReport()), vcek));
  }

  @Test
  void malformedKdsExtensionsAreMalformedEvidence() throws Exception {
    byte[] report = sign(milanReport());
    // A Turin-sized hwID on a Milan VCEK.
    assertMalformed(milan.vcek(key.getPublic(), MILAN_TCB.raw(), Arrays.copyOf(chipId(64), 8))
        .der(), report);
    // No hwID at all.
    assertMalformed(milan.certificate("SEV-VCEK", "SEV-Milan", key.getPublic(),
        milan.askKey()).kdsExtensions("Milan-B0", MILAN_TCB.raw()).der(), report);
    // An FMC SPL, which Milan has no place for.
    assertMalformed(milan.vcek(key.getPublic(), MILAN_TCB.raw(), chipId(64)).spl("3.9", 0).der(),
        report);
    // A non-zero reserved SPL.
    assertMalformed(milan.vcek(key.getPublic(), MILAN_TCB.raw(), chipId(64)).spl("3.5", 1).der(),
        report);
    // A negative SPL, and one that is not minimally encoded.
    assertMalformed(milan.vcek(key.getPublic(), MILAN_TCB.raw(), chipId(64)).extension(
        "1.3.6.1.4.1.3704.1.3.4", false, Der.integer(BigInteger.valueOf(-1))).der(), report);
    assertMalformed(milan.vcek(key.getPublic(), MILAN_TCB.raw(), chipId(64)).extension(
        "1.3.6.1.4.1.3704.1.3.4", false, Der.tlv(0x02, new byte[] {0, 0})).der(), report);
    // A missing microcode SPL.
    assertMalformed(milan.certificate("SEV-VCEK", "SEV-Milan", key.getPublic(),
        milan.askKey()).spl("3.1", 3).spl("3.2", 0).spl("3.3", 8)
        .extension("1.3.6.1.4.1.3704.1.2", false,
            Der.tlv(0x16, "Milan".getBytes(StandardCharsets.US_ASCII)))
        .extension("1.3.6.1.4.1.3704.1.4", false, chipId(64)).der(), report);
  }

  @Test
  void aVcekWithoutAP384KeyIsUnsupported() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    byte[] vcek = milan.vcek(generator.generateKeyPair().getPublic(), MILAN_TCB.raw(),
        chipId(64)).der();
    assertFailure(Failure.UNSUPPORTED_ALGORITHM,
        () -> verifyMilan(sign(milanReport()), vcek));
  }

  @Test
  void theFakeChainVerifiesAsItIs() throws Exception {
    byte[] vcek = milan.vcek(key.getPublic(), MILAN_TCB.raw(), chipId(64)).der();
    SnpClaims claims = new SnpVerifier(FakeAmdRoots.of(milan)).verify(sign(milanReport()), vcek,
        FakeAmdSp.TIME);
    assertEquals(MILAN_TCB, claims.reportedTcb());
    // The real roots do not trust the fake.
    assertFailure(Failure.BAD_CERTIFICATE_CHAIN, () -> new SnpVerifier(AmdRoots.embedded())
        .verify(sign(milanReport()), vcek, FakeAmdSp.TIME));
  }

  private static SnpClaims verifyMilan(byte[] report, byte[] vcek) throws Exception {
    return new SnpVerifier(FakeAmdRoots.of(milan)).verify(report, vcek, FakeAmdSp.TIME);
  }

  private static void assertMalformed(byte[] vcek, byte[] report) {
    assertFailure(Failure.MALFORMED_EVIDENCE,
        () -> verifyMilan(report, vcek));
  }

  /** A version 2 Milan report of the fake chip at {@link #MILAN_TCB}, unsigned. */
  private static ReportBytes milanReport() {
    return ReportBytes.of(SnpReportTest.minimalReport()).allTcbs(MILAN_TCB.raw())
        .put(CHIP_ID, chipId(64));
  }

  private static ReportBytes turinReport(int version) {
    return ReportBytes.of(SnpReportTest.minimalReport()).version(version, 0x1A, 0x02, 0x01)
        .allTcbs(TURIN_TCB.raw());
  }

  private static byte[] sign(ReportBytes report) throws Exception {
    return FakeAmdSp.sign(report.bytes(), key.getPrivate());
  }

  private static byte[] chipId(int length) {
    byte[] id = new byte[length];
    for (int i = 0; i < length; i++) {
      id[i] = (byte) (0xA0 + i);
    }
    return id;
  }

  private static byte[] padded(byte[] id) {
    return Arrays.copyOf(id, CHIP_ID_SIZE);
  }
}
