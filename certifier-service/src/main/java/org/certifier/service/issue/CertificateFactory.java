package org.certifier.service.issue;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.HexFormat;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.certifier.crypto.Certificates;

/**
 * Builds the two certificate profiles of a domain: the self-signed policy certificate
 * ({@code cert_utility.exe}, reference-certifier.md §5.1) and the admission certificate the
 * Certifier Service issues (§2.5). Field by field as the reference, so the C++ channel and any
 * tool reading them sees the same certificates.
 */
public final class CertificateFactory {
  private CertificateFactory() {}

  /**
   * The policy certificate: subject = issuer = {@code CN=<keyName>, O=<organization>}, serial 1,
   * CA, key usage digitalSignature/keyCertSign/cRLSign (critical), EKU client+server auth.
   */
  public static X509Certificate policyCertificate(PrivateKey key, PublicKey publicKey,
      String keyName, String organization, Instant notBefore, Instant notAfter)
      throws GeneralSecurityException {
    // The C++ tool writes CN before O, both as UTF8String.
    X500Name name = new X500Name(new RDN[] {
        rdn(BCStyle.CN, new DERUTF8String(keyName)),
        rdn(BCStyle.O, new DERUTF8String(organization))});
    X509v3CertificateBuilder builder = new X509v3CertificateBuilder(name, BigInteger.ONE,
        date(notBefore), date(notAfter), name,
        SubjectPublicKeyInfo.getInstance(publicKey.getEncoded()));
    try {
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(
          KeyUsage.digitalSignature | KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
          new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth}));
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot encode policy certificate extensions", e);
    }
    return sign(builder, key);
  }

  /**
   * The admission certificate of §2.5: issuer = the policy certificate's subject, subject
   * {@code O=Measured-<lowercase hex>, CN=CertifierUsers} (O first, PrintableString), key usage
   * digitalSignature + keyCertSign (critical), EKU client+server auth, CA:FALSE (critical), and
   * the requester's IP address as subject alternative name when known.
   */
  public static X509Certificate admissionCertificate(PrivateKey policyKey,
      X509Certificate policyCert, PublicKey subjectKey, byte[] measurement,
      Optional<InetAddress> requester, BigInteger serial, Instant notBefore, Instant notAfter)
      throws GeneralSecurityException {
    return Certificates.parseDer(encodeAdmissionCertificate(policyKey, policyCert, subjectKey,
        measurement, requester, serial, notBefore, notAfter));
  }

  /**
   * The DER of {@link #admissionCertificate}, written directly (RFC 5280 §4.1, the extensions
   * of §4.2.1.3, §4.2.1.12, §4.2.1.9 and §4.2.1.6) and signed: this runs once per
   * certification. Times are truncated to whole seconds.
   */
  public static byte[] encodeAdmissionCertificate(PrivateKey policyKey,
      X509Certificate policyCert, PublicKey subjectKey, byte[] measurement,
      Optional<InetAddress> requester, BigInteger serial, Instant notBefore, Instant notAfter)
      throws GeneralSecurityException {
    if (serial.signum() <= 0) {
      throw new GeneralSecurityException("a certificate serial number is positive");
    }
    String algorithm = signatureAlgorithm(policyKey);
    byte[] algorithmIdentifier = algorithmIdentifier(algorithm);
    byte[] subject = Der.sequence(
        Der.tlv(Der.SET, Der.sequence(OID_ORGANIZATION,
            Der.printableString("Measured-" + HexFormat.of().formatHex(measurement)))),
        Der.tlv(Der.SET, Der.sequence(OID_COMMON_NAME, Der.printableString("CertifierUsers"))));
    byte[] extensions = requester.isEmpty() ? ADMISSION_EXTENSIONS
        : Der.sequence(ADMISSION_EXTENSIONS_CONTENT, Der.sequence(OID_SUBJECT_ALT_NAME,
            Der.tlv(Der.OCTET_STRING, Der.sequence(
                Der.tlv(0x87, requester.get().getAddress()))))); // [7] iPAddress
    byte[] tbs = Der.sequence(VERSION_3, Der.integer(serial), algorithmIdentifier,
        policyCert.getSubjectX500Principal().getEncoded(),
        Der.sequence(Der.time(notBefore), Der.time(notAfter)), subject,
        subjectKey.getEncoded(), Der.tlv(0xa3, extensions)); // [3] EXPLICIT extensions
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(policyKey);
    signer.update(tbs);
    return Der.sequence(tbs, algorithmIdentifier, Der.bitString(signer.sign()));
  }

  private static final byte[] VERSION_3 = Der.tlv(0xa0, Der.tlv(Der.INTEGER, new byte[] {2}));
  private static final byte[] OID_ORGANIZATION = Der.oid("2.5.4.10");
  private static final byte[] OID_COMMON_NAME = Der.oid("2.5.4.3");
  private static final byte[] OID_SUBJECT_ALT_NAME = Der.oid("2.5.29.17");
  private static final byte[] CRITICAL = Der.tlv(Der.BOOLEAN, new byte[] {(byte) 0xff});
  /** keyUsage, extKeyUsage and basicConstraints, in the order the reference writes them. */
  private static final byte[] ADMISSION_EXTENSIONS_CONTENT = concat(
      // digitalSignature (bit 0) and keyCertSign (bit 5): 1000 01xx, two unused bits
      Der.sequence(Der.oid("2.5.29.15"), CRITICAL, Der.tlv(Der.OCTET_STRING,
          Der.tlv(Der.BIT_STRING, new byte[] {2, (byte) 0x84}))),
      Der.sequence(Der.oid("2.5.29.37"), Der.tlv(Der.OCTET_STRING, Der.sequence(
          Der.oid("1.3.6.1.5.5.7.3.2"), Der.oid("1.3.6.1.5.5.7.3.1")))),
      // cA FALSE is the DEFAULT, so DER leaves it out: an empty SEQUENCE
      Der.sequence(Der.oid("2.5.29.19"), CRITICAL, Der.tlv(Der.OCTET_STRING,
          Der.sequence())));
  private static final byte[] ADMISSION_EXTENSIONS = Der.sequence(ADMISSION_EXTENSIONS_CONTENT);

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** AlgorithmIdentifier: RSA with NULL parameters (RFC 4055 §5), ECDSA without (RFC 5758). */
  private static byte[] algorithmIdentifier(String algorithm) {
    return switch (algorithm) {
      case "SHA256withRSA" -> SHA256_WITH_RSA;
      case "SHA256withECDSA" -> ECDSA_WITH_SHA256;
      case "SHA384withECDSA" -> ECDSA_WITH_SHA384;
      default -> throw new IllegalArgumentException("no identifier for " + algorithm);
    };
  }

  private static final byte[] SHA256_WITH_RSA = Der.sequence(Der.oid("1.2.840.113549.1.1.11"),
      Der.tlv(Der.NULL));
  private static final byte[] ECDSA_WITH_SHA256 = Der.sequence(Der.oid("1.2.840.10045.4.3.2"));
  private static final byte[] ECDSA_WITH_SHA384 = Der.sequence(Der.oid("1.2.840.10045.4.3.3"));

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws GeneralSecurityException {
    try {
      return Certificates.parseDer(builder.build(signer(key)).getEncoded());
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot sign certificate: " + e.getMessage(), e);
    }
  }

  /**
   * The domain's one signing profile, for certificates and CRLs alike: RSA policy keys sign
   * with SHA-256 as the Go service does; EC keys with their curve's hash.
   */
  static ContentSigner signer(PrivateKey key) throws GeneralSecurityException {
    try {
      return new JcaContentSignerBuilder(signatureAlgorithm(key)).build(key);
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign with the policy key: " + e.getMessage(),
          e);
    }
  }

  private static String signatureAlgorithm(PrivateKey key) {
    return key instanceof ECKey ec
        ? (ec.getParams().getCurve().getField().getFieldSize() > 256 ? "SHA384withECDSA"
            : "SHA256withECDSA")
        : "SHA256withRSA";
  }

  private static RDN rdn(org.bouncycastle.asn1.ASN1ObjectIdentifier type, ASN1Encodable value) {
    return new RDN(new AttributeTypeAndValue(type, value));
  }

  static Date date(Instant t) {
    return Date.from(t.truncatedTo(ChronoUnit.SECONDS));
  }
}
