package org.certifier.testing.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A security domain's PKI for tests: a policy key with its self-signed certificate, member
 * (admission) certificates with chosen serials, and X.509 v2 CRLs signed by the policy key,
 * with every field a test may want to get wrong (issuer, signer, number, times, extensions).
 */
public final class DomainPki {
  private static final String SIGNATURE = "SHA256withRSA";

  private final KeyPair policyKey;
  private final X509Certificate policyCert;
  private final X500Name policyName;

  private DomainPki(KeyPair policyKey, X509Certificate policyCert, X500Name policyName) {
    this.policyKey = policyKey;
    this.policyCert = policyCert;
    this.policyName = policyName;
  }

  /** A domain named {@code name}, its policy certificate valid a day either side of now. */
  public static DomainPki create(String name) throws GeneralSecurityException {
    KeyPair key = rsa();
    X500Name subject = new X500Name("CN=policyKey, O=" + name + "/policyAuthority");
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
        BigInteger.ONE, Date.from(now.minusSeconds(86_400)), Date.from(now.plusSeconds(86_400)),
        subject, key.getPublic());
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException(e);
    }
    return new DomainPki(key, certificate(builder, key.getPrivate()), subject);
  }

  /** The PKI of an existing domain (e.g. one a test service runs with). */
  public static DomainPki of(KeyPair policyKey, X509Certificate policyCert) {
    return new DomainPki(policyKey, policyCert,
        X500Name.getInstance(policyCert.getSubjectX500Principal().getEncoded()));
  }

  public KeyPair policyKey() {
    return policyKey;
  }

  public X509Certificate policyCert() {
    return policyCert;
  }

  /** A member key and its admission certificate ({@code O=Measured-<hex>}). */
  public Member member(BigInteger serial, byte[] measurement, Instant notBefore,
      Instant notAfter) throws GeneralSecurityException {
    KeyPair key = rsa();
    X500Name subject = new X500Name("CN=CertifierUsers, O=Measured-"
        + HexFormat.of().formatHex(measurement));
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(policyName, serial,
        Date.from(notBefore), Date.from(notAfter), subject, key.getPublic());
    return new Member(key, certificate(builder, policyKey.getPrivate()));
  }

  /** A CRL of this domain: number 1, issued a minute ago, next update in an hour, empty. */
  public CrlBuilder crl() {
    Instant now = Instant.now();
    return new CrlBuilder(policyName, policyKey.getPrivate(), BigInteger.ONE,
        now.minusSeconds(60), now.plusSeconds(3600));
  }

  public record Member(KeyPair key, X509Certificate certificate) {
    public BigInteger serial() {
      return certificate.getSerialNumber();
    }
  }

  /** Builds one CRL; every setter returns this. */
  public static final class CrlBuilder {
    private X500Name issuer;
    private PrivateKey signer;
    private BigInteger number;
    private Instant thisUpdate;
    private Instant nextUpdate;
    private boolean criticalExtension;
    private final List<BigInteger> revoked = new ArrayList<>();

    CrlBuilder(X500Name issuer, PrivateKey signer, BigInteger number, Instant thisUpdate,
        Instant nextUpdate) {
      this.issuer = issuer;
      this.signer = signer;
      this.number = number;
      this.thisUpdate = thisUpdate;
      this.nextUpdate = nextUpdate;
    }

    public CrlBuilder number(long n) {
      number = BigInteger.valueOf(n);
      return this;
    }

    /** Leaves out the CRL number extension. */
    public CrlBuilder withoutNumber() {
      number = null;
      return this;
    }

    public CrlBuilder thisUpdate(Instant t) {
      thisUpdate = t;
      return this;
    }

    /** Null leaves nextUpdate out. */
    public CrlBuilder nextUpdate(Instant t) {
      nextUpdate = t;
      return this;
    }

    public CrlBuilder revoke(BigInteger serial) {
      revoked.add(serial);
      return this;
    }

    public CrlBuilder signedBy(PrivateKey key) {
      signer = key;
      return this;
    }

    public CrlBuilder issuer(String name) {
      issuer = new X500Name(name);
      return this;
    }

    /** Adds a critical extension nobody understands (a private OID). */
    public CrlBuilder withCriticalExtension() {
      criticalExtension = true;
      return this;
    }

    /** The signed CRL, DER. */
    public byte[] build() throws GeneralSecurityException {
      X509v2CRLBuilder builder = new X509v2CRLBuilder(issuer, Date.from(thisUpdate));
      if (nextUpdate != null) {
        builder.setNextUpdate(Date.from(nextUpdate));
      }
      for (BigInteger serial : revoked) {
        builder.addCRLEntry(serial, Date.from(thisUpdate), CRLReason.keyCompromise);
      }
      try {
        if (number != null) {
          builder.addExtension(Extension.cRLNumber, false, new ASN1Integer(number));
        }
        if (criticalExtension) {
          builder.addExtension(new org.bouncycastle.asn1.ASN1ObjectIdentifier(
              "1.3.6.1.4.1.55555.1"), true, DERNull.INSTANCE);
        }
        X509CRLHolder crl = builder.build(signer(signer));
        return crl.getEncoded();
      } catch (java.io.IOException e) {
        throw new GeneralSecurityException(e);
      }
    }
  }

  private static KeyPair rsa() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private static X509Certificate certificate(JcaX509v3CertificateBuilder builder,
      PrivateKey signer) throws GeneralSecurityException {
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer(signer)));
  }

  private static ContentSigner signer(PrivateKey key) throws GeneralSecurityException {
    try {
      return new JcaContentSignerBuilder(SIGNATURE).build(key);
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }
}
