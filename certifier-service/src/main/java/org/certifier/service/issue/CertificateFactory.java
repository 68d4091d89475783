package org.certifier.service.issue;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.HexFormat;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
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
    X500Name issuer = X500Name.getInstance(policyCert.getSubjectX500Principal().getEncoded());
    X500Name subject = new X500Name(new RDN[] {
        rdn(BCStyle.O, new DERPrintableString(
            "Measured-" + HexFormat.of().formatHex(measurement))),
        rdn(BCStyle.CN, new DERPrintableString("CertifierUsers"))});
    X509v3CertificateBuilder builder = new X509v3CertificateBuilder(issuer, serial,
        date(notBefore), date(notAfter), subject,
        SubjectPublicKeyInfo.getInstance(subjectKey.getEncoded()));
    try {
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(
          KeyUsage.digitalSignature | KeyUsage.keyCertSign));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
          new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth}));
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      if (requester.isPresent()) {
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
            new GeneralName(GeneralName.iPAddress,
                new org.bouncycastle.asn1.DEROctetString(requester.get().getAddress()))));
      }
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot encode admission certificate extensions", e);
    }
    return sign(builder, policyKey);
  }

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
    String algorithm = key instanceof ECKey ec
        ? (ec.getParams().getCurve().getField().getFieldSize() > 256 ? "SHA384withECDSA"
            : "SHA256withECDSA")
        : "SHA256withRSA";
    try {
      return new JcaContentSignerBuilder(algorithm).build(key);
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign with the policy key: " + e.getMessage(),
          e);
    }
  }

  private static RDN rdn(org.bouncycastle.asn1.ASN1ObjectIdentifier type, ASN1Encodable value) {
    return new RDN(new AttributeTypeAndValue(type, value));
  }

  static Date date(Instant t) {
    return Date.from(t.truncatedTo(ChronoUnit.SECONDS));
  }
}
