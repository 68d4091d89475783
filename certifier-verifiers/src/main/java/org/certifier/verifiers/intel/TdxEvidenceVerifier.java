package org.certifier.verifiers.intel;

import java.time.Instant;
import org.certifier.evidence.EvidenceVerifier;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.evidence.VerifiedEvidence;
import org.certifier.proto.evidence_package;
import org.certifier.proto.tdx_attestation_message;
import org.certifier.verifiers.collateral.CollateralSource;
import org.certifier.verifiers.dcap.IntelRoots;
import org.certifier.verifiers.dcap.TdReportBody;
import org.certifier.verifiers.dcap.TeeType;

/**
 * Verifies {@code tdx-evidence}, the evidence of an Intel TDX trust domain (ours; the reference
 * has no TDX, and the shape follows its other platforms, docs/platforms.md): exactly one item,
 * {@code tdx-attestation}, a serialized {@code tdx_attestation_message{what_was_said,
 * reported_attestation}} whose quote (version 4 or 5, carrying its PCK chain) binds
 * {@code what_was_said}, a serialized {@code attestation_user_data} naming the enclave key.
 *
 * <p>Checked, in this order, each with its own failure: one item of type
 * {@value #ATTESTATION_ITEM}, not empty, parsing strictly with both fields
 * ({@link Failure#MALFORMED_EVIDENCE}); the quote is a TDX quote
 * ({@link Failure#UNSUPPORTED_EVIDENCE_TYPE}); the quote, its PCK chain to the pinned Intel root,
 * the collateral from the verifier's {@link CollateralSource} with the CRLs and Intel's graded
 * TCB ({@link org.certifier.verifiers.dcap.DcapAppraisal}: its failures, e.g.
 * {@link Failure#CERTIFICATE_REVOKED}, {@link Failure#COLLATERAL_UNAVAILABLE}); the TCB level is
 * not revoked ({@link Failure#TCB_STATUS_NOT_ACCEPTED}); REPORTDATA, all 64 bytes, is
 * SHA-384({@code what_was_said}) followed by 16 zero bytes ({@link Failure#REPORT_DATA_MISMATCH});
 * the user data names a public enclave key and the enclave type {@value #ENCLAVE_TYPE}.
 *
 * <p>Proved statements, keys taken from the quote's verified PCK chain and named by their CN:
 * <pre>
 * Intel SGX Root CA says PCK CA is-trusted-for-attestation
 * PCK CA says PCK is-trusted-for-attestation
 * PCK says environment[platform, MRTD] is-environment
 * PCK says enclaveKey speaks-for environment[platform, MRTD]
 * </pre>
 * with the platform of {@link IntelProperties#tdx}. Whether the root, MRTD and the platform
 * (debug, TCB status, advisories, minimum TCB, RTMRs, ...) are trusted is the policy's
 * business: {@code policyKey says IntelRoot is-trusted-for-attestation}, {@code policyKey says
 * Measurement[MRTD] is-trusted} and a {@code platform[intel-tdx, ...]
 * has-trusted-platform-property} template. A template that says nothing about {@code debug},
 * {@code tcb-status} or {@code advisory-ids} refuses debuggable TDs, any status but UpToDate
 * and any advisory (docs/policy.md).
 */
public final class TdxEvidenceVerifier implements EvidenceVerifier {
  public static final String EVIDENCE_TYPE = "tdx-evidence";
  /** The enclave type TDX clients attest. */
  public static final String ENCLAVE_TYPE = "tdx-enclave";
  static final String ATTESTATION_ITEM = "tdx-attestation";

  private final DcapEvidence dcap;

  /**
   * A verifier trusting {@code roots} ({@link IntelRoots#embedded()} in production) that takes
   * Intel's collateral from {@code collateral}; without it, every quote fails with
   * {@link Failure#COLLATERAL_UNAVAILABLE}.
   */
  public TdxEvidenceVerifier(IntelRoots roots, CollateralSource collateral)
      throws VerificationException {
    this.dcap = new DcapEvidence(roots, collateral, new DcapEvidence.Binding(TeeType.TDX,
        "SHA-384", ENCLAVE_TYPE, IntelProperties::tdx,
        result -> ((TdReportBody) result.quote().body()).mrTd()));
  }

  @Override
  public String evidenceType() {
    return EVIDENCE_TYPE;
  }

  @Override
  public VerifiedEvidence verify(evidence_package pkg, Instant now)
      throws VerificationException {
    byte[] attestation = DcapEvidence.items(pkg, EVIDENCE_TYPE, ATTESTATION_ITEM).get(0);
    return dcap.verify(tdx_attestation_message.parser(), attestation, ATTESTATION_ITEM, now);
  }
}
