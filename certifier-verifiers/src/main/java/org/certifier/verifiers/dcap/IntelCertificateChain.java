package org.certifier.verifiers.dcap;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.certifier.crypto.CryptoException;
import org.certifier.crypto.Certificates;
import org.certifier.crypto.KeyAlgorithm;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;

/**
 * Verifies a certificate chain that Intel issued under the Intel SGX Root CA: a PCK chain (PCK
 * certificate, PCK Platform or Processor CA, root) or a collateral signing chain. Intel signs
 * every certificate of these chains with ECDSA P-256 and SHA-256 (Intel, "SGX PCK Certificate
 * and Certificate Revocation List Profile Specification"), so no other scheme is accepted.
 *
 * <p>Revocation is not checked here: the caller gets the ordered chain and checks it against
 * Intel's CRLs, which are collateral.
 */
public final class IntelCertificateChain {
  private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
  private static final String KEY_USAGE_OID = "2.5.29.15";
  private static final String BASIC_CONSTRAINTS_OID = "2.5.29.19";
  private static final Set<String> UNDERSTOOD_CRITICAL = Set.of(KEY_USAGE_OID,
      BASIC_CONSTRAINTS_OID);
  private static final int DIGITAL_SIGNATURE = 0;
  private static final int KEY_CERT_SIGN = 5;
  private static final String PEM_BEGIN = "-----BEGIN CERTIFICATE-----";
  private static final String PEM_END = "-----END CERTIFICATE-----";

  private IntelCertificateChain() {}

  /**
   * Reads a PEM certificate chain as Intel's QE and PCS deliver it: certificate blocks
   * separated by whitespace, optionally followed by one NUL byte (the QE writes a C string).
   * Text of any other kind is refused, since nothing signs it.
   *
   * @throws VerificationException {@link Failure#MALFORMED_EVIDENCE} if it is anything else
   */
  public static List<X509Certificate> parsePem(byte[] pem) throws VerificationException {
    Objects.requireNonNull(pem, "pem");
    int length = pem.length > 0 && pem[pem.length - 1] == 0 ? pem.length - 1 : pem.length;
    String text = new String(pem, 0, length, StandardCharsets.ISO_8859_1);
    if (!onlyCertificateBlocks(text)) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE,
          "the certificate chain is not PEM certificates and nothing else");
    }
    try {
      return Certificates.parsePem(text);
    } catch (CryptoException e) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE,
          "the certificate chain does not parse: " + e.getMessage(), e);
    }
  }

  /** True if the text is certificate blocks separated by whitespace, and at least one. */
  private static boolean onlyCertificateBlocks(String text) {
    int i = skipWhitespace(text, 0);
    if (i == text.length()) {
      return false;
    }
    while (i < text.length()) {
      if (!text.startsWith(PEM_BEGIN, i)) {
        return false;
      }
      int end = text.indexOf(PEM_END, i + PEM_BEGIN.length());
      if (end < 0) {
        return false;
      }
      for (int j = i + PEM_BEGIN.length(); j < end; j++) {
        char c = text.charAt(j);
        boolean base64 = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
            || c == '+' || c == '/' || c == '=';
        if (!base64 && !Character.isWhitespace(c)) {
          return false;
        }
      }
      i = skipWhitespace(text, end + PEM_END.length());
    }
    return true;
  }

  private static int skipWhitespace(String text, int from) {
    int i = from;
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  /**
   * Orders a chain from its leaf, the first certificate, to the trusted root by issuer and
   * subject names, and verifies it: the top certificate is the root of {@code roots} byte for
   * byte, every certificate is signed by the next with ECDSA P-256 SHA-256, the issuers are
   * certificate authorities allowed to issue at their depth, the leaf is not, and each is
   * valid at {@code now}. Every certificate given must be part of the chain.
   *
   * @return the chain, leaf first and root last
   * @throws VerificationException {@link Failure#BAD_CERTIFICATE_CHAIN} if the certificates do
   *     not link up or are not fit for their place; {@link Failure#UNTRUSTED_ROOT} if the chain
   *     ends in another root; {@link Failure#UNSUPPORTED_ALGORITHM} for a signature that is
   *     not ECDSA P-256 SHA-256; {@link Failure#EXPIRED} or {@link Failure#NOT_YET_VALID} if a
   *     certificate is not valid at {@code now}
   */
  public static List<X509Certificate> verify(List<X509Certificate> certificates,
      IntelRoots roots, Instant now) throws VerificationException {
    Objects.requireNonNull(certificates, "certificates");
    Objects.requireNonNull(roots, "roots");
    Objects.requireNonNull(now, "now");
    X509Certificate trusted = roots.root();
    List<X509Certificate> path = order(certificates);
    X509Certificate top = path.get(path.size() - 1);
    if (!sameEncoding(top, trusted)) {
      throw new VerificationException(Failure.UNTRUSTED_ROOT, "the chain ends in "
          + top.getSubjectX500Principal().getName() + ", which is not the trusted Intel root");
    }
    for (int i = path.size() - 1; i >= 0; i--) {
      X509Certificate cert = path.get(i);
      X509Certificate issuer = i == path.size() - 1 ? cert : path.get(i + 1);
      String what = i == 0 ? "leaf" : i == path.size() - 1 ? "root" : "intermediate";
      checkCriticalExtensions(cert, what);
      if (i > 0) {
        checkCertificateAuthority(cert, what, i - 1);
      } else {
        checkEndEntity(cert);
      }
      checkSignedBy(cert, issuer, what);
      checkValidity(cert, what, now);
    }
    return List.copyOf(path);
  }

  /** Leaf first, then each certificate's issuer by name, up to a self-issued certificate. */
  private static List<X509Certificate> order(List<X509Certificate> certificates)
      throws VerificationException {
    if (certificates.isEmpty()) {
      throw new VerificationException(Failure.BAD_CERTIFICATE_CHAIN, "the chain is empty");
    }
    List<X509Certificate> rest = new ArrayList<>(certificates.subList(1, certificates.size()));
    List<X509Certificate> path = new ArrayList<>();
    X509Certificate current = certificates.get(0);
    path.add(current);
    while (!current.getIssuerX500Principal().equals(current.getSubjectX500Principal())) {
      X509Certificate issuer = null;
      for (X509Certificate candidate : rest) {
        if (candidate.getSubjectX500Principal().equals(current.getIssuerX500Principal())) {
          if (issuer != null) {
            throw new VerificationException(Failure.BAD_CERTIFICATE_CHAIN, "the chain holds two "
                + "issuers named " + current.getIssuerX500Principal().getName());
          }
          issuer = candidate;
        }
      }
      if (issuer == null) {
        throw new VerificationException(Failure.BAD_CERTIFICATE_CHAIN, "the issuer "
            + current.getIssuerX500Principal().getName() + " is not in the chain");
      }
      rest.remove(issuer);
      path.add(issuer);
      current = issuer;
    }
    if (!rest.isEmpty()) {
      throw new VerificationException(Failure.BAD_CERTIFICATE_CHAIN,
          rest.size() + " certificates in the chain are not on the path to its root");
    }
    return path;
  }

  private static boolean sameEncoding(X509Certificate a, X509Certificate b)
      throws VerificationException {
    try {
      return MessageDigest.isEqual(a.getEncoded(), b.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE,
          "a certificate cannot be re-encoded", e);
    }
  }

  /** An issuer: a CA with keyCertSign whose path length allows {@code casBelow} CAs below. */
  private static void checkCertificateAuthority(X509Certificate cert, String what,
      int casBelow) throws VerificationException {
    boolean[] keyUsage = cert.getKeyUsage();
    if (cert.getBasicConstraints() < casBelow || keyUsage == null || !keyUsage[KEY_CERT_SIGN]) {
      throw new VerificationException(Failure.BAD_CERTIFICATE_CHAIN, "the " + what
          + " certificate " + cert.getSubjectX500Principal().getName()
          + " may not issue certificates at its place in the chain");
    }
  }

  private static void checkEndEntity(X509Certificate cert) throws VerificationException {
    boolean[] keyUsage = cert.getKeyUsage();
    if (cert.getBasicConstraints() != -1 || keyUsage != null && !keyUsage[DIGITAL_SIGNATURE]) {
      throw new VerificationException(Failure.BAD_CERTIFICATE_CHAIN,
          "the leaf certificate is a certificate authority or may not sign");
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
    if (!ECDSA_WITH_SHA256.equals(cert.getSigAlgOID()) || cert.getSigAlgParams() != null) {
      throw new VerificationException(Failure.UNSUPPORTED_ALGORITHM, "the " + what
          + " certificate is signed with " + cert.getSigAlgName() + ", not ECDSA with SHA-256");
    }
    PublicKey issuerKey = issuer.getPublicKey();
    requireP256(issuerKey, "the issuer of the " + what + " certificate");
    boolean valid;
    try {
      Signature verifier = Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(issuerKey);
      verifier.update(cert.getTBSCertificate());
      valid = verifier.verify(cert.getSignature());
    } catch (SignatureException | RuntimeException e) {
      valid = false; // an undecodable signature is not a valid one
    } catch (CertificateEncodingException e) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE,
          "the " + what + " certificate cannot be re-encoded", e);
    } catch (InvalidKeyException e) {
      throw new VerificationException(Failure.UNSUPPORTED_ALGORITHM,
          "the issuer key of the " + what + " certificate cannot verify ECDSA", e);
    } catch (NoSuchAlgorithmException e) {
      throw new VerificationException(Failure.INTERNAL_ERROR, "the JDK lacks ECDSA", e);
    }
    if (!valid) {
      throw new VerificationException(Failure.BAD_CERTIFICATE_CHAIN,
          "the " + what + " certificate signature does not verify under its issuer's key");
    }
  }

  /** The key must be an EC key on P-256, the only curve Intel's DCAP certificates use. */
  static void requireP256(PublicKey key, String whose) throws VerificationException {
    try {
      if (KeyAlgorithm.of(key) == KeyAlgorithm.ECC_256) {
        return;
      }
    } catch (CryptoException e) {
      throw new VerificationException(Failure.UNSUPPORTED_ALGORITHM,
          whose + " has no ECDSA P-256 key", e);
    }
    throw new VerificationException(Failure.UNSUPPORTED_ALGORITHM,
        whose + " has no ECDSA P-256 key");
  }

  private static void checkValidity(X509Certificate cert, String what, Instant now)
      throws VerificationException {
    try {
      cert.checkValidity(Date.from(now));
    } catch (CertificateExpiredException e) {
      throw new VerificationException(Failure.EXPIRED, "the " + what + " certificate expired "
          + cert.getNotAfter().toInstant() + ", before " + now, e);
    } catch (CertificateNotYetValidException e) {
      throw new VerificationException(Failure.NOT_YET_VALID, "the " + what
          + " certificate is valid from " + cert.getNotBefore().toInstant() + ", after " + now,
          e);
    }
  }
}
