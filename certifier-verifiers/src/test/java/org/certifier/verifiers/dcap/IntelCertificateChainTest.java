package org.certifier.verifiers.dcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import org.certifier.crypto.Certificates;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.testing.TestVectors;
import org.certifier.verifiers.sevsnp.AmdRoots;
import org.certifier.verifiers.sevsnp.SnpProduct;
import org.junit.jupiter.api.Test;

/** The embedded root and the chain rules, on Intel's real certificates. */
class IntelCertificateChainTest {
  private static final DcapVectors VECTOR = DcapVectors.PHALA_V4;

  @Test
  void theEmbeddedRootIsTheOneInTheVectors() throws Exception {
    X509Certificate root = IntelRoots.embedded().root();
    assertEquals(Certificates.parseDer(TestVectors.bytes("intel-sgx/Intel_SGX_RootCA.der")),
        root);
    assertEquals(Certificates.parsePem(new String(
        TestVectors.bytes("intel-tdx/Intel_SGX_RootCA.pem"), StandardCharsets.US_ASCII)).get(0),
        root);
    assertSame(IntelRoots.embedded(), IntelRoots.embedded());
  }

  @Test
  void aTestRootIsTrustedAsGiven() throws Exception {
    X509Certificate ark = AmdRoots.embedded().forProduct(SnpProduct.MILAN).ark();
    assertEquals(ark, IntelRoots.insecureForTesting(ark).root());
  }

  @Test
  void theChainComesBackLeafFirst() throws Exception {
    List<X509Certificate> chain = chain();
    assertEquals(chain, IntelCertificateChain.verify(
        List.of(chain.get(0), chain.get(2), chain.get(1)), IntelRoots.embedded(), VECTOR.time));
  }

  @Test
  void aCertificateAuthorityIsNoLeaf() throws Exception {
    List<X509Certificate> chain = chain();
    assertFails(Failure.BAD_CERTIFICATE_CHAIN, List.of(chain.get(1), chain.get(2)));
    assertFails(Failure.BAD_CERTIFICATE_CHAIN, List.of(chain.get(2)));
    assertFails(Failure.BAD_CERTIFICATE_CHAIN, List.of());
  }

  @Test
  void aChainToAnotherRootIsUntrusted() throws Exception {
    X509Certificate ark = AmdRoots.embedded().forProduct(SnpProduct.MILAN).ark();
    VerificationException e = assertThrows(VerificationException.class,
        () -> IntelCertificateChain.verify(List.of(ark), IntelRoots.embedded(), VECTOR.time));
    assertEquals(Failure.UNTRUSTED_ROOT, e.failure());
  }

  @Test
  void pemChainsAreStrict() throws Exception {
    byte[] pem = new QuoteBytes(VECTOR.bytes()).quote.pckCertificationData().toByteArray();
    assertEquals(3, IntelCertificateChain.parsePem(pem).size());
    for (String bad : new String[] {"", "\0", " \n", "-----BEGIN CERTIFICATE-----\n",
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"}) {
      VerificationException e = assertThrows(VerificationException.class,
          () -> IntelCertificateChain.parsePem(bad.getBytes(StandardCharsets.US_ASCII)));
      assertEquals(Failure.MALFORMED_EVIDENCE, e.failure());
    }
  }

  private static List<X509Certificate> chain() throws Exception {
    return IntelCertificateChain.parsePem(
        new QuoteBytes(VECTOR.bytes()).quote.pckCertificationData().toByteArray());
  }

  private static void assertFails(Failure expected, List<X509Certificate> chain) {
    VerificationException e = assertThrows(VerificationException.class,
        () -> IntelCertificateChain.verify(chain, IntelRoots.embedded(), VECTOR.time));
    assertEquals(expected, e.failure(), e.getMessage());
  }
}
