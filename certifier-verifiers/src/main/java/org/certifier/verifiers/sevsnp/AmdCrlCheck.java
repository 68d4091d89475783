package org.certifier.verifiers.sevsnp;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Set;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;

/**
 * Checks an AMD CRL (KDS spec 57230, chapter 4: an X.509 CRL, RFC 5280 §5, signed by the ARK
 * with RSASSA-PSS SHA-384) and whether it revokes the ASK or ASVK of a chain.
 *
 * <p>The CRL is issued by the ARK, so under RFC 5280 it speaks only of what the ARK issued:
 * the ASK and the ASVK. VCEKs and VLEKs are issued by those, and AMD's carry serial number 0
 * (see the vectors' README), so a serial on the ARK's CRL cannot name one; AMD retires them by
 * TCB version instead, which the policy's minimum TCB covers.
 */
final class AmdCrlCheck {
  private AmdCrlCheck() {}

  /**
   * @throws VerificationException {@link Failure#MALFORMED_EVIDENCE} if the CRL does not parse
   *     or has a critical extension; {@link Failure#BAD_SIGNATURE} if it is not the ARK's;
   *     {@link Failure#UNSUPPORTED_ALGORITHM} for a scheme other than AMD's;
   *     {@link Failure#COLLATERAL_EXPIRED} if {@code at} is not between its thisUpdate and its
   *     nextUpdate (or it has none); {@link Failure#CERTIFICATE_REVOKED} if it lists the
   *     intermediate
   */
  static void check(byte[] der, X509Certificate ark, X509Certificate intermediate,
      String intermediateName, SnpProduct product, Instant at) throws VerificationException {
    X509CRL crl = parse(der);
    String what = "AMD's CRL for " + product.kdsName();
    if (!crl.getIssuerX500Principal().equals(ark.getSubjectX500Principal())) {
      throw new VerificationException(Failure.BAD_SIGNATURE, what + " is issued by "
          + crl.getIssuerX500Principal().getName() + ", not by the ARK");
    }
    SnpVerifier.checkPssParameters(crl.getSigAlgOID(), crl.getSigAlgName(),
        crl.getSigAlgParams(), what);
    if (!(ark.getPublicKey() instanceof RSAPublicKey arkKey)) {
      throw new VerificationException(Failure.UNSUPPORTED_ALGORITHM, "the ARK has no RSA key");
    }
    byte[] signed;
    try {
      signed = crl.getTBSCertList();
    } catch (CRLException e) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE,
          what + " cannot be re-encoded", e);
    }
    if (!SnpVerifier.pssVerifies(arkKey, signed, crl.getSignature(), what)) {
      throw new VerificationException(Failure.BAD_SIGNATURE,
          what + " is not signed by the ARK of " + product.kdsName());
    }
    // RFC 5280 §5.2, §5.3: a CRL or entry with a critical extension we do not process must
    // not be used; AMD's have none.
    if (hasCritical(crl.getCriticalExtensionOIDs())) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE,
          what + " has a critical extension this verifier does not process");
    }
    if (crl.getRevokedCertificates() != null) {
      for (X509CRLEntry entry : crl.getRevokedCertificates()) {
        if (hasCritical(entry.getCriticalExtensionOIDs())) {
          throw new VerificationException(Failure.MALFORMED_EVIDENCE,
              what + " has an entry with a critical extension this verifier does not process");
        }
      }
    }
    Instant thisUpdate = crl.getThisUpdate().toInstant();
    if (at.isBefore(thisUpdate)) {
      throw new VerificationException(Failure.COLLATERAL_EXPIRED,
          what + " is issued " + thisUpdate + ", after " + at);
    }
    if (crl.getNextUpdate() == null) {
      throw new VerificationException(Failure.COLLATERAL_EXPIRED,
          what + " has no nextUpdate, so nothing says it is still current");
    }
    Instant nextUpdate = crl.getNextUpdate().toInstant();
    if (!at.isBefore(nextUpdate)) {
      throw new VerificationException(Failure.COLLATERAL_EXPIRED,
          what + " was due to be replaced " + nextUpdate + ", before " + at);
    }
    X509CRLEntry revoked = crl.getRevokedCertificate(intermediate);
    if (revoked != null) {
      throw new VerificationException(Failure.CERTIFICATE_REVOKED, "the " + intermediateName
          + " (serial " + hex(intermediate.getSerialNumber()) + ") is revoked on " + what
          + " since " + revoked.getRevocationDate().toInstant());
    }
  }

  private static X509CRL parse(byte[] der) throws VerificationException {
    try {
      return (X509CRL) CertificateFactory.getInstance("X.509")
          .generateCRL(new ByteArrayInputStream(der));
    } catch (CRLException | CertificateException | RuntimeException e) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE,
          "AMD's CRL is not a DER X.509 CRL", e);
    }
  }

  private static boolean hasCritical(Set<String> oids) {
    return oids != null && !oids.isEmpty();
  }

  private static String hex(BigInteger serial) {
    return "0x" + serial.toString(16);
  }
}
