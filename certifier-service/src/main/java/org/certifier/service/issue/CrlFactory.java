package org.certifier.service.issue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;

/**
 * Signs the domain's certificate revocation list: an X.509 v2 CRL (RFC 5280 section 5) whose
 * issuer is the policy certificate's subject, signed by the policy key with the algorithm of
 * the admission certificates it revokes, so whoever checks an admission certificate can check
 * the CRL with the same certificate and code.
 *
 * <p>Extensions: authorityKeyIdentifier (RFC 5280 section 5.2.1, required of conforming CRL
 * issuers; the policy certificate's own subjectKeyIdentifier if it has one, else the RFC 5280
 * section 4.2.1.2 method 1 SHA-1 of its key) and cRLNumber (section 5.2.3). Entries carry a
 * reasonCode (section 5.3.1) when the reason is known and not "unspecified", which the RFC
 * says to express by leaving the extension out.
 */
public final class CrlFactory {
  /** One revoked certificate as the CRL lists it. */
  public record Entry(BigInteger serial, Instant revokedAt, OptionalInt reasonCode) {
    public Entry {
      if (serial.signum() <= 0) {
        throw new IllegalArgumentException("serial numbers are positive");
      }
      reasonCode.ifPresent(code -> {
        if (code <= CRLReason.unspecified || code > CRLReason.aACompromise || code == 7) {
          throw new IllegalArgumentException("CRL reason code " + code + " is not one that"
              + " RFC 5280 section 5.3.1 lists (unspecified is expressed by no code)");
        }
      });
    }
  }

  private CrlFactory() {}

  /**
   * The CRL listing {@code entries} (ascending by serial, whatever order they come in).
   *
   * @throws IllegalArgumentException if a serial is listed twice
   */
  public static X509CRL crl(PrivateKey policyKey, X509Certificate policyCert, BigInteger number,
      Instant thisUpdate, Instant nextUpdate, List<Entry> entries)
      throws GeneralSecurityException {
    if (number.signum() < 0) {
      throw new IllegalArgumentException("CRL numbers are not negative");
    }
    if (!nextUpdate.isAfter(thisUpdate)) {
      throw new IllegalArgumentException("nextUpdate must follow thisUpdate");
    }
    X500Name issuer = X500Name.getInstance(policyCert.getSubjectX500Principal().getEncoded());
    X509v2CRLBuilder builder = new X509v2CRLBuilder(issuer,
        CertificateFactory.date(thisUpdate));
    builder.setNextUpdate(CertificateFactory.date(nextUpdate));
    HashSet<BigInteger> listed = new HashSet<>();
    List<Entry> sorted = entries.stream().sorted(Comparator.comparing(Entry::serial)).toList();
    try {
      for (Entry e : sorted) {
        if (!listed.add(e.serial())) {
          throw new IllegalArgumentException("serial " + e.serial() + " listed twice");
        }
        // Bouncy Castle leaves the reasonCode extension out for 0, "unspecified".
        builder.addCRLEntry(e.serial(), CertificateFactory.date(e.revokedAt()),
            e.reasonCode().orElse(CRLReason.unspecified));
      }
      builder.addExtension(Extension.authorityKeyIdentifier, false,
          authorityKeyIdentifier(policyCert));
      builder.addExtension(Extension.cRLNumber, false, new ASN1Integer(number));
      byte[] der = builder.build(CertificateFactory.signer(policyKey)).getEncoded();
      return (X509CRL) java.security.cert.CertificateFactory.getInstance("X.509")
          .generateCRL(new ByteArrayInputStream(der));
    } catch (IOException | CRLException e) {
      throw new GeneralSecurityException("cannot encode the CRL: " + e.getMessage(), e);
    }
  }

  private static AuthorityKeyIdentifier authorityKeyIdentifier(X509Certificate policyCert) {
    byte[] ski = policyCert.getExtensionValue(Extension.subjectKeyIdentifier.getId());
    if (ski != null) {
      // getExtensionValue wraps the extension's OCTET STRING (the key id) in another one.
      byte[] keyId = ASN1OctetString.getInstance(ASN1OctetString.getInstance(ski).getOctets())
          .getOctets();
      return new AuthorityKeyIdentifier(keyId);
    }
    return new BcX509ExtensionUtils().createAuthorityKeyIdentifier(
        SubjectPublicKeyInfo.getInstance(policyCert.getPublicKey().getEncoded()));
  }
}
