package org.certifier.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.certifier.testing.TestVectors;
import org.junit.jupiter.api.Test;

class CertificatesDerOrPemTest {
  @Test
  void theReferencePolicyCertificateReadsTheSameInBothEncodings() throws Exception {
    assertEquals(
        Certificates.parseDerOrPem(TestVectors.reference("provisioning/policy_cert_file.datica-test")),
        Certificates.parseDerOrPem(TestVectors.reference("provisioning/policy_cert.pem")));
  }

  @Test
  void garbageAndEmptyPemAreRefused() {
    assertThrows(CryptoException.class, () -> Certificates.parseDerOrPem(new byte[] {1, 2, 3}));
    assertThrows(CryptoException.class, () -> Certificates.parseDerOrPem(
        "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n".getBytes(
            java.nio.charset.StandardCharsets.US_ASCII)));
  }
}
