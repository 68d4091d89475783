package org.certifier.verifiers.dcap.collateral;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A stand-in for Intel's PKI, with the same shape (root, TCB signing certificate, PCK CA, PCK
 * certificate, all ECDSA P-256) and our own keys, so tests can revoke certificates and re-sign
 * changed collateral. Certificates are valid 2020..2040; CRLs 2025-06-01..2025-08-01.
 */
final class FakeIntelPki {
  static final Instant CRL_THIS_UPDATE = Instant.parse("2025-06-01T00:00:00Z");
  static final Instant CRL_NEXT_UPDATE = Instant.parse("2025-08-01T00:00:00Z");
  private static final Instant NOT_BEFORE = Instant.parse("2020-01-01T00:00:00Z");
  private static final Instant NOT_AFTER = Instant.parse("2040-01-01T00:00:00Z");

  final KeyPair rootKey = newKey();
  final KeyPair tcbKey = newKey();
  final KeyPair pckCaKey = newKey();
  final KeyPair pckKey = newKey();
  final X509Certificate root;
  final X509Certificate tcbSigner;
  final X509Certificate pckCa;
  final X509Certificate pck;

  FakeIntelPki() throws Exception {
    root = cert("Intel SGX Root CA", "Intel SGX Root CA", rootKey.getPrivate(),
        rootKey.getPublic(), 1, true);
    tcbSigner = cert("Intel SGX TCB Signing", "Intel SGX Root CA", rootKey.getPrivate(),
        tcbKey.getPublic(), 2, false);
    pckCa = cert("Intel SGX PCK Platform CA", "Intel SGX Root CA", rootKey.getPrivate(),
        pckCaKey.getPublic(), 3, true);
    pck = cert("Intel SGX PCK Certificate", "Intel SGX PCK Platform CA",
        pckCaKey.getPrivate(), pckKey.getPublic(), 4, false);
  }

  static KeyPair newKey() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static X500Name name(String cn) {
    return new X500Name("CN=" + cn + ",O=Fake Intel for tests,C=US");
  }

  static X509Certificate cert(String subject, String issuer, PrivateKey issuerKey,
      PublicKey key, long serial, boolean ca) throws Exception {
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name(issuer),
        BigInteger.valueOf(serial), Date.from(NOT_BEFORE), Date.from(NOT_AFTER), name(subject),
        key);
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca
        ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer(issuerKey)));
  }

  static ContentSigner signer(PrivateKey key) throws Exception {
    return new JcaContentSignerBuilder("SHA256withECDSA").build(key);
  }

  /** A DER CRL of {@code issuer} revoking these serials. */
  static byte[] crl(X509Certificate issuer, PrivateKey key, Optional<Instant> nextUpdate,
      List<BigInteger> revoked) throws Exception {
    X509v2CRLBuilder builder = new X509v2CRLBuilder(
        X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()),
        Date.from(CRL_THIS_UPDATE));
    nextUpdate.ifPresent(n -> builder.setNextUpdate(Date.from(n)));
    for (BigInteger serial : revoked) {
      builder.addCRLEntry(serial, Date.from(CRL_THIS_UPDATE), CRLReason.keyCompromise);
    }
    return builder.build(signer(key)).getEncoded();
  }

  byte[] rootCrl(BigInteger... revoked) throws Exception {
    return crl(root, rootKey.getPrivate(), Optional.of(CRL_NEXT_UPDATE), List.of(revoked));
  }

  byte[] pckCrl(BigInteger... revoked) throws Exception {
    return crl(pckCa, pckCaKey.getPrivate(), Optional.of(CRL_NEXT_UPDATE), List.of(revoked));
  }

  /** r||s over the UTF-8 text, as Intel signs TCB info and identities. */
  static ByteString sign(PrivateKey key, String text) throws Exception {
    Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
    s.initSign(key);
    s.update(text.getBytes(StandardCharsets.UTF_8));
    return ByteString.copyFrom(s.sign());
  }

  /** Collateral with these texts signed by the fake TCB signing key, and these CRLs. */
  QuoteCollateral collateral(String tcbInfo, String qeIdentity, byte[] rootCrl, byte[] pckCrl)
      throws Exception {
    String tcbChain = pem(tcbSigner, root);
    return new QuoteCollateral(pem(pckCa, root), ByteString.copyFrom(rootCrl),
        ByteString.copyFrom(pckCrl), tcbChain, tcbInfo, sign(tcbKey.getPrivate(), tcbInfo),
        tcbChain, qeIdentity, sign(tcbKey.getPrivate(), qeIdentity));
  }

  /** Collateral with real Intel TCB info and QE identity texts, re-signed, and clean CRLs. */
  QuoteCollateral collateral(String tcbInfo, String qeIdentity) throws Exception {
    return collateral(tcbInfo, qeIdentity, rootCrl(), pckCrl());
  }

  static String pem(X509Certificate... certs) throws Exception {
    StringBuilder out = new StringBuilder();
    for (X509Certificate cert : certs) {
      out.append("-----BEGIN CERTIFICATE-----\n")
          .append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(cert.getEncoded()))
          .append("\n-----END CERTIFICATE-----\n");
    }
    return out.toString();
  }
}
