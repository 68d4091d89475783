package org.certifier.verifiers.sevsnp;

import static org.certifier.verifiers.sevsnp.SnpLayout.*;
import static org.certifier.verifiers.sevsnp.SnpVectors.MILAN_TIME;
import static org.certifier.verifiers.sevsnp.SnpVectors.flip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.testing.amd.FakeAmdSp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Mutations of the real Milan vectors, each named after the failure it must produce. */
class SnpVerifierTest {
  private final SnpVerifier verifier = new SnpVerifier(AmdRoots.embedded());
  private final byte[] report = SnpVectors.goSevGuestReport();
  private final byte[] vcek = SnpVectors.goSevGuestVcek();

  @Test
  void badSignatureWhenASignatureByteFlips() {
    assertFailure(Failure.BAD_SIGNATURE, verify(flip(report, SIGNATURE_R)));
    assertFailure(Failure.BAD_SIGNATURE, verify(flip(report, SIGNATURE_S + 20)));
  }

  @Test
  void badSignatureWhenASignatureComponentExceedsP384() {
    // Byte 48 of a little-endian component is bit 384: no P-384 signature has it.
    assertFailure(Failure.BAD_SIGNATURE, verify(flip(report, SIGNATURE_R + 48)));
    assertFailure(Failure.BAD_SIGNATURE, verify(flip(report, SIGNATURE_S + 71)));
  }

  @Test
  void badSignatureWhenASignedByteFlips() {
    assertFailure(Failure.BAD_SIGNATURE, verify(flip(report, MEASUREMENT + 7)));
    assertFailure(Failure.BAD_SIGNATURE, verify(flip(report, REPORT_DATA)));
    assertFailure(Failure.BAD_SIGNATURE, verify(flip(report, HOST_DATA + 31)));
    assertFailure(Failure.BAD_SIGNATURE, verify(flip(report, GUEST_SVN)));
  }

  @Test
  void badSignatureWhenTheDebugBitIsSetInACopy() {
    byte[] debuggable = ReportBytes.of(SnpVectors.virteeReport())
        .u64(POLICY, 0x30000 | 1L << 19).bytes();
    assertFailure(Failure.BAD_SIGNATURE,
        () -> verifier.verify(debuggable, SnpVectors.virteeVcek(), MILAN_TIME));
  }

  @Test
  void tcbMismatchWhenAnotherChipsVcekIsPresented() {
    // Vector 2's report with vector 1's VCEK: another chip at another TCB.
    assertFailure(Failure.TCB_MISMATCH,
        () -> verifier.verify(SnpVectors.virteeReport(), vcek, MILAN_TIME));
    assertFailure(Failure.TCB_MISMATCH,
        () -> verifier.verify(report, SnpVectors.virteeVcek(), MILAN_TIME));
  }

  @Test
  void badSignatureWhenAnotherChipsReportClaimsThisChipsIdentity() {
    // Vector 2's report made to name vector 1's chip and TCB: only the signature is left.
    byte[] forged = ReportBytes.of(SnpVectors.virteeReport())
        .copy(report, CHIP_ID, CHIP_ID_SIZE).allTcbs(0x4405000000000002L).bytes();
    assertFailure(Failure.BAD_SIGNATURE, () -> verifier.verify(forged, vcek, MILAN_TIME));
  }

  @Test
  void tcbMismatchWhenTheChipIdIsSwapped() {
    byte[] swapped = ReportBytes.of(report).copy(SnpVectors.virteeReport(), CHIP_ID,
        CHIP_ID_SIZE).bytes();
    assertFailure(Failure.TCB_MISMATCH, verify(swapped));
  }

  @Test
  void tcbMismatchWhenTheReportedTcbIsRaised() {
    byte[] raised = ReportBytes.of(report).u64(REPORTED_TCB, 0x7305000000000002L).bytes();
    assertFailure(Failure.TCB_MISMATCH, verify(raised));
  }

  @Test
  void badCertificateChainWhenTheAskIsAnotherProducts() throws Exception {
    byte[] genoaAsk = AmdRoots.embedded().forProduct(SnpProduct.GENOA).ask().getEncoded();
    byte[] milanAsvk = AmdRoots.embedded().forProduct(SnpProduct.MILAN).asvk().getEncoded();

    assertFailure(Failure.BAD_CERTIFICATE_CHAIN,
        () -> verifier.verify(report, vcek, genoaAsk, MILAN_TIME));
    assertFailure(Failure.BAD_CERTIFICATE_CHAIN,
        () -> verifier.verify(report, vcek, milanAsvk, MILAN_TIME));
  }

  @Test
  void badCertificateChainWhenTheAskIsNotSignedByTheArk() throws Exception {
    X509Certificate ask = AmdRoots.embedded().forProduct(SnpProduct.MILAN).ask();
    byte[] tampered = ask.getEncoded();
    tampered[tampered.length - 10] ^= 1; // in the signature value
    assertFailure(Failure.BAD_CERTIFICATE_CHAIN,
        () -> verifier.verify(report, vcek, tampered, MILAN_TIME));
  }

  @Test
  void badCertificateChainUnderASelfMadeRoot() throws Exception {
    AmdRoots.ProductRoots real = AmdRoots.embedded().forProduct(SnpProduct.MILAN);
    // A well-formed, self-signed "ARK-Milan" with a key of our own.
    X509Certificate selfMade = FakeAmdSp.milan().ark();
    SnpVerifier fooled = new SnpVerifier(AmdRoots.insecureForTesting(List.of(
        new AmdRoots.ProductRoots(SnpProduct.MILAN, selfMade, real.ask(), real.asvk()))));

    assertFailure(Failure.BAD_CERTIFICATE_CHAIN,
        () -> fooled.verify(report, vcek, MILAN_TIME));
  }

  @Test
  void badCertificateChainWhenAnotherProductsArkIsTrustedForMilan() throws Exception {
    AmdRoots.ProductRoots milan = AmdRoots.embedded().forProduct(SnpProduct.MILAN);
    X509Certificate genoaArk = AmdRoots.embedded().forProduct(SnpProduct.GENOA).ark();
    SnpVerifier wrong = new SnpVerifier(AmdRoots.insecureForTesting(List.of(
        new AmdRoots.ProductRoots(SnpProduct.MILAN, genoaArk, milan.ask(), milan.asvk()))));

    assertFailure(Failure.BAD_CERTIFICATE_CHAIN, () -> wrong.verify(report, vcek, MILAN_TIME));
  }

  @Test
  void badCertificateChainWhenTheArkDoesNotSignItself() throws Exception {
    AmdRoots.ProductRoots milan = AmdRoots.embedded().forProduct(SnpProduct.MILAN);
    byte[] arkDer = milan.ark().getEncoded();
    arkDer[arkDer.length - 1] ^= 1;
    X509Certificate broken = org.certifier.crypto.Certificates.parseDer(arkDer);
    SnpVerifier wrong = new SnpVerifier(AmdRoots.insecureForTesting(List.of(
        new AmdRoots.ProductRoots(SnpProduct.MILAN, broken, milan.ask(), milan.asvk()))));

    assertFailure(Failure.BAD_CERTIFICATE_CHAIN, () -> wrong.verify(report, vcek, MILAN_TIME));
  }

  @Test
  void badCertificateChainWhenTheLeafIsNotAnEndorsementKey() throws Exception {
    byte[] ask = AmdRoots.embedded().forProduct(SnpProduct.MILAN).ask().getEncoded();
    assertFailure(Failure.BAD_CERTIFICATE_CHAIN,
        () -> verifier.verify(report, ask, MILAN_TIME));
  }

  @Test
  void badCertificateChainWhenTheReportNamesTheVlek() {
    // SIGNING_KEY = 1 (VLEK) while a VCEK certificate comes along.
    assertFailure(Failure.BAD_CERTIFICATE_CHAIN,
        verify(ReportBytes.of(report).u32(KEY_INFO, 1 << 2).bytes()));
  }

  @Test
  void badSignatureWhenTheReportSaysItIsUnsigned() {
    assertFailure(Failure.BAD_SIGNATURE, verify(ReportBytes.of(report).u32(KEY_INFO, 7 << 2)
        .bytes()));
  }

  @Test
  void expiredAfterTheVcekExpires() {
    // VCEK 1 is valid until 2029-09-24T00:55:28Z; the ASK and ARK until 2045.
    assertFailure(Failure.EXPIRED, () -> verifier.verify(report, vcek,
        Instant.parse("2029-09-24T00:55:29Z")));
    assertFailure(Failure.EXPIRED, () -> verifier.verify(report, vcek,
        Instant.parse("2046-01-01T00:00:00Z")));
  }

  @Test
  void notYetValidBeforeTheVcekIsIssued() {
    assertFailure(Failure.NOT_YET_VALID, () -> verifier.verify(report, vcek,
        Instant.parse("2022-09-24T00:55:27Z")));
  }

  @Test
  void validAtTheEdgesOfTheVceksValidity() throws Exception {
    verifier.verify(report, vcek, Instant.parse("2022-09-24T00:55:28Z"));
    verifier.verify(report, vcek, Instant.parse("2029-09-24T00:55:28Z"));
  }

  @Test
  void malformedEvidenceForBrokenReportsAndCertificates() {
    assertFailure(Failure.MALFORMED_EVIDENCE, verify(Arrays.copyOf(report, REPORT_SIZE - 1)));
    assertFailure(Failure.MALFORMED_EVIDENCE, verify(Arrays.copyOf(report, REPORT_SIZE + 1)));
    assertFailure(Failure.MALFORMED_EVIDENCE, verify(ReportBytes.of(report).u32(VERSION, 6)
        .bytes()));
    assertFailure(Failure.MALFORMED_EVIDENCE, verify(ReportBytes.of(report).u32(VERSION, 1)
        .bytes()));
    assertFailure(Failure.MALFORMED_EVIDENCE,
        () -> verifier.verify(report, Arrays.copyOf(vcek, vcek.length - 1), MILAN_TIME));
    assertFailure(Failure.MALFORMED_EVIDENCE,
        () -> verifier.verify(report, new byte[0], MILAN_TIME));
    assertFailure(Failure.MALFORMED_EVIDENCE,
        () -> verifier.verify(report, vcek, new byte[] {0x30, 0x00}, MILAN_TIME));
  }

  @Test
  void unsupportedAlgorithmForAnotherSignatureAlgo() {
    assertFailure(Failure.UNSUPPORTED_ALGORITHM,
        verify(ReportBytes.of(report).u32(SIGNATURE_ALGO, 2).bytes()));
    assertFailure(Failure.UNSUPPORTED_ALGORITHM,
        verify(ReportBytes.of(report).u32(SIGNATURE_ALGO, 0).bytes()));
  }

  @Test
  void aVersionThreeCopyKeepsItsLayoutButLosesItsSignature() {
    byte[] v3 = ReportBytes.of(report).version(3, 0x19, 0x01, 0x00).bytes();
    assertFailure(Failure.BAD_SIGNATURE, verify(v3));
    // Claiming to be a Turin makes the Milan VCEK the wrong one.
    byte[] turin = ReportBytes.of(report).version(3, 0x1A, 0x02, 0x00).allTcbs(0).bytes();
    assertFailure(Failure.TCB_MISMATCH, verify(turin));
  }

  private Executable verify(byte[] reportBytes) {
    return () -> verifier.verify(reportBytes, vcek, MILAN_TIME);
  }

  static void assertFailure(Failure expected, Executable action) {
    VerificationException e = assertThrows(VerificationException.class, action);
    assertEquals(expected, e.failure(), e.getMessage());
  }
}
