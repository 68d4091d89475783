package org.certifier.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.certifier.testing.TestVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Certificate reading on the reference's admission and policy certificates, and bad input. */
class CertificatesTest {
  private static byte[] admissionDer() {
    return TestVectors.reference("wire/admission_cert.der");
  }

  private static byte[] policyDer() {
    return TestVectors.reference("provisioning/policy_cert_file.datica-test");
  }

  private static String pem(String relative) {
    return new String(TestVectors.reference(relative), StandardCharsets.US_ASCII);
  }

  @Test
  void admissionCertificateNamesTheMeasuredProgramAndThePolicyKey() throws Exception {
    X509Certificate cert = Certificates.parseDer(admissionDer());
    String measurement = HexFormat.of().formatHex(
        TestVectors.reference("provisioning/example_app.measurement"));

    Optional<String> organization = Certificates.subjectAttribute(cert, "O");

    // 73 characters: longer than X.520's 64-character bound for organizationName.
    assertEquals(Optional.of("Measured-" + measurement), organization);
    assertTrue(organization.orElseThrow().startsWith("Measured-9f2be451"));
    assertEquals(Optional.of("CertifierUsers"), Certificates.subjectAttribute(cert, "CN"));
    assertEquals(Optional.of("policyKey"), Certificates.issuerAttribute(cert, "CN"));
    assertEquals(Optional.of("datica/datica-test/policyAuthority"),
        Certificates.issuerAttribute(cert, "O"));
    assertEquals(Optional.empty(), Certificates.subjectAttribute(cert, "OU"));
  }

  @Test
  void pemAndDerOfTheSameCertificateAgree() throws Exception {
    List<X509Certificate> admission = Certificates.parsePem(pem("wire/admission_cert.pem"));
    List<X509Certificate> policy = Certificates.parsePem(pem("provisioning/policy_cert.pem"));

    assertEquals(1, admission.size());
    assertArrayEquals(admissionDer(), admission.get(0).getEncoded());
    assertEquals(1, policy.size());
    assertArrayEquals(policyDer(), policy.get(0).getEncoded());
  }

  @Test
  void pemChainKeepsItsOrderAndIgnoresSurroundingText() throws Exception {
    String chain = "admission\n" + pem("wire/admission_cert.pem") + "policy\n"
        + pem("provisioning/policy_cert.pem") + "end\n";

    List<X509Certificate> certs = Certificates.parsePem(chain);

    assertEquals(2, certs.size());
    assertArrayEquals(admissionDer(), certs.get(0).getEncoded());
    assertArrayEquals(policyDer(), certs.get(1).getEncoded());
  }

  @Test
  void namesAreReadWithRfc2253EscapesAndMultiValuedRdns() throws Exception {
    X500Principal name = new X500Principal(
        "CN=a\\,b \\+c,O=x\\;y+OU=unit,O=second,C=DE");

    assertEquals(Optional.of("a,b +c"), Certificates.attribute(name, "CN"));
    assertEquals(Optional.of("unit"), Certificates.attribute(name, "ou"));
    // Encoding order starts at the right of the string: O=second comes first.
    assertEquals(Optional.of("second"), Certificates.attribute(name, "O"));
    assertEquals(Optional.of("DE"), Certificates.attribute(name, "C"));
  }

  @Test
  void garbageDerIsRejected() {
    assertThrows(CryptoException.class, () -> Certificates.parseDer(new byte[0]));
    assertThrows(CryptoException.class, () -> Certificates.parseDer(new byte[] {0x30, 0x03, 1}));
    assertThrows(CryptoException.class,
        () -> Certificates.parseDer("not a certificate".getBytes(StandardCharsets.US_ASCII)));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 4, 100, 500, 892})
  void truncatedDerIsRejected(int length) {
    byte[] truncated = Arrays.copyOf(admissionDer(), length);

    assertThrows(CryptoException.class, () -> Certificates.parseDer(truncated));
  }

  @Test
  void derWithTrailingBytesIsRejected() {
    byte[] der = admissionDer();
    byte[] longer = Arrays.copyOf(der, der.length + 1);

    assertThrows(CryptoException.class, () -> Certificates.parseDer(longer));
  }

  @Test
  void pemTextIsNotDer() {
    byte[] pemBytes = TestVectors.reference("wire/admission_cert.pem");

    assertThrows(CryptoException.class, () -> Certificates.parseDer(pemBytes));
  }

  @Test
  void malformedPemIsRejected() {
    String good = pem("wire/admission_cert.pem");
    String body = good.substring(good.indexOf('\n') + 1, good.indexOf("-----END"));

    assertThrows(CryptoException.class, () -> Certificates.parsePem(""));
    assertThrows(CryptoException.class, () -> Certificates.parsePem("no blocks here"));
    assertThrows(CryptoException.class,
        () -> Certificates.parsePem(good.substring(0, good.length() / 2)));
    assertThrows(CryptoException.class, () -> Certificates.parsePem(
        "-----BEGIN CERTIFICATE-----\n" + body.replace('A', '*') + "-----END CERTIFICATE-----\n"));
    assertThrows(CryptoException.class, () -> Certificates.parsePem(
        "-----BEGIN CERTIFICATE-----\n" + body.substring(0, body.length() / 2)
            + "\n-----END CERTIFICATE-----\n"));
    String stray = body.substring(0, 10) + "!" + body.substring(10);
    assertThrows(CryptoException.class, () -> Certificates.parsePem(
        "-----BEGIN CERTIFICATE-----\n" + stray + "-----END CERTIFICATE-----\n"));
    assertThrows(CryptoException.class, () -> Certificates.parsePem(
        "-----BEGIN PRIVATE KEY-----\n" + body + "-----END PRIVATE KEY-----\n"));
    assertThrows(CryptoException.class, () -> Certificates.parsePem("-----BEGIN CERT"));
  }
}
