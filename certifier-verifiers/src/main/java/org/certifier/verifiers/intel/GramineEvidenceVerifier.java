package org.certifier.verifiers.intel;

import java.time.Instant;
import java.util.List;
import org.certifier.crypto.Certificates;
import org.certifier.crypto.CryptoException;
import org.certifier.evidence.EvidenceVerifier;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.evidence.VerifiedEvidence;
import org.certifier.proto.evidence_package;
import org.certifier.proto.gramine_attestation_message;
import org.certifier.verifiers.collateral.CollateralSource;
import org.certifier.verifiers.dcap.EnclaveReportBody;
import org.certifier.verifiers.dcap.IntelRoots;
import org.certifier.verifiers.dcap.TeeType;

/**
 * Verifies {@code gramine-evidence}, the reference's evidence of an SGX enclave under Gramine,
 * exactly as its clients send it (reference-certifier.md §3.7.5, §6.2): two items,
 * {@code cert} (the platform certificate given to {@code initialize_gramine_enclave}, DER),
 * then {@code gramine-attestation}, a serialized {@code gramine_attestation_message{
 * what_was_said, reported_attestation}} whose SGX quote (version 3, carrying its PCK chain)
 * binds {@code what_was_said}.
 *
 * <p>Checked, in this order, each with its own failure: two items of these types, not empty,
 * the first a DER X.509 certificate, the second parsing strictly with both fields
 * ({@link Failure#MALFORMED_EVIDENCE}); then as {@link TdxEvidenceVerifier}, for an SGX quote:
 * its TEE type, the DCAP appraisal with the verifier's collateral source, a TCB level Intel has
 * not revoked, REPORT_DATA (all 64 bytes) is SHA-256({@code what_was_said}) followed by 32 zero
 * bytes (the reference compared all 64 as well), the user data names a public key and the
 * enclave type {@value #ENCLAVE_TYPE}.
 *
 * <p>Proved statements: as for TDX, with the platform of {@link IntelProperties#sgx} and
 * MRENCLAVE as the measurement; the policy trusts Intel's root, MRENCLAVE and an
 * {@code platform[sgx, ...]} template.
 *
 * <p>The platform certificate is checked to be a certificate and then not used. The reference
 * required the policy to trust its subject key K for attestation and turned the certificate
 * into {@code issuer says K is-trusted-for-attestation}, but nothing ties K to the quote: any
 * client can send any certificate, so that gate decided nothing (§3.7.5: "the platform-key
 * statements are a gate only"). What the enclave is and runs on is decided by Intel's signature
 * chain, MRENCLAVE and the platform properties alone. A reference Gramine policy (K and
 * MRENCLAVE trusted) therefore needs two more statements here: Intel's root trusted for
 * attestation and an {@code sgx} platform template; without the template nothing would decide
 * debugging and the TCB status, which the reference never checked (its own test quote is a
 * debug enclave, and it accepted OutOfDate-ConfigurationNeeded platforms).
 */
public final class GramineEvidenceVerifier implements EvidenceVerifier {
  public static final String EVIDENCE_TYPE = "gramine-evidence";
  /** The enclave type Gramine clients attest (§4.3). */
  public static final String ENCLAVE_TYPE = "gramine-enclave";
  static final String CERT_ITEM = "cert";
  static final String ATTESTATION_ITEM = "gramine-attestation";

  private final DcapEvidence dcap;

  /**
   * A verifier trusting {@code roots} ({@link IntelRoots#embedded()} in production) that takes
   * Intel's collateral from {@code collateral}.
   */
  public GramineEvidenceVerifier(IntelRoots roots, CollateralSource collateral)
      throws VerificationException {
    this.dcap = new DcapEvidence(roots, collateral, new DcapEvidence.Binding(TeeType.SGX,
        "SHA-256", ENCLAVE_TYPE, IntelProperties::sgx,
        result -> ((EnclaveReportBody) result.quote().body()).mrEnclave()));
  }

  @Override
  public String evidenceType() {
    return EVIDENCE_TYPE;
  }

  @Override
  public VerifiedEvidence verify(evidence_package pkg, Instant now)
      throws VerificationException {
    List<byte[]> items = DcapEvidence.items(pkg, EVIDENCE_TYPE, CERT_ITEM, ATTESTATION_ITEM);
    try {
      Certificates.parseDer(items.get(0));
    } catch (CryptoException e) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE,
          "evidence item 0 is not a DER X.509 certificate", e);
    }
    return dcap.verify(gramine_attestation_message.parser(), items.get(1), ATTESTATION_ITEM,
        now);
  }
}
