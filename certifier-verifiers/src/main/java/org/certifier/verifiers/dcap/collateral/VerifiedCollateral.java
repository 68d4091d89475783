package org.certifier.verifiers.dcap.collateral;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;

/**
 * Collateral that {@link CollateralVerifier} has checked: TCB info and QE identity signed by
 * Intel's TCB signing key, CRLs signed by the root and the PCK CA, all current at
 * {@link #verifiedAt()}. Only the verifier creates it, so holding one is proof of those checks.
 */
public final class VerifiedCollateral {
  private final TcbInfo tcbInfo;
  private final EnclaveIdentity qeIdentity;
  private final X509CRL rootCaCrl;
  private final X509CRL pckCrl;
  private final X509Certificate root;
  private final Instant verifiedAt;

  VerifiedCollateral(TcbInfo tcbInfo, EnclaveIdentity qeIdentity, X509CRL rootCaCrl,
      X509CRL pckCrl, X509Certificate root, Instant verifiedAt) {
    this.tcbInfo = Objects.requireNonNull(tcbInfo, "tcbInfo");
    this.qeIdentity = Objects.requireNonNull(qeIdentity, "qeIdentity");
    this.rootCaCrl = Objects.requireNonNull(rootCaCrl, "rootCaCrl");
    this.pckCrl = Objects.requireNonNull(pckCrl, "pckCrl");
    this.root = Objects.requireNonNull(root, "root");
    this.verifiedAt = Objects.requireNonNull(verifiedAt, "verifiedAt");
  }

  public TcbInfo tcbInfo() {
    return tcbInfo;
  }

  /** The QE (SGX) or TD_QE (TDX) identity; {@link TcbEvaluator} checks which fits. */
  public EnclaveIdentity qeIdentity() {
    return qeIdentity;
  }

  public X509CRL rootCaCrl() {
    return rootCaCrl;
  }

  public X509CRL pckCrl() {
    return pckCrl;
  }

  /** The time at which every validity window was checked. */
  public Instant verifiedAt() {
    return verifiedAt;
  }

  /**
   * Checks a quote's PCK chain against these CRLs: the chain must be exactly PCK certificate,
   * PCK CA, root (the root this collateral was verified with); the PCK CRL must be the CRL of
   * that PCK CA; the PCK certificate must not be on it and the PCK CA must not be on the root
   * CRL. Signatures of the chain are the quote verifier's business, not checked here.
   *
   * @throws VerificationException {@link Failure#BAD_CERTIFICATE_CHAIN} for a chain of another
   *     shape, {@link Failure#UNTRUSTED_ROOT} for another root,
   *     {@link Failure#COLLATERAL_UNAVAILABLE} if the PCK CRL belongs to another CA (e.g. the
   *     Processor CA's CRL for a Platform CA certificate), {@link Failure#CERTIFICATE_REVOKED}
   *     for a revoked certificate
   */
  public void checkPckChain(List<X509Certificate> pckChain) throws VerificationException {
    Objects.requireNonNull(pckChain, "pckChain");
    if (pckChain.size() != 3) {
      throw new VerificationException(Failure.BAD_CERTIFICATE_CHAIN, "a PCK chain has "
          + pckChain.size() + " certificates, not PCK certificate, PCK CA and root");
    }
    X509Certificate leaf = pckChain.get(0);
    X509Certificate ca = pckChain.get(1);
    if (!sameEncoding(pckChain.get(2), root)) {
      throw new VerificationException(Failure.UNTRUSTED_ROOT,
          "the PCK chain ends in another root than the collateral's");
    }
    if (!leaf.getIssuerX500Principal().equals(ca.getSubjectX500Principal())
        || !ca.getIssuerX500Principal().equals(root.getSubjectX500Principal())) {
      throw new VerificationException(Failure.BAD_CERTIFICATE_CHAIN,
          "the PCK chain's names do not link PCK certificate, PCK CA and root");
    }
    if (!pckCrl.getIssuerX500Principal().equals(leaf.getIssuerX500Principal())) {
      throw new VerificationException(Failure.COLLATERAL_UNAVAILABLE, "the PCK CRL is issued by "
          + pckCrl.getIssuerX500Principal().getName() + ", the PCK certificate by "
          + leaf.getIssuerX500Principal().getName());
    }
    if (pckCrl.isRevoked(leaf)) {
      throw new VerificationException(Failure.CERTIFICATE_REVOKED, "the PCK certificate (serial "
          + leaf.getSerialNumber().toString(16) + ") is on the PCK CA's CRL");
    }
    if (rootCaCrl.isRevoked(ca)) {
      throw new VerificationException(Failure.CERTIFICATE_REVOKED,
          "the PCK CA certificate is on the root CA's CRL");
    }
  }

  static boolean sameEncoding(X509Certificate a, X509Certificate b) {
    try {
      return Arrays.equals(a.getEncoded(), b.getEncoded());
    } catch (CertificateEncodingException e) {
      return false;
    }
  }
}
