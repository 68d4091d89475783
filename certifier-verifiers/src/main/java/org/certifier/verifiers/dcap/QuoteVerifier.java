package org.certifier.verifiers.dcap;

import com.google.protobuf.ByteString;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;

/**
 * Answers one question: did an Intel quoting enclave, on a platform Intel certified, sign this
 * SGX or TDX quote? A returned {@link VerifiedQuote} means that, at the given time:
 *
 * <ol>
 *   <li>the quote parses ({@link Quote#parse}) and comes from Intel's QE (QE_VENDOR_ID);
 *   <li>the PCK chain in the quote is exactly PCK certificate, PCK Platform or Processor CA,
 *       and the pinned Intel SGX Root CA, each signed by the next and valid
 *       ({@link IntelCertificateChain#verify});
 *   <li>the PCK certificate carries well-formed SGX Extensions ({@link PckExtensions});
 *   <li>the QE report is signed by the PCK key;
 *   <li>the QE report binds the attestation key: its REPORTDATA is SHA-256(attestation key ||
 *       QE authentication data) followed by 32 zero bytes;
 *   <li>the quote's header and body are signed by that attestation key.
 * </ol>
 *
 * <p>It does not say whether the platform's TCB is current, whether the QE is one Intel still
 * trusts, or whether a certificate was revoked: those need Intel's collateral (TCB info, QE
 * identity, CRLs) and are graded separately. Nor does it judge the enclave or TD (debug mode,
 * measurements, REPORTDATA): that is policy.
 *
 * <p>Failures: {@link Failure#MALFORMED_EVIDENCE} for unreadable bytes,
 * {@link Failure#UNSUPPORTED_ALGORITHM} for a key or signature scheme other than ECDSA P-256,
 * {@link Failure#UNSUPPORTED_EVIDENCE_TYPE} for a quote of another QE vendor or without a PCK
 * chain, {@link Failure#BAD_CERTIFICATE_CHAIN} if the PCK chain does not link up,
 * {@link Failure#UNTRUSTED_ROOT} if it ends in another root, {@link Failure#EXPIRED} or
 * {@link Failure#NOT_YET_VALID} for a certificate outside its validity,
 * {@link Failure#BAD_SIGNATURE} if the QE report or quote signature fails, and
 * {@link Failure#REPORT_DATA_MISMATCH} if the QE report does not bind the attestation key.
 */
public final class QuoteVerifier {
  /** Intel's PCK hierarchy: PCK certificate, PCK Platform or Processor CA, root. */
  private static final int PCK_CHAIN_LENGTH = 3;

  private final IntelRoots roots;

  /** A verifier trusting the given Intel root, usually {@link IntelRoots#embedded()}. */
  public QuoteVerifier(IntelRoots roots) {
    this.roots = Objects.requireNonNull(roots, "roots");
  }

  /**
   * Verifies a quote with the PCK chain it carries.
   *
   * @param quote the quote bytes, version 3, 4 or 5
   * @param now the time at which every certificate must be valid
   * @throws VerificationException see the class comment for the failures
   */
  public VerifiedQuote verify(byte[] quote, Instant now) throws VerificationException {
    Objects.requireNonNull(quote, "quote");
    Objects.requireNonNull(now, "now");
    Quote parsed = Quote.parse(quote);
    if (!parsed.header().qeVendorId().equals(QuoteHeader.INTEL_QE_VENDOR_ID)) {
      throw new VerificationException(Failure.UNSUPPORTED_EVIDENCE_TYPE,
          "the quote comes from a quoting enclave that is not Intel's");
    }
    List<X509Certificate> certificates =
        IntelCertificateChain.parsePem(parsed.pckCertificationData().toByteArray());
    if (certificates.size() != PCK_CHAIN_LENGTH) {
      throw new VerificationException(Failure.BAD_CERTIFICATE_CHAIN, "the PCK chain has "
          + certificates.size() + " certificates, not " + PCK_CHAIN_LENGTH);
    }
    List<X509Certificate> chain = IntelCertificateChain.verify(certificates, roots, now);
    X509Certificate pck = chain.get(0);
    PckExtensions extensions = PckExtensions.read(pck);

    IntelCertificateChain.requireP256(pck.getPublicKey(), "the PCK certificate");
    if (!EcdsaP256.verify(pck.getPublicKey(), parsed.qeReportBytes(),
        parsed.qeReportSignature())) {
      throw new VerificationException(Failure.BAD_SIGNATURE,
          "the QE report signature does not verify under the PCK key");
    }
    checkAttestationKeyBinding(parsed);
    if (!EcdsaP256.verify(EcdsaP256.publicKey(parsed.attestationKey(), "the attestation key"),
        parsed.signedBytes(), parsed.signature())) {
      throw new VerificationException(Failure.BAD_SIGNATURE,
          "the quote signature does not verify under the attestation key");
    }
    return new VerifiedQuote(parsed, chain, extensions);
  }

  /**
   * The QE vouches for the attestation key by putting SHA-256(attestation key || QE
   * authentication data) into the first half of its REPORTDATA; the second half is zero (Intel
   * SGX ECDSA Quote Library API, A.4, "QE Report"). Without this check any key could sign.
   */
  private static void checkAttestationKeyBinding(Quote quote) throws VerificationException {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new VerificationException(Failure.INTERNAL_ERROR, "the JDK lacks SHA-256", e);
    }
    sha256.update(quote.attestationKey().toByteArray());
    sha256.update(quote.qeAuthData().toByteArray());
    ByteString expected = ByteString.copyFrom(sha256.digest())
        .concat(ByteString.copyFrom(new byte[QuoteLayout.SHA256_SIZE]));
    if (!quote.qeReport().reportData().equals(expected)) {
      throw new VerificationException(Failure.REPORT_DATA_MISMATCH, "the QE report does not "
          + "bind the attestation key: REPORTDATA is not SHA-256(key || auth data) || zeros");
    }
  }
}
