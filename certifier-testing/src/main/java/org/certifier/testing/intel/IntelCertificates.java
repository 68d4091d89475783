package org.certifier.testing.intel;

import static org.certifier.testing.der.Der.bitString;
import static org.certifier.testing.der.Der.booleanTrue;
import static org.certifier.testing.der.Der.integer;
import static org.certifier.testing.der.Der.octetString;
import static org.certifier.testing.der.Der.oid;
import static org.certifier.testing.der.Der.printableString;
import static org.certifier.testing.der.Der.seq;
import static org.certifier.testing.der.Der.tlv;
import static org.certifier.testing.der.Der.utcTime;
import static org.certifier.testing.der.Der.utf8String;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.certifier.testing.der.SeededRandom;

/**
 * Certificates and CRLs in the profile of Intel's SGX PKI (Intel SGX PCK Certificate and
 * Certificate Revocation List Profile Specification; checked against the real chains in
 * {@code testvectors/intel-sgx} and {@code intel-tdx}): ECDSA P-256 with SHA-256, names
 * {@code CN, O=Intel Corporation, L=Santa Clara, ST=CA, C=US} in that DER order (UTF8String,
 * the country a PrintableString), extensions AKI, CRL distribution point, SKI, key usage and
 * basic constraints (both critical), in that order.
 */
final class IntelCertificates {
  static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";

  private IntelCertificates() {}

  /** An X.509 v3 certificate in Intel's profile, with knobs for making odd ones. */
  static final class Spec {
    private final String subjectCn;
    private final String issuerCn;
    private final PublicKey key;
    private final PublicKey issuerPublicKey;
    private final PrivateKey issuerKey;
    private final BigInteger serial;
    private final List<byte[]> extensions = new ArrayList<>();
    private Instant notBefore;
    private Instant notAfter;

    Spec(String subjectCn, String issuerCn, PublicKey key, PublicKey issuerPublicKey,
        PrivateKey issuerKey, BigInteger serial, Instant notBefore, Instant notAfter) {
      this.subjectCn = subjectCn;
      this.issuerCn = issuerCn;
      this.key = key;
      this.issuerPublicKey = issuerPublicKey;
      this.issuerKey = issuerKey;
      this.serial = serial;
      this.notBefore = notBefore;
      this.notAfter = notAfter;
    }

    /** AKI, CRL distribution point and SKI, as every Intel certificate starts. */
    Spec standardExtensions(String crlUrl) {
      extension("2.5.29.35", false, seq(tlv(0x80, keyId(issuerPublicKey))));
      extension("2.5.29.31", false,
          seq(seq(tlv(0xA0, tlv(0xA0, tlv(0x86, crlUrl.getBytes(StandardCharsets.US_ASCII)))))));
      return extension("2.5.29.14", false, octetString(keyId(key)));
    }

    /** A CA: key usage keyCertSign and cRLSign, basic constraints CA with a path length. */
    Spec ca(int pathLength) {
      extension("2.5.29.15", true, bitString(new byte[] {0x06}, 1));
      return extension("2.5.29.19", true,
          seq(booleanTrue(), integer(BigInteger.valueOf(pathLength))));
    }

    /** An end entity: key usage digitalSignature and nonRepudiation, not a CA. */
    Spec endEntity() {
      extension("2.5.29.15", true, bitString(new byte[] {(byte) 0xC0}, 6));
      return extension("2.5.29.19", true, seq());
    }

    Spec extension(String oid, boolean critical, byte[] value) {
      extensions.add(critical
          ? seq(oid(oid), booleanTrue(), octetString(value))
          : seq(oid(oid), octetString(value)));
      return this;
    }

    Spec validity(Instant from, Instant to) {
      notBefore = from;
      notAfter = to;
      return this;
    }

    byte[] der() {
      byte[] algorithm = seq(oid(ECDSA_WITH_SHA256));
      byte[] tbs = seq(
          tlv(0xA0, integer(BigInteger.TWO)),
          integer(serial),
          algorithm,
          name(issuerCn),
          seq(utcTime(notBefore), utcTime(notAfter)),
          name(subjectCn),
          key.getEncoded(),
          tlv(0xA3, seq(extensions.toArray(byte[][]::new))));
      return seq(tbs, algorithm, bitString(signDer(issuerKey, tbs), 0));
    }
  }

  /**
   * A CRL as Intel's PCS serves them: v2, the issuer's name, this and next update, one entry
   * per revoked serial (reason keyCompromise, as Intel's), extensions CRL number and AKI.
   */
  static byte[] crl(String issuerCn, PublicKey issuerPublicKey, PrivateKey issuerKey,
      Instant thisUpdate, Instant nextUpdate, List<BigInteger> revoked) {
    byte[] algorithm = seq(oid(ECDSA_WITH_SHA256));
    List<byte[]> parts = new ArrayList<>(List.of(integer(BigInteger.ONE), algorithm,
        name(issuerCn), utcTime(thisUpdate), utcTime(nextUpdate)));
    if (!revoked.isEmpty()) {
      byte[][] entries = revoked.stream().map(serial -> seq(integer(serial),
          utcTime(thisUpdate), seq(seq(oid("2.5.29.21"), octetString(tlv(0x0A, new byte[] {1}))))))
          .toArray(byte[][]::new);
      parts.add(seq(entries));
    }
    parts.add(tlv(0xA0, seq(
        seq(oid("2.5.29.20"), octetString(integer(BigInteger.ONE))),
        seq(oid("2.5.29.35"), octetString(seq(tlv(0x80, keyId(issuerPublicKey))))))));
    byte[] tbs = seq(parts.toArray(byte[][]::new));
    return seq(tbs, algorithm, bitString(signDer(issuerKey, tbs), 0));
  }

  static String pem(String label, byte[]... ders) {
    StringBuilder out = new StringBuilder();
    for (byte[] der : ders) {
      out.append("-----BEGIN ").append(label).append("-----\n")
          .append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der))
          .append("\n-----END ").append(label).append("-----\n");
    }
    return out.toString();
  }

  /** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits (the EC point). */
  static byte[] keyId(PublicKey key) {
    byte[] spki = key.getEncoded();
    try {
      return MessageDigest.getInstance("SHA-1").digest(
          Arrays.copyOfRange(spki, spki.length - 65, spki.length));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks SHA-1", e);
    }
  }

  /** ECDSA P-256 SHA-256, DER-encoded, randomness from the signed bytes. */
  static byte[] signDer(PrivateKey key, byte[] data) {
    return sign("SHA256withECDSA", key, data);
  }

  /** ECDSA P-256 SHA-256 as r || s, 32 bytes each, as quotes and collateral carry it. */
  static byte[] signRaw(PrivateKey key, byte[] data) {
    return sign("SHA256withECDSAinP1363Format", key, data);
  }

  private static byte[] sign(String algorithm, PrivateKey key, byte[] data) {
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key, SeededRandom.of(data));
      signer.update(data);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign as the fake Intel", e);
    }
  }

  private static byte[] name(String commonName) {
    return seq(
        rdn("2.5.4.3", utf8String(commonName)),
        rdn("2.5.4.10", utf8String("Intel Corporation")),
        rdn("2.5.4.7", utf8String("Santa Clara")),
        rdn("2.5.4.8", utf8String("CA")),
        rdn("2.5.4.6", printableString("US")));
  }

  private static byte[] rdn(String type, byte[] value) {
    return tlv(0x31, seq(oid(type), value));
  }
}
