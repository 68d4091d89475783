package org.certifier.verifiers.dcap.collateral;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.certifier.crypto.Certificates;
import org.certifier.crypto.CryptoException;
import org.certifier.crypto.KeyAlgorithm;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;

/**
 * Checks that quote collateral is Intel's and current. Intel's PCS API v4 defines the pieces;
 * the checks follow Intel's Quote Verification Library (TCB signing chain, CRL and collateral
 * validity), in this order:
 *
 * <ol>
 *   <li>TCB info, then QE identity: the issuer chain (PEM; {@link Failure#MALFORMED_EVIDENCE})
 *       must be exactly [signer, root], ending in the root this verifier was given
 *       ({@link Failure#UNTRUSTED_ROOT}), the signer signed by it with ECDSA P-256 SHA-256,
 *       without unknown critical extensions, and the "Intel SGX TCB Signing" end-entity
 *       certificate ({@link Failure#BAD_CERTIFICATE_CHAIN}); the signature, ECDSA P-256
 *       SHA-256 over the exact UTF-8 text as 64 bytes r||s ({@link Failure#BAD_SIGNATURE});
 *   <li>the PCK CRL issuer chain, the same way, with a CA as signer;
 *   <li>the CRLs: exactly one DER encoding each, no critical extensions
 *       ({@link Failure#MALFORMED_EVIDENCE}); the root CRL issued and signed by the root, the
 *       PCK CRL by the PCK CA ({@link Failure#BAD_SIGNATURE});
 *   <li>TCB info and QE identity content ({@link Failure#MALFORMED_EVIDENCE}), read only once
 *       its signature has verified;
 *   <li>at {@code now}: TCB info and QE identity within issueDate..nextUpdate, both CRLs within
 *       thisUpdate..nextUpdate ({@link Failure#COLLATERAL_EXPIRED});
 *   <li>every certificate within its validity ({@link Failure#EXPIRED},
 *       {@link Failure#NOT_YET_VALID}); collateral expires long before Intel's certificates, so
 *       checking it first gives the more useful reason;
 *   <li>no signer certificate on the root CRL ({@link Failure#CERTIFICATE_REVOKED}).
 * </ol>
 *
 * <p>It does not look at any quote: matching the TCB info to a platform is {@link TcbEvaluator}'s
 * job and revocation of a PCK certificate is {@link VerifiedCollateral#checkPckChain}'s.
 */
public final class CollateralVerifier {
  private static final String ECDSA_SHA256_OID = "1.2.840.10045.4.3.2";
  private static final Set<String> UNDERSTOOD_CRITICAL = Set.of("2.5.29.15", "2.5.29.19");
  private static final String TCB_SIGNING_CN = "Intel SGX TCB Signing";
  private static final int P256_SIGNATURE_BYTES = 64;
  private static final int DIGITAL_SIGNATURE = 0;
  private static final int CRL_SIGN = 6;

  private final X509Certificate root;

  /**
   * A verifier trusting exactly this root, normally the Intel SGX Root CA.
   *
   * @throws IllegalArgumentException if the root is not a self-signed ECDSA P-256 certificate
   */
  public CollateralVerifier(X509Certificate root) {
    this.root = Objects.requireNonNull(root, "root");
    try {
      if (KeyAlgorithm.of(root.getPublicKey()) != KeyAlgorithm.ECC_256) {
        throw new IllegalArgumentException("the root's key is not ECDSA P-256");
      }
      checkSignedBy(root, root, "root");
    } catch (CryptoException | VerificationException e) {
      throw new IllegalArgumentException("not a usable self-signed root: " + e.getMessage(), e);
    }
  }

  /**
   * Verifies collateral at {@code now}; see the class comment for the checks and their
   * failures.
   */
  public VerifiedCollateral verify(QuoteCollateral collateral, Instant now)
      throws VerificationException {
    Objects.requireNonNull(collateral, "collateral");
    Objects.requireNonNull(now, "now");
    X509Certificate tcbSigner = checkSignedText(collateral.tcbInfoIssuerChain(),
        collateral.tcbInfo(), collateral.tcbInfoSignature(), "TCB info");
    X509Certificate qeSigner = checkSignedText(collateral.qeIdentityIssuerChain(),
        collateral.qeIdentity(), collateral.qeIdentitySignature(), "QE identity");
    X509Certificate pckCa = checkChain(chain(collateral.pckCrlIssuerChain(), "PCK CRL"),
        "PCK CRL");
    boolean[] keyUsage = pckCa.getKeyUsage();
    if (pckCa.getBasicConstraints() < 0 || keyUsage != null && !keyUsage[CRL_SIGN]) {
      throw new VerificationException(Failure.BAD_CERTIFICATE_CHAIN,
          "the PCK CRL issuer is not a CA that signs CRLs");
    }
    X509CRL rootCrl = crl(collateral.rootCaCrl(), "root CA");
    X509CRL pckCrl = crl(collateral.pckCrl(), "PCK");
    checkCrlSignedBy(rootCrl, root, "root CA");
    checkCrlSignedBy(pckCrl, pckCa, "PCK");

    TcbInfo tcbInfo = TcbInfo.parse(collateral.tcbInfo());
    EnclaveIdentity qeIdentity = EnclaveIdentity.parse(collateral.qeIdentity());

    checkWindow(tcbInfo.issueDate(), Optional.of(tcbInfo.nextUpdate()), now, "the TCB info");
    checkWindow(qeIdentity.issueDate(), Optional.of(qeIdentity.nextUpdate()), now,
        "the QE identity");
    checkWindow(rootCrl.getThisUpdate().toInstant(),
        Optional.ofNullable(rootCrl.getNextUpdate()).map(Date::toInstant), now, "the root CRL");
    checkWindow(pckCrl.getThisUpdate().toInstant(),
        Optional.ofNullable(pckCrl.getNextUpdate()).map(Date::toInstant), now, "the PCK CRL");

    for (X509Certificate cert : List.of(root, tcbSigner, qeSigner, pckCa)) {
      checkValidity(cert, now);
    }
    for (X509Certificate cert : List.of(tcbSigner, qeSigner, pckCa)) {
      if (rootCrl.isRevoked(cert)) {
        throw new VerificationException(Failure.CERTIFICATE_REVOKED, "the certificate "
            + cert.getSubjectX500Principal().getName() + " is on the root CA's CRL");
      }
    }
    return new VerifiedCollateral(tcbInfo, qeIdentity, rootCrl, pckCrl, root, now);
  }

  /**
   * Checks a document Intel signs with its TCB signing key (TCB info, enclave identity): the
   * issuer chain [TCB signing certificate, root] and the r||s signature over the exact text.
   * Returns the signing certificate; times and revocation are left to the caller.
   */
  X509Certificate checkSignedText(String issuerChainPem, String text, ByteString signature,
      String what) throws VerificationException {
    X509Certificate signer = checkChain(chain(issuerChainPem, what), what);
    checkTcbSigner(signer, what);
    checkSignature(signer, text, signature, what);
    return signer;
  }

  private static List<X509Certificate> chain(String pem, String what)
      throws VerificationException {
    try {
      return Certificates.parsePem(pem);
    } catch (CryptoException e) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE,
          "the " + what + " issuer chain is not PEM certificates", e);
    }
  }

  private static X509CRL crl(ByteString der, String what) throws VerificationException {
    byte[] bytes = der.toByteArray();
    X509CRL crl;
    try {
      if (!(CertificateFactory.getInstance("X.509")
          .generateCRL(new ByteArrayInputStream(bytes)) instanceof X509CRL x509)) {
        throw new VerificationException(Failure.MALFORMED_EVIDENCE,
            "the " + what + " CRL is not an X.509 CRL");
      }
      crl = x509;
      // As for certificates: the JDK also reads Base64 and ignores trailing bytes.
      if (!Arrays.equals(crl.getEncoded(), bytes)) {
        throw new VerificationException(Failure.MALFORMED_EVIDENCE,
            "the " + what + " CRL is not exactly one DER encoding");
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE,
          "the " + what + " CRL is not DER X.509", e);
    }
    // RFC 5280 §5.2, §5.3: a CRL with a critical extension we do not process is unusable.
    Set<String> critical = crl.getCriticalExtensionOIDs();
    boolean criticalEntry = crl.getRevokedCertificates() != null
        && crl.getRevokedCertificates().stream().map(X509CRLEntry::getCriticalExtensionOIDs)
            .anyMatch(oids -> oids != null && !oids.isEmpty());
    if (critical != null && !critical.isEmpty() || criticalEntry) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE,
          "the " + what + " CRL has a critical extension");
    }
    return crl;
  }

  /** Checks [signer, root] and returns the signer. */
  private X509Certificate checkChain(List<X509Certificate> chain, String what)
      throws VerificationException {
    if (!VerifiedCollateral.sameEncoding(chain.get(chain.size() - 1), root)) {
      throw new VerificationException(Failure.UNTRUSTED_ROOT,
          "the " + what + " issuer chain does not end in the trusted root");
    }
    if (chain.size() != 2) {
      throw new VerificationException(Failure.BAD_CERTIFICATE_CHAIN, "the " + what
          + " issuer chain has " + chain.size() + " certificates, not signer and root");
    }
    X509Certificate signer = chain.get(0);
    Set<String> critical = signer.getCriticalExtensionOIDs();
    if (critical != null && !UNDERSTOOD_CRITICAL.containsAll(critical)) {
      throw new VerificationException(Failure.BAD_CERTIFICATE_CHAIN,
          "the " + what + " signer has an unknown critical extension");
    }
    checkSignedBy(signer, root, what + " signer");
    return signer;
  }

  private static void checkTcbSigner(X509Certificate signer, String what)
      throws VerificationException {
    Optional<String> cn;
    try {
      cn = Certificates.subjectAttribute(signer, "CN");
    } catch (CryptoException e) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE,
          "the " + what + " signer's name is malformed", e);
    }
    boolean[] keyUsage = signer.getKeyUsage();
    if (!cn.equals(Optional.of(TCB_SIGNING_CN)) || signer.getBasicConstraints() >= 0
        || keyUsage != null && !keyUsage[DIGITAL_SIGNATURE]) {
      throw new VerificationException(Failure.BAD_CERTIFICATE_CHAIN, "the " + what
          + " is not signed by the \"" + TCB_SIGNING_CN + "\" end-entity certificate");
    }
  }

  private static void checkSignedBy(X509Certificate cert, X509Certificate issuer, String what)
      throws VerificationException {
    if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      throw new VerificationException(Failure.BAD_CERTIFICATE_CHAIN, "the " + what
          + " certificate is issued by " + cert.getIssuerX500Principal().getName()
          + ", not by " + issuer.getSubjectX500Principal().getName());
    }
    if (!ECDSA_SHA256_OID.equals(cert.getSigAlgOID())) {
      throw new VerificationException(Failure.UNSUPPORTED_ALGORITHM,
          "the " + what + " certificate is not signed with ECDSA SHA-256");
    }
    try {
      cert.verify(issuer.getPublicKey());
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new VerificationException(Failure.BAD_CERTIFICATE_CHAIN,
          "the " + what + " certificate signature does not verify under its issuer's key", e);
    }
  }

  private static void checkCrlSignedBy(X509CRL crl, X509Certificate issuer, String what)
      throws VerificationException {
    if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      throw new VerificationException(Failure.BAD_SIGNATURE, "the " + what + " CRL is issued by "
          + crl.getIssuerX500Principal().getName() + ", not by "
          + issuer.getSubjectX500Principal().getName());
    }
    if (!ECDSA_SHA256_OID.equals(crl.getSigAlgOID())) {
      throw new VerificationException(Failure.UNSUPPORTED_ALGORITHM,
          "the " + what + " CRL is not signed with ECDSA SHA-256");
    }
    try {
      crl.verify(issuer.getPublicKey());
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new VerificationException(Failure.BAD_SIGNATURE,
          "the " + what + " CRL signature does not verify", e);
    }
  }

  private static void checkSignature(X509Certificate signer, String text, ByteString signature,
      String what) throws VerificationException {
    PublicKey key = signer.getPublicKey();
    try {
      if (KeyAlgorithm.of(key) != KeyAlgorithm.ECC_256) {
        throw new VerificationException(Failure.UNSUPPORTED_ALGORITHM,
            "the " + what + " signer's key is not ECDSA P-256");
      }
    } catch (CryptoException e) {
      throw new VerificationException(Failure.UNSUPPORTED_ALGORITHM,
          "the " + what + " signer's key is not ECDSA P-256", e);
    }
    if (signature.size() != P256_SIGNATURE_BYTES) {
      throw new VerificationException(Failure.BAD_SIGNATURE, "the " + what + " signature has "
          + signature.size() + " bytes, not r||s of " + P256_SIGNATURE_BYTES);
    }
    boolean valid;
    try {
      Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
      verifier.initVerify(key);
      verifier.update(text.getBytes(StandardCharsets.UTF_8));
      valid = verifier.verify(signature.toByteArray());
    } catch (SignatureException | RuntimeException e) {
      valid = false; // r or s zero or not below the group order
    } catch (InvalidKeyException e) {
      throw new VerificationException(Failure.UNSUPPORTED_ALGORITHM,
          "the " + what + " signer's key cannot verify ECDSA", e);
    } catch (NoSuchAlgorithmException e) {
      throw new VerificationException(Failure.INTERNAL_ERROR, "the JDK lacks ECDSA", e);
    }
    if (!valid) {
      throw new VerificationException(Failure.BAD_SIGNATURE,
          "the " + what + " signature does not verify");
    }
  }

  private static void checkWindow(Instant from, Optional<Instant> until, Instant now,
      String what) throws VerificationException {
    if (now.isBefore(from)) {
      throw new VerificationException(Failure.COLLATERAL_EXPIRED,
          what + " is issued " + from + ", after " + now);
    }
    if (until.isEmpty()) {
      throw new VerificationException(Failure.COLLATERAL_EXPIRED,
          what + " has no next update, so it cannot be known to be current");
    }
    if (now.isAfter(until.get())) {
      throw new VerificationException(Failure.COLLATERAL_EXPIRED,
          what + " expired " + until.get() + ", before " + now);
    }
  }

  private static void checkValidity(X509Certificate cert, Instant now)
      throws VerificationException {
    try {
      cert.checkValidity(Date.from(now));
    } catch (CertificateExpiredException e) {
      throw new VerificationException(Failure.EXPIRED, "the certificate "
          + cert.getSubjectX500Principal().getName() + " expired " + cert.getNotAfter().toInstant()
          + ", before " + now, e);
    } catch (CertificateNotYetValidException e) {
      throw new VerificationException(Failure.NOT_YET_VALID, "the certificate "
          + cert.getSubjectX500Principal().getName() + " is valid from "
          + cert.getNotBefore().toInstant() + ", after " + now, e);
    }
  }
}
