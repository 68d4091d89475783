package org.certifier.service.issue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.Stream;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.certifier.crypto.Certificates;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The admission certificate is written by hand for speed ({@link Der}); it must be the very
 * bytes a general ASN.1 library writes for the same profile. BouncyCastle's certificate builder
 * is the oracle here; RSA PKCS#1 v1.5 signatures are deterministic, so whole certificates are
 * compared, ECDSA ones by their to-be-signed part and a verified signature.
 */
class AdmissionCertificateEncodingTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  static Stream<Arguments> cases() throws Exception {
    KeyPair rsa = pair("RSA", 2048);
    KeyPair p256 = ec("secp256r1");
    KeyPair p384 = ec("secp384r1");
    KeyPair subject = pair("RSA", 2048);
    InetAddress v4 = InetAddress.getByName("10.1.2.3");
    InetAddress v6 = InetAddress.getByName("2001:db8::17");
    Instant now = Instant.parse("2026-11-23T22:41:07.123456Z");
    return Stream.of(
        Arguments.of("rsa, no requester", rsa, subject, Optional.empty(), BigInteger.ONE, now,
            now.plusSeconds(86_400)),
        Arguments.of("rsa, IPv4", rsa, subject, Optional.of(v4), BigInteger.valueOf(4242), now,
            now.plusSeconds(365L * 86_400)),
        Arguments.of("rsa, IPv6, 2050 and later", rsa, subject, Optional.of(v6),
            BigInteger.valueOf(Long.MAX_VALUE), Instant.parse("2049-12-31T23:59:59Z"),
            Instant.parse("2050-01-01T00:00:00Z")),
        Arguments.of("rsa, serial with a high bit", rsa, subject, Optional.of(v4),
            BigInteger.valueOf(0x80), Instant.parse("1999-01-02T03:04:05Z"),
            Instant.parse("2120-06-07T08:09:10Z")),
        Arguments.of("P-256", p256, subject, Optional.of(v4), BigInteger.valueOf(9), now,
            now.plusSeconds(3600)),
        Arguments.of("P-384", p384, ec("secp384r1"), Optional.empty(), BigInteger.TEN, now,
            now.plusSeconds(3600)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theHandWrittenCertificateIsTheOneBouncyCastleWrites(String name, KeyPair issuer,
      KeyPair subject, Optional<InetAddress> requester, BigInteger serial, Instant notBefore,
      Instant notAfter) throws Exception {
    X509Certificate issuerCert = CertificateFactory.policyCertificate(issuer.getPrivate(),
        issuer.getPublic(), "policy-key", "Test Domain", notBefore, notAfter);
    byte[] measurement = new byte[32];
    RANDOM.nextBytes(measurement);

    byte[] ours = CertificateFactory.encodeAdmissionCertificate(issuer.getPrivate(),
        issuerCert, subject.getPublic(), measurement, requester, serial, notBefore, notAfter);
    X509Certificate oracle = oracle(issuer.getPrivate(), issuerCert, subject.getPublic(),
        measurement, requester, serial, notBefore, notAfter);

    X509Certificate parsed = Certificates.parseDer(ours);
    parsed.verify(issuer.getPublic());
    assertArrayEquals(oracle.getTBSCertificate(), parsed.getTBSCertificate(), name);
    if (issuer.getPrivate().getAlgorithm().equals("RSA")) {
      assertArrayEquals(oracle.getEncoded(), ours, name);
    }
    assertEquals(oracle.getSigAlgOID(), parsed.getSigAlgOID());
    assertArrayEquals(oracle.getSigAlgParams(), parsed.getSigAlgParams());
  }

  @Test
  void aSerialThatIsNotPositiveIsRefused() throws Exception {
    KeyPair rsa = pair("RSA", 2048);
    Instant now = Instant.parse("2026-11-23T00:00:00Z");
    X509Certificate issuerCert = CertificateFactory.policyCertificate(rsa.getPrivate(),
        rsa.getPublic(), "policy-key", "Test Domain", now, now.plusSeconds(60));
    for (BigInteger serial : new BigInteger[] {BigInteger.ZERO, BigInteger.valueOf(-5)}) {
      assertThrows(GeneralSecurityException.class, () ->
          CertificateFactory.encodeAdmissionCertificate(rsa.getPrivate(), issuerCert,
              rsa.getPublic(), new byte[32], Optional.empty(), serial, now,
              now.plusSeconds(60)));
    }
  }

  /** The profile as BouncyCastle's builder writes it (the code this encoder replaced). */
  private static X509Certificate oracle(PrivateKey key, X509Certificate issuerCert,
      PublicKey subjectKey, byte[] measurement, Optional<InetAddress> requester,
      BigInteger serial, Instant notBefore, Instant notAfter) throws Exception {
    X500Name subject = new X500Name(new RDN[] {
        new RDN(new AttributeTypeAndValue(BCStyle.O, new DERPrintableString(
            "Measured-" + HexFormat.of().formatHex(measurement)))),
        new RDN(new AttributeTypeAndValue(BCStyle.CN, new DERPrintableString(
            "CertifierUsers")))});
    X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
        X500Name.getInstance(issuerCert.getSubjectX500Principal().getEncoded()), serial,
        CertificateFactory.date(notBefore), CertificateFactory.date(notAfter), subject,
        SubjectPublicKeyInfo.getInstance(subjectKey.getEncoded()));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(
        KeyUsage.digitalSignature | KeyUsage.keyCertSign));
    builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
        new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth}));
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    if (requester.isPresent()) {
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
          new GeneralName(GeneralName.iPAddress,
              new DEROctetString(requester.get().getAddress()))));
    }
    return Certificates.parseDer(builder.build(CertificateFactory.signer(key)).getEncoded());
  }

  private static KeyPair pair(String algorithm, int bits) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
    g.initialize(bits);
    return g.generateKeyPair();
  }

  private static KeyPair ec(String curve) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec(curve));
    return g.generateKeyPair();
  }
}
