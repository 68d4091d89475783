package org.certifier.verifiers.dcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.verifiers.sevsnp.AmdRoots;
import org.certifier.verifiers.sevsnp.SnpProduct;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each real quote, changed in one place, is refused with the failure of the check that place
 * belongs to.
 */
class QuoteVerifierMutationTest {
  private final QuoteVerifier verifier = new QuoteVerifier(IntelRoots.embedded());

  @ParameterizedTest
  @EnumSource(DcapVectors.class)
  void aFlippedQuoteSignatureIsABadSignature(DcapVectors vector) throws Exception {
    QuoteBytes q = new QuoteBytes(vector.bytes());
    assertFails(Failure.BAD_SIGNATURE, DcapVectors.flip(q.bytes, q.signature() + 5), vector);
    assertFails(Failure.BAD_SIGNATURE, DcapVectors.flip(q.bytes, q.signature() + 63), vector);
  }

  @ParameterizedTest
  @EnumSource(DcapVectors.class)
  void aFlippedHeaderOrBodyByteIsABadSignature(DcapVectors vector) throws Exception {
    QuoteBytes q = new QuoteBytes(vector.bytes());
    int reportData = q.body() + (q.quote.body() instanceof TdReportBody ? 520 : 0x140);
    int measurement = q.body() + (q.quote.body() instanceof TdReportBody ? 136 : 0x40);
    assertFails(Failure.BAD_SIGNATURE, DcapVectors.flip(q.bytes, reportData), vector);
    assertFails(Failure.BAD_SIGNATURE, DcapVectors.flip(q.bytes, reportData + 63), vector);
    assertFails(Failure.BAD_SIGNATURE, DcapVectors.flip(q.bytes, measurement), vector);
    assertFails(Failure.BAD_SIGNATURE, DcapVectors.flip(q.bytes, 8), vector); // QE_SVN
    assertFails(Failure.BAD_SIGNATURE, DcapVectors.flip(q.bytes, 47), vector); // USER_DATA
  }

  @ParameterizedTest
  @EnumSource(DcapVectors.class)
  void aFlippedQeReportOrQeReportSignatureIsABadSignature(DcapVectors vector) throws Exception {
    QuoteBytes q = new QuoteBytes(vector.bytes());
    assertFails(Failure.BAD_SIGNATURE, DcapVectors.flip(q.bytes, q.qeReport() + 0x40), vector);
    assertFails(Failure.BAD_SIGNATURE, DcapVectors.flip(q.bytes, q.qeReport() + 0x102), vector);
    // REPORTDATA of the QE report: the PCK signature fails before the binding is looked at.
    assertFails(Failure.BAD_SIGNATURE, DcapVectors.flip(q.bytes, q.qeReport() + 0x140), vector);
    assertFails(Failure.BAD_SIGNATURE, DcapVectors.flip(q.bytes, q.qeReportSignature() + 1),
        vector);
  }

  @ParameterizedTest
  @EnumSource(DcapVectors.class)
  void aChangedAttestationKeyOrAuthDataIsNotBoundByTheQe(DcapVectors vector) throws Exception {
    QuoteBytes q = new QuoteBytes(vector.bytes());
    assertFails(Failure.REPORT_DATA_MISMATCH, DcapVectors.flip(q.bytes, q.attestationKey() + 3),
        vector);
    assertFails(Failure.REPORT_DATA_MISMATCH,
        DcapVectors.flip(q.bytes, q.attestationKey() + 63), vector);
    assertFails(Failure.REPORT_DATA_MISMATCH, DcapVectors.flip(q.bytes, q.qeAuthData()), vector);
  }

  @ParameterizedTest
  @EnumSource(DcapVectors.class)
  void theChainMustBeLeafIntermediateAndRoot(DcapVectors vector) throws Exception {
    QuoteBytes q = new QuoteBytes(vector.bytes());
    List<X509Certificate> chain = IntelCertificateChain.parsePem(
        q.quote.pckCertificationData().toByteArray());
    X509Certificate leaf = chain.get(0);
    X509Certificate ca = chain.get(1);
    X509Certificate root = chain.get(2);
    X509Certificate ark = AmdRoots.embedded().forProduct(SnpProduct.MILAN).ark();

    // The issuers may come in any order: the chain is built by names.
    verifier.verify(q.withPckCertificationData(pem(leaf, root, ca)), vector.time);
    assertFails(Failure.BAD_CERTIFICATE_CHAIN, q.withPckCertificationData(pem(ca, leaf, root)),
        vector);
    assertFails(Failure.BAD_CERTIFICATE_CHAIN, q.withPckCertificationData(pem(root, ca, leaf)),
        vector);
    assertFails(Failure.BAD_CERTIFICATE_CHAIN, q.withPckCertificationData(pem(leaf, ca)),
        vector);
    assertFails(Failure.BAD_CERTIFICATE_CHAIN, q.withPckCertificationData(pem(leaf, root)),
        vector);
    assertFails(Failure.BAD_CERTIFICATE_CHAIN, q.withPckCertificationData(pem(ca, root)),
        vector);
    assertFails(Failure.BAD_CERTIFICATE_CHAIN,
        q.withPckCertificationData(pem(leaf, ca, root, root)), vector);
    assertFails(Failure.BAD_CERTIFICATE_CHAIN, q.withPckCertificationData(pem(leaf, ca, ark)),
        vector);
    assertFails(Failure.BAD_CERTIFICATE_CHAIN, q.withPckCertificationData(pem(ca, root, root)),
        vector);
  }

  @ParameterizedTest
  @EnumSource(DcapVectors.class)
  void anotherTrustedRootIsAnUntrustedRoot(DcapVectors vector) throws Exception {
    X509Certificate ark = AmdRoots.embedded().forProduct(SnpProduct.MILAN).ark();
    QuoteVerifier elsewhere = new QuoteVerifier(IntelRoots.insecureForTesting(ark));
    VerificationException e = assertThrows(VerificationException.class,
        () -> elsewhere.verify(vector.bytes(), vector.time));
    assertEquals(Failure.UNTRUSTED_ROOT, e.failure());
  }

  @ParameterizedTest
  @EnumSource(DcapVectors.class)
  void thePckCertificateMustBeValidAtTheGivenTime(DcapVectors vector) throws Exception {
    byte[] quote = vector.bytes();
    X509Certificate leaf = verifier.verify(quote, vector.time).pckCertificate();
    Instant notBefore = leaf.getNotBefore().toInstant();
    Instant notAfter = leaf.getNotAfter().toInstant();
    verifier.verify(quote, notBefore);
    verifier.verify(quote, notAfter);
    assertThrowsAt(Failure.NOT_YET_VALID, quote, notBefore.minus(Duration.ofSeconds(1)));
    assertThrowsAt(Failure.EXPIRED, quote, notAfter.plus(Duration.ofSeconds(1)));
  }

  @ParameterizedTest
  @EnumSource(DcapVectors.class)
  void aQuoteCutAtAnyFieldBoundaryIsMalformed(DcapVectors vector) throws Exception {
    QuoteBytes q = new QuoteBytes(vector.bytes());
    for (int length : q.boundaries()) {
      for (int cut : new int[] {length - 1, length, length + 1}) {
        if (cut >= 0 && cut < q.end()) {
          assertFails(Failure.MALFORMED_EVIDENCE, Arrays.copyOf(q.bytes, cut), vector);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(DcapVectors.class)
  void unsupportedVersionsAndKeyTypesAreRefused(DcapVectors vector) throws Exception {
    QuoteBytes q = new QuoteBytes(vector.bytes());
    for (int version : new int[] {0, 1, 2, 6, 0xffff}) {
      assertFails(Failure.MALFORMED_EVIDENCE, q.withU16(0, version), vector);
    }
    for (int keyType : new int[] {0, 1, 3, 0xffff}) {
      assertFails(Failure.UNSUPPORTED_ALGORITHM, q.withU16(2, keyType), vector);
    }
    for (long teeType : new long[] {1, 0x80, 0x82, 0x81_00}) {
      assertFails(Failure.MALFORMED_EVIDENCE, q.withU32(4, teeType), vector);
    }
    if (q.quote.header().version() == 3) {
      assertFails(Failure.MALFORMED_EVIDENCE, q.withU32(4, 0x81), vector);
    }
  }

  @ParameterizedTest
  @EnumSource(value = DcapVectors.class, names = {"PHALA_V5", "GO_TDX_GUEST_V5"})
  void aVersion5BodyTypeMustFitItsSizeAndTheTeeType(DcapVectors vector) throws Exception {
    QuoteBytes q = new QuoteBytes(vector.bytes());
    assertFails(Failure.MALFORMED_EVIDENCE, q.withU16(48, 1), vector); // SGX body in a TDX quote
    assertFails(Failure.MALFORMED_EVIDENCE, q.withU16(48, 2), vector); // TDX 1.0 is 584 bytes
    assertFails(Failure.MALFORMED_EVIDENCE, q.withU16(48, 0), vector);
    assertFails(Failure.MALFORMED_EVIDENCE, q.withU16(48, 4), vector);
    assertFails(Failure.MALFORMED_EVIDENCE, q.withU32(50, 584), vector);
    assertFails(Failure.MALFORMED_EVIDENCE, q.withU32(50, 0xffff_ffffL), vector);
  }

  @ParameterizedTest
  @EnumSource(DcapVectors.class)
  void lengthsAndTypesInTheSignatureDataAreExact(DcapVectors vector) throws Exception {
    QuoteBytes q = new QuoteBytes(vector.bytes());
    int signatureData = q.end() - q.signature();
    assertFails(Failure.MALFORMED_EVIDENCE,
        q.withU32(q.signatureDataLength(), signatureData - 1), vector);
    assertFails(Failure.MALFORMED_EVIDENCE,
        q.withU32(q.signatureDataLength(), signatureData + 1), vector);
    assertFails(Failure.MALFORMED_EVIDENCE,
        q.withU32(q.signatureDataLength(), 0xffff_ffffL), vector);
    int authData = q.quote.qeAuthData().size();
    assertFails(Failure.MALFORMED_EVIDENCE, q.withU16(q.qeAuthDataLength(), authData + 1),
        vector);
    assertFails(Failure.MALFORMED_EVIDENCE, q.withU16(q.qeAuthDataLength(), authData - 1),
        vector);
    int pemSize = q.quote.pckCertificationData().size();
    assertFails(Failure.MALFORMED_EVIDENCE, q.withU32(q.pckCertificationData() + 2, pemSize - 1),
        vector);
    assertFails(Failure.MALFORMED_EVIDENCE, q.withU32(q.pckCertificationData() + 2, pemSize + 1),
        vector);
    // Types 1 to 4 carry a PPID instead of the chain: defined by Intel, not usable here.
    assertFails(Failure.UNSUPPORTED_EVIDENCE_TYPE, q.withU16(q.pckCertificationData(), 3),
        vector);
    assertFails(Failure.MALFORMED_EVIDENCE, q.withU16(q.pckCertificationData(), 99), vector);
    if (q.quote.header().version() > 3) {
      int outer = q.outerCertificationData();
      assertFails(Failure.UNSUPPORTED_EVIDENCE_TYPE, q.withU16(outer, 5), vector);
      assertFails(Failure.MALFORMED_EVIDENCE, q.withU16(outer, 0), vector);
      long outerSize = q.end() - outer - 6;
      assertFails(Failure.MALFORMED_EVIDENCE, q.withU32(outer + 2, outerSize - 1), vector);
      assertFails(Failure.MALFORMED_EVIDENCE, q.withU32(outer + 2, outerSize + 1), vector);
    }
  }

  @ParameterizedTest
  @EnumSource(DcapVectors.class)
  void onlyZeroPaddingMayFollowTheSignatureData(DcapVectors vector) throws Exception {
    byte[] quote = vector.bytes();
    verifier.verify(Arrays.copyOf(quote, quote.length + 100), vector.time);
    byte[] junk = Arrays.copyOf(quote, quote.length + 100);
    junk[junk.length - 1] = 1;
    assertFails(Failure.MALFORMED_EVIDENCE, junk, vector);
    QuoteBytes q = new QuoteBytes(quote);
    verifier.verify(Arrays.copyOf(quote, q.end()), vector.time);
  }

  @Test
  void goTdxGuestSampleWithItsExtraTextIsMalformed() throws Exception {
    byte[] stored = DcapVectors.goTdxGuestV4AsStored();
    VerificationException e = assertThrows(VerificationException.class,
        () -> verifier.verify(stored, DcapVectors.GO_TDX_GUEST_V4.time));
    assertEquals(Failure.MALFORMED_EVIDENCE, e.failure());
  }

  @ParameterizedTest
  @EnumSource(DcapVectors.class)
  void reservedBytesMustBeZero(DcapVectors vector) throws Exception {
    QuoteBytes q = new QuoteBytes(vector.bytes());
    for (int reserved : new int[] {0x14, 0x1f, 0x60, 0x7f, 0xa0, 0xbf, 0x106, 0x12f}) {
      assertFails(Failure.MALFORMED_EVIDENCE, DcapVectors.flip(q.bytes, q.qeReport() + reserved),
          vector);
      if (q.quote.body() instanceof EnclaveReportBody) {
        assertFails(Failure.MALFORMED_EVIDENCE, DcapVectors.flip(q.bytes, q.body() + reserved),
            vector);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(DcapVectors.class)
  void aQuoteOfAnotherQeVendorIsUnsupported(DcapVectors vector) throws Exception {
    assertFails(Failure.UNSUPPORTED_EVIDENCE_TYPE, DcapVectors.flip(vector.bytes(), 12), vector);
  }

  @ParameterizedTest
  @EnumSource(DcapVectors.class)
  void thePckCertificationDataMustBePemCertificatesOnly(DcapVectors vector) throws Exception {
    QuoteBytes q = new QuoteBytes(vector.bytes());
    String pem = q.quote.pckCertificationData().toString(StandardCharsets.ISO_8859_1)
        .replace("\0", "");
    verifier.verify(q.withPckCertificationData(ascii(pem)), vector.time);
    verifier.verify(q.withPckCertificationData(ascii("\r\n" + pem.replace("\n", "\r\n"))),
        vector.time);
    for (String bad : new String[] {pem + "junk", "junk" + pem, pem + "\0\0", "\0" + pem, "",
        pem.replace("-----END CERTIFICATE-----", "-----END CERTIFICATE----- x"),
        pem.replaceFirst("[A-Za-z0-9]\n", "*\n"),
        pem.replaceFirst("CERTIFICATE-----\n", "PUBLIC KEY-----\n")}) {
      assertFails(Failure.MALFORMED_EVIDENCE, q.withPckCertificationData(ascii(bad)), vector);
    }
  }

  private void assertFails(Failure expected, byte[] quote, DcapVectors vector) {
    assertThrowsAt(expected, quote, vector.time);
  }

  private void assertThrowsAt(Failure expected, byte[] quote, Instant at) {
    VerificationException e = assertThrows(VerificationException.class,
        () -> verifier.verify(quote, at));
    assertEquals(expected, e.failure(), e.getMessage());
  }

  private static byte[] pem(X509Certificate... certificates) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Base64.Encoder base64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
    for (X509Certificate c : certificates) {
      out.writeBytes(ascii("-----BEGIN CERTIFICATE-----\n"));
      out.writeBytes(base64.encode(c.getEncoded()));
      out.writeBytes(ascii("\n-----END CERTIFICATE-----\n"));
    }
    out.write(0);
    return out.toByteArray();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
