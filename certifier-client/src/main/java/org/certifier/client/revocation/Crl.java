package org.certifier.client.revocation;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SignatureException;
import java.security.cert.CRL;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;

/**
 * A domain's certificate revocation list whose signature and structure have been checked: an
 * X.509 v2 CRL (RFC 5280 §5) issued by the policy certificate's subject, signed by the policy
 * key, with a CRL number (§5.2.3) and a nextUpdate. Whether it is current is a separate
 * question ({@link #checkCurrent}), so that a stored, expired list can still serve as the floor
 * below which no older list is accepted.
 */
public final class Crl {
  /** Largest CRL accepted; a domain's list of revoked serials is far smaller. */
  public static final int MAX_BYTES = 4 << 20;
  /** RFC 5280 §5.2.3: the CRL number extension. */
  static final String CRL_NUMBER_OID = "2.5.29.20";
  /** RFC 5280 §5.2.3: "CRL numbers MUST NOT be longer than 20 octets". */
  private static final int MAX_NUMBER_OCTETS = 20;
  private static final byte DER_INTEGER = 0x02;
  private static final byte DER_OCTET_STRING = 0x04;

  private final byte[] der;
  private final X509CRL crl;
  private final BigInteger number;

  private Crl(byte[] der, X509CRL crl, BigInteger number) {
    this.der = der;
    this.crl = crl;
    this.number = number;
  }

  /**
   * Parses {@code der} and checks everything but time: exactly one DER v2 CRL, issued by and
   * signed under {@code policyCert}, with a CRL number and a nextUpdate after its thisUpdate,
   * and no critical extension (of the list or of an entry) that we would have to understand.
   */
  public static Crl parse(byte[] der, X509Certificate policyCert) throws VerificationException {
    if (der.length > MAX_BYTES) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE, "CRL of " + der.length
          + " bytes exceeds the limit of " + MAX_BYTES);
    }
    X509CRL crl = decode(der);
    if (crl.getVersion() != 2) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE, "CRL version "
          + crl.getVersion() + " is not v2");
    }
    if (!crl.getIssuerX500Principal().equals(policyCert.getSubjectX500Principal())) {
      throw new VerificationException(Failure.BAD_CERTIFICATE_CHAIN, "CRL issuer "
          + crl.getIssuerX500Principal() + " is not the policy certificate's subject "
          + policyCert.getSubjectX500Principal());
    }
    try {
      crl.verify(policyCert.getPublicKey());
    } catch (NoSuchAlgorithmException e) {
      throw new VerificationException(Failure.UNSUPPORTED_ALGORITHM, "CRL signature algorithm "
          + crl.getSigAlgName() + " is not supported", e);
    } catch (SignatureException | InvalidKeyException e) {
      throw new VerificationException(Failure.BAD_SIGNATURE,
          "CRL is not signed by the domain's policy key", e);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new VerificationException(Failure.BAD_SIGNATURE, "CRL signature does not verify",
          e);
    }
    requireNoCriticalExtension(crl.getCriticalExtensionOIDs(), "the CRL");
    if (crl.getRevokedCertificates() != null) {
      for (X509CRLEntry entry : crl.getRevokedCertificates()) {
        requireNoCriticalExtension(entry.getCriticalExtensionOIDs(),
            "the entry for serial " + entry.getSerialNumber());
      }
    }
    if (crl.getNextUpdate() == null) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE,
          "CRL has no nextUpdate, so there is no telling when it goes stale");
    }
    if (!crl.getNextUpdate().after(crl.getThisUpdate())) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE,
          "CRL nextUpdate is not after its thisUpdate");
    }
    return new Crl(der.clone(), crl, number(crl));
  }

  /** Refuses a list issued after {@code now} or whose nextUpdate is not after {@code now}. */
  public void checkCurrent(Instant now) throws VerificationException {
    if (thisUpdate().isAfter(now)) {
      throw new VerificationException(Failure.NOT_YET_VALID, "CRL number " + number
          + " has thisUpdate " + thisUpdate() + ", after now (" + now + ")");
    }
    if (!nextUpdate().isAfter(now)) {
      throw new VerificationException(Failure.COLLATERAL_EXPIRED, "CRL number " + number
          + " is stale: its nextUpdate " + nextUpdate() + " has passed");
    }
  }

  /** The CRL number; a newer list of the domain always has a larger one. */
  public BigInteger number() {
    return number;
  }

  public Instant thisUpdate() {
    return crl.getThisUpdate().toInstant();
  }

  public Instant nextUpdate() {
    return crl.getNextUpdate().toInstant();
  }

  /** When {@code serial} was revoked, if this list revokes it. */
  public Optional<Instant> revocationDate(BigInteger serial) {
    X509CRLEntry entry = crl.getRevokedCertificate(serial);
    return entry == null ? Optional.empty() : Optional.of(entry.getRevocationDate().toInstant());
  }

  /** True if every serial {@code other} revokes is revoked here too. */
  public boolean revokesAllOf(Crl other) {
    Set<? extends X509CRLEntry> entries = other.crl.getRevokedCertificates();
    if (entries != null) {
      for (X509CRLEntry entry : entries) {
        if (crl.getRevokedCertificate(entry.getSerialNumber()) == null) {
          return false;
        }
      }
    }
    return true;
  }

  /** The number of revoked certificates listed. */
  public int size() {
    Set<? extends X509CRLEntry> entries = crl.getRevokedCertificates();
    return entries == null ? 0 : entries.size();
  }

  /** The list exactly as signed (DER). */
  public byte[] encoded() {
    return der.clone();
  }

  /** True if {@code other} is byte for byte the same list. */
  boolean sameAs(Crl other) {
    return MessageDigest.isEqual(der, other.der);
  }

  @Override
  public String toString() {
    return "Crl[number " + number + ", " + size() + " revoked, thisUpdate " + thisUpdate()
        + ", nextUpdate " + nextUpdate() + "]";
  }

  private static X509CRL decode(byte[] der) throws VerificationException {
    try {
      // The JDK parser also accepts Base64 text and ignores trailing bytes; comparing the
      // re-encoding closes both doors, as Certificates.parseDer does for certificates.
      CRL crl = CertificateFactory.getInstance("X.509")
          .generateCRL(new ByteArrayInputStream(der));
      if (!(crl instanceof X509CRL x509) || !Arrays.equals(x509.getEncoded(), der)) {
        throw new VerificationException(Failure.MALFORMED_EVIDENCE,
            "not exactly one DER-encoded X.509 CRL");
      }
      return x509;
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE, "malformed CRL", e);
    }
  }

  private static void requireNoCriticalExtension(Set<String> oids, String where)
      throws VerificationException {
    if (oids != null && !oids.isEmpty()) {
      // Delta-CRL indicators, issuing distribution points, indirect-CRL certificate issuers:
      // each changes what the list means, and none is part of a domain's CRL.
      throw new VerificationException(Failure.MALFORMED_EVIDENCE,
          "unsupported critical extension " + oids + " in " + where);
    }
  }

  /**
   * The CRL number: {@code getExtensionValue} gives the extnValue OCTET STRING, which wraps a
   * DER INTEGER (RFC 5280 §5.2.3, {@code CRLNumber ::= INTEGER (0..MAX)}).
   */
  private static BigInteger number(X509CRL crl) throws VerificationException {
    byte[] extension = crl.getExtensionValue(CRL_NUMBER_OID);
    if (extension == null) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE,
          "CRL has no CRL number, so an older list could not be told from a newer one");
    }
    byte[] octets = derValue(extension, DER_OCTET_STRING, "CRL number extension");
    byte[] integer = derValue(octets, DER_INTEGER, "CRL number");
    if (integer.length == 0 || integer.length > MAX_NUMBER_OCTETS + 1
        || (integer.length == MAX_NUMBER_OCTETS + 1 && integer[0] != 0)) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE,
          "CRL number is empty or longer than " + MAX_NUMBER_OCTETS + " octets");
    }
    BigInteger number = new BigInteger(integer);
    if (number.signum() < 0) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE, "CRL number is negative");
    }
    return number;
  }

  /** The contents of a single DER TLV of type {@code tag} that spans all of {@code bytes}. */
  private static byte[] derValue(byte[] bytes, byte tag, String what)
      throws VerificationException {
    if (bytes.length < 2 || bytes[0] != tag) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE, what + " is not a DER "
          + (tag == DER_INTEGER ? "INTEGER" : "OCTET STRING"));
    }
    int length = bytes[1] & 0xff;
    int offset = 2;
    if (length > 0x7f) {
      // Long form: at most two length octets (a CRL number is tiny), minimal encoding.
      int count = length & 0x7f;
      if (count < 1 || count > 2 || bytes.length < 2 + count) {
        throw new VerificationException(Failure.MALFORMED_EVIDENCE, what
            + " has a bad length");
      }
      length = 0;
      for (int i = 0; i < count; i++) {
        length = (length << 8) | (bytes[2 + i] & 0xff);
      }
      offset += count;
      if (length < 0x80) {
        throw new VerificationException(Failure.MALFORMED_EVIDENCE, what
            + " has a non-minimal length");
      }
    }
    if (offset + length != bytes.length) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE, what
          + " length does not match its contents");
    }
    return Arrays.copyOfRange(bytes, offset, bytes.length);
  }
}
