package org.certifier.verifiers.sevsnp;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.certifier.crypto.CryptoException;
import org.certifier.crypto.Certificates;
import org.certifier.crypto.KeyAlgorithm;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;

/**
 * Answers one question: did AMD sign this SEV-SNP report? A returned {@link SnpClaims} means
 * that, at the given time, the report's ECDSA P-384 signature verifies under the VCEK or VLEK
 * certificate; that certificate is signed by its product's ASK or ASVK, which is signed by the
 * ARK pinned in {@link AmdRoots}, which signs itself; all three are within their validity
 * periods; and the certificate vouches for the report's product, REPORTED_TCB and (VCEK only)
 * CHIP_ID. Every certificate signature is checked as RSASSA-PSS with SHA-384, MGF1-SHA-384
 * and a 48-byte salt, the only scheme AMD uses (KDS spec 57230).
 *
 * <p>With {@link SnpCrls} it also checks AMD's CRL for the product: signed by the pinned ARK
 * ({@link Failure#BAD_SIGNATURE} otherwise), current at the given time
 * ({@link Failure#COLLATERAL_EXPIRED}), and not listing the ASK or ASVK
 * ({@link Failure#CERTIFICATE_REVOKED}); with {@link SnpCrls#NONE} revocation is not checked.
 *
 * <p>It does not say whether the report is acceptable (debug policy, measurement, minimum
 * TCB...): that is {@link SnpExpectations}. It fetches no certificate: the caller supplies the
 * VCEK/VLEK certificate, as the reference's evidence package does.
 *
 * <p>Failures: {@link Failure#MALFORMED_EVIDENCE} for unreadable bytes,
 * {@link Failure#UNSUPPORTED_ALGORITHM} for a signature scheme other than AMD's,
 * {@link Failure#UNTRUSTED_ROOT} if the pinned ARK is not there,
 * {@link Failure#BAD_CERTIFICATE_CHAIN} if a certificate is not signed by its issuer,
 * {@link Failure#EXPIRED} or {@link Failure#NOT_YET_VALID} for a certificate outside its
 * validity, {@link Failure#TCB_MISMATCH} if the report describes another chip, product or TCB
 * than its certificate, and {@link Failure#BAD_SIGNATURE} if the report signature fails.
 */
public final class SnpVerifier {
  private static final String RSASSA_PSS_OID = "1.2.840.113549.1.1.10";
  private static final PSSParameterSpec AMD_PSS = new PSSParameterSpec(
      "SHA-384", "MGF1", MGF1ParameterSpec.SHA384, 48, PSSParameterSpec.TRAILER_FIELD_BC);
  private static final String KEY_USAGE_OID = "2.5.29.15";
  private static final String BASIC_CONSTRAINTS_OID = "2.5.29.19";
  private static final Set<String> UNDERSTOOD_CRITICAL = Set.of(KEY_USAGE_OID,
      BASIC_CONSTRAINTS_OID);
  private static final int DIGITAL_SIGNATURE = 0;
  private static final int KEY_CERT_SIGN = 5;
  private static final int P384_BYTES = 48;

  private final AmdRoots roots;
  private final SnpCrls crls;

  /**
   * A verifier trusting the given AMD roots, usually {@link AmdRoots#embedded()}, that does not
   * check revocation.
   */
  public SnpVerifier(AmdRoots roots) {
    this(roots, SnpCrls.NONE);
  }

  /** A verifier trusting the given AMD roots that checks revocation with AMD's CRLs. */
  public SnpVerifier(AmdRoots roots, SnpCrls crls) {
    this.roots = Objects.requireNonNull(roots, "roots");
    this.crls = Objects.requireNonNull(crls, "crls");
  }

  /**
   * Verifies a report against its VCEK or VLEK certificate, with the ASK or ASVK taken from
   * this verifier's roots.
   *
   * @param report the 0x4A0-byte ATTESTATION_REPORT
   * @param endorsementKeyCertificate the DER VCEK or VLEK certificate
   * @param at the time at which every certificate must be valid
   * @throws VerificationException see the class comment for the failures
   */
  public SnpClaims verify(byte[] report, byte[] endorsementKeyCertificate, Instant at)
      throws VerificationException {
    return verify(report, endorsementKeyCertificate, Optional.empty(), at);
  }

  /**
   * Verifies a report against its VCEK or VLEK certificate and the ASK or ASVK that the
   * evidence brought along; the ASK/ASVK must itself be signed by the pinned ARK.
   *
   * @param report the 0x4A0-byte ATTESTATION_REPORT
   * @param endorsementKeyCertificate the DER VCEK or VLEK certificate
   * @param intermediateCertificate the DER ASK (for a VCEK) or ASVK (for a VLEK)
   * @param at the time at which every certificate must be valid
   * @throws VerificationException see the class comment for the failures
   */
  public SnpClaims verify(byte[] report, byte[] endorsementKeyCertificate,
      byte[] intermediateCertificate, Instant at) throws VerificationException {
    Objects.requireNonNull(intermediateCertificate, "intermediateCertificate");
    return verify(report, endorsementKeyCertificate, Optional.of(intermediateCertificate), at);
  }

  private SnpClaims verify(byte[] reportBytes, byte[] endorsementKeyCertificate,
      Optional<byte[]> intermediateCertificate, Instant at) throws VerificationException {
    Objects.requireNonNull(reportBytes, "report");
    Objects.requireNonNull(endorsementKeyCertificate, "endorsementKeyCertificate");
    Objects.requireNonNull(at, "at");
    SnpReport report = SnpReport.parse(reportBytes);
    if (report.signatureAlgo() != SnpLayout.SIGNATURE_ALGO_ECDSA_P384_SHA384) {
      throw new VerificationException(Failure.UNSUPPORTED_ALGORITHM, "SIGNATURE_ALGO "
          + Integer.toUnsignedString(report.signatureAlgo()) + " is not ECDSA P-384 SHA-384");
    }
    if (report.signingKey() == SigningKey.NONE) {
      throw new VerificationException(Failure.BAD_SIGNATURE,
          "the report says the firmware did not sign it");
    }
    EndorsementKey key = verifyEndorsementKey(endorsementKeyCertificate,
        intermediateCertificate, at);
    if (report.signingKey() != key.kind()) {
      throw new VerificationException(Failure.BAD_CERTIFICATE_CHAIN, "the report names the "
          + report.signingKey() + " as its signer, but the certificate is a " + key.kind());
    }
    checkBindings(report, key);
    checkReportSignature(report, key.certificate().getPublicKey());
    return SnpClaims.of(report, key.product());
  }

  /**
   * Checks that AMD certified a VCEK or VLEK: ARK pinned and self-signed, ASK/ASVK signed by the
   * ARK and not revoked (if CRLs are checked), the key's certificate signed by the ASK/ASVK,
   * each valid at {@code at}.
   */
  EndorsementKey verifyEndorsementKey(byte[] certificate, Optional<byte[]> intermediate,
      Instant at) throws VerificationException {
    X509Certificate leaf = parse(certificate, "endorsement key");
    EndorsementKey key = EndorsementKey.read(leaf);
    AmdRoots.ProductRoots productRoots = roots.forProduct(key.product());
    X509Certificate ark = productRoots.ark();
    X509Certificate signer = intermediate.isPresent()
        ? parse(intermediate.get(), "ASK/ASVK")
        : key.kind() == SigningKey.VCEK ? productRoots.ask() : productRoots.asvk();

    checkCertificateAuthority(ark, "ARK");
    checkSignedBy(ark, ark, "ARK");
    checkValidity(ark, "ARK", at);
    checkCertificateAuthority(signer, "ASK/ASVK");
    checkSignedBy(signer, ark, "ASK/ASVK");
    checkValidity(signer, "ASK/ASVK", at);
    Optional<byte[]> crl = crls.crl(key.product(), key.kind());
    if (crl.isPresent()) {
      AmdCrlCheck.check(crl.get(), ark, signer, key.kind() == SigningKey.VCEK ? "ASK" : "ASVK",
          key.product(), at);
    }
    checkCriticalExtensions(leaf, key.kind().name());
    boolean[] keyUsage = leaf.getKeyUsage();
    if (keyUsage != null && !keyUsage[DIGITAL_SIGNATURE]) {
      throw new VerificationException(Failure.BAD_CERTIFICATE_CHAIN,
          "the " + key.kind() + " certificate does not allow signatures");
    }
    checkSignedBy(leaf, signer, key.kind().name());
    checkValidity(leaf, key.kind().name(), at);
    return key;
  }

  /**
   * The certificate must describe the chip and TCB that produced the report; otherwise the
   * signature could come from a VCEK of another chip or of a TCB the firmware never ran.
   */
  private static void checkBindings(SnpReport report, EndorsementKey key)
      throws VerificationException {
    SnpProduct product = key.product();
    if (report.cpuid().isPresent() && report.cpuid().get().familyId() != product.cpuidFamily()) {
      throw new VerificationException(Failure.TCB_MISMATCH, String.format(
          "the report comes from CPU family 0x%x, the %s from %s (family 0x%x)",
          report.cpuid().get().familyId(), key.kind(), product.kdsName(), product.cpuidFamily()));
    }
    if (!report.reportedTcb().equals(key.tcb())) {
      throw new VerificationException(Failure.TCB_MISMATCH, "the report's REPORTED_TCB "
          + report.reportedTcb() + " (" + report.reportedTcb().layout() + ") is not the "
          + key.kind() + "'s TCB " + key.tcb() + " (" + key.tcb().layout() + ")");
    }
    // A masked CHIP_ID is zero and cannot be compared; the VCEK signature still binds the
    // report to the chip, since every chip derives its own VCEK.
    if (key.hwId().isPresent() && !report.maskChipKey()) {
      ByteString hwId = key.hwId().get();
      if (!report.chipId().substring(0, hwId.size()).equals(hwId)) {
        throw new VerificationException(Failure.TCB_MISMATCH,
            "the report's CHIP_ID is not the VCEK's hwID: the VCEK belongs to another chip");
      }
    }
  }

  private static void checkReportSignature(SnpReport report, PublicKey key)
      throws VerificationException {
    try {
      if (KeyAlgorithm.of(key) != KeyAlgorithm.ECC_384) {
        throw new VerificationException(Failure.UNSUPPORTED_ALGORITHM,
            "the endorsement key is not an ECDSA P-384 key");
      }
    } catch (CryptoException e) {
      throw new VerificationException(Failure.UNSUPPORTED_ALGORITHM,
          "the endorsement key is not an ECDSA P-384 key", e);
    }
    byte[] p1363 = new byte[2 * P384_BYTES];
    if (!fixedLength(report.signatureR(), p1363, 0)
        || !fixedLength(report.signatureS(), p1363, P384_BYTES)) {
      throw new VerificationException(Failure.BAD_SIGNATURE,
          "a report signature component is longer than P-384 allows");
    }
    boolean valid;
    try {
      Signature verifier = Signature.getInstance("SHA384withECDSAinP1363Format");
      verifier.initVerify(key);
      verifier.update(report.signedBytes().toByteArray());
      valid = verifier.verify(p1363);
    } catch (SignatureException | RuntimeException e) {
      valid = false; // e.g. r or s zero or not below the group order
    } catch (InvalidKeyException e) {
      throw new VerificationException(Failure.UNSUPPORTED_ALGORITHM,
          "the endorsement key cannot verify ECDSA", e);
    } catch (NoSuchAlgorithmException e) {
      throw new VerificationException(Failure.INTERNAL_ERROR, "the JDK lacks ECDSA", e);
    }
    if (!valid) {
      throw new VerificationException(Failure.BAD_SIGNATURE,
          "the report signature does not verify under the " + report.signingKey());
    }
  }

  /** Writes {@code value} big-endian into 48 bytes at {@code offset}, if it fits. */
  private static boolean fixedLength(BigInteger value, byte[] out, int offset) {
    if (value.bitLength() > 8 * P384_BYTES) {
      return false;
    }
    byte[] minimal = value.toByteArray(); // may carry one leading sign byte
    int length = Math.min(minimal.length, P384_BYTES);
    System.arraycopy(minimal, minimal.length - length, out, offset + P384_BYTES - length, length);
    return true;
  }

  private static X509Certificate parse(byte[] der, String what) throws VerificationException {
    try {
      return Certificates.parseDer(der);
    } catch (CryptoException e) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE,
          "the " + what + " certificate is not DER X.509", e);
    }
  }

  private static void checkCertificateAuthority(X509Certificate cert, String what)
      throws VerificationException {
    checkCriticalExtensions(cert, what);
    boolean[] keyUsage = cert.getKeyUsage();
    if (cert.getBasicConstraints() < 0 || keyUsage != null && !keyUsage[KEY_CERT_SIGN]) {
      throw new VerificationException(Failure.BAD_CERTIFICATE_CHAIN,
          "the " + what + " certificate is not a certificate authority");
    }
  }

  // RFC 5280 §4.2: a certificate with a critical extension the verifier does not process must
  // be rejected.
  private static void checkCriticalExtensions(X509Certificate cert, String what)
      throws VerificationException {
    Set<String> critical = cert.getCriticalExtensionOIDs();
    if (critical != null && !UNDERSTOOD_CRITICAL.containsAll(critical)) {
      throw new VerificationException(Failure.BAD_CERTIFICATE_CHAIN,
          "the " + what + " certificate has an unknown critical extension");
    }
  }

  private static void checkSignedBy(X509Certificate cert, X509Certificate issuer, String what)
      throws VerificationException {
    if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      throw new VerificationException(Failure.BAD_CERTIFICATE_CHAIN, "the " + what
          + " certificate is issued by " + cert.getIssuerX500Principal().getName()
          + ", not by " + issuer.getSubjectX500Principal().getName());
    }
    checkPssParameters(cert.getSigAlgOID(), cert.getSigAlgName(), cert.getSigAlgParams(),
        "the " + what + " certificate");
    if (!(issuer.getPublicKey() instanceof RSAPublicKey issuerKey)) {
      throw new VerificationException(Failure.UNSUPPORTED_ALGORITHM,
          "the issuer of the " + what + " certificate has no RSA key");
    }
    byte[] tbs;
    try {
      tbs = cert.getTBSCertificate();
    } catch (CertificateEncodingException e) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE,
          "the " + what + " certificate cannot be re-encoded", e);
    }
    if (!pssVerifies(issuerKey, tbs, cert.getSignature(), "the " + what + " certificate")) {
      throw new VerificationException(Failure.BAD_CERTIFICATE_CHAIN,
          "the " + what + " certificate signature does not verify under its issuer's key");
    }
  }

  /**
   * Whether {@code signature} over {@code signed} verifies under {@code key} with AMD's
   * RSASSA-PSS parameters; {@code what} names the signed object in errors.
   */
  static boolean pssVerifies(RSAPublicKey key, byte[] signed, byte[] signature, String what)
      throws VerificationException {
    try {
      Signature verifier = Signature.getInstance("RSASSA-PSS");
      verifier.setParameter(AMD_PSS);
      verifier.initVerify(key);
      verifier.update(signed);
      return verifier.verify(signature);
    } catch (SignatureException | RuntimeException e) {
      return false; // e.g. a signature longer than the modulus
    } catch (InvalidKeyException e) {
      throw new VerificationException(Failure.UNSUPPORTED_ALGORITHM,
          "the issuer key of " + what + " cannot verify RSASSA-PSS", e);
    } catch (GeneralSecurityException e) {
      throw new VerificationException(Failure.INTERNAL_ERROR, "the JDK lacks RSASSA-PSS", e);
    }
  }

  /**
   * A certificate or CRL must be signed with exactly AMD's RSASSA-PSS parameters; {@code what}
   * names it in errors, e.g. "the ASK certificate".
   */
  static void checkPssParameters(String sigAlgOid, String sigAlgName, byte[] encoded,
      String what) throws VerificationException {
    if (!RSASSA_PSS_OID.equals(sigAlgOid) || encoded == null) {
      throw new VerificationException(Failure.UNSUPPORTED_ALGORITHM,
          what + " is signed with " + sigAlgName + ", not RSASSA-PSS");
    }
    PSSParameterSpec spec;
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("RSASSA-PSS");
      parameters.init(encoded);
      spec = parameters.getParameterSpec(PSSParameterSpec.class);
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      // A decoder may report a malformed encoding as a runtime error; bad input never crashes.
      throw new VerificationException(Failure.MALFORMED_EVIDENCE,
          what + " has malformed RSASSA-PSS parameters", e);
    }
    boolean amd = sameDigest(spec.getDigestAlgorithm(), AMD_PSS.getDigestAlgorithm())
        && "MGF1".equalsIgnoreCase(spec.getMGFAlgorithm())
        && spec.getMGFParameters() instanceof MGF1ParameterSpec mgf
        && sameDigest(mgf.getDigestAlgorithm(), MGF1ParameterSpec.SHA384.getDigestAlgorithm())
        && spec.getSaltLength() == AMD_PSS.getSaltLength()
        && spec.getTrailerField() == PSSParameterSpec.TRAILER_FIELD_BC;
    if (!amd) {
      throw new VerificationException(Failure.UNSUPPORTED_ALGORITHM,
          what + " uses RSASSA-PSS parameters other than SHA-384, MGF1-SHA-384, salt 48");
    }
  }

  // The JDK names digests "SHA-384" but accepts "SHA384"; compare the names, not the spelling.
  private static boolean sameDigest(String a, String b) {
    return normalize(a).equals(normalize(b));
  }

  private static String normalize(String digest) {
    return digest.replace("-", "").toUpperCase(Locale.ROOT);
  }

  private static void checkValidity(X509Certificate cert, String what, Instant at)
      throws VerificationException {
    try {
      cert.checkValidity(Date.from(at));
    } catch (CertificateExpiredException e) {
      throw new VerificationException(Failure.EXPIRED, "the " + what + " certificate expired "
          + cert.getNotAfter().toInstant() + ", before " + at, e);
    } catch (CertificateNotYetValidException e) {
      throw new VerificationException(Failure.NOT_YET_VALID, "the " + what
          + " certificate is valid from " + cert.getNotBefore().toInstant() + ", after " + at, e);
    }
  }
}
