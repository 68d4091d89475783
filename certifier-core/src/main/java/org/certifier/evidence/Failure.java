package org.certifier.evidence;

/**
 * The closed set of reasons a certification or verification can fail. Tests assert on these
 * constants, never on message text; the wire carries the {@link #code()} so that a production
 * service reveals nothing else to the untrusted host (DESIGN.md §6).
 */
public enum Failure {
  /** Bytes do not parse as the expected message, or a required field is missing. */
  MALFORMED_EVIDENCE(Category.BAD_EVIDENCE),
  /** The evidence or request type is not one this verifier handles. */
  UNSUPPORTED_EVIDENCE_TYPE(Category.BAD_EVIDENCE),
  /** An algorithm label, key type or curve is unknown or does not fit the key. */
  UNSUPPORTED_ALGORITHM(Category.BAD_EVIDENCE),
  /** A signature does not verify under the key that is supposed to have made it. */
  BAD_SIGNATURE(Category.BAD_EVIDENCE),
  /** A certificate chain does not link up to its claimed issuer. */
  BAD_CERTIFICATE_CHAIN(Category.BAD_EVIDENCE),
  /** A vendor root certificate is not the one pinned in code (wrong or replaced trust anchor). */
  UNTRUSTED_ROOT(Category.BAD_EVIDENCE),
  /**
   * The evidence names a chip, product or TCB level other than the one its endorsement
   * certificate vouches for (e.g. an SEV-SNP report's CHIP_ID or REPORTED_TCB versus the VCEK).
   */
  TCB_MISMATCH(Category.BAD_EVIDENCE),
  /** A claim, report or certificate is not valid yet at the verification time. */
  NOT_YET_VALID(Category.BAD_EVIDENCE),
  /** A claim, report or certificate has expired at the verification time. */
  EXPIRED(Category.BAD_EVIDENCE),
  /** The attestation does not bind the data (key, nonce) it is claimed to bind. */
  REPORT_DATA_MISMATCH(Category.BAD_EVIDENCE),
  /** A vendor certificate in the chain (e.g. an Intel PCK or AMD VCEK) is on its issuer's CRL. */
  CERTIFICATE_REVOKED(Category.BAD_EVIDENCE),
  /** No TCB level in the vendor's TCB information matches the platform (unsupported TCB). */
  TCB_LEVEL_NOT_FOUND(Category.BAD_EVIDENCE),
  /** The platform's graded TCB status or its advisories are not among those the policy accepts. */
  TCB_STATUS_NOT_ACCEPTED(Category.REJECTED),
  /** The enclave or TD runs in debug mode and the policy does not explicitly allow debug. */
  DEBUG_NOT_ALLOWED(Category.REJECTED),
  /** The evidence is signed by a key that the policy does not trust for attestation. */
  UNTRUSTED_SIGNER(Category.REJECTED),
  /** The measured program is not one the policy trusts. */
  UNKNOWN_MEASUREMENT(Category.REJECTED),
  /** The platform's properties do not satisfy the policy (TCB, debug, SMT, ...). */
  PLATFORM_PROPERTY_MISMATCH(Category.REJECTED),
  /** The request asks for a purpose this service or policy does not grant. */
  WRONG_PURPOSE(Category.REJECTED),
  /** The key or measurement has been revoked by an operator. */
  REVOKED(Category.REJECTED),
  /** Statements were established but do not prove the goal under the policy. */
  PROOF_FAILED(Category.REJECTED),
  /** Collateral (vendor certificates, CRLs, TCB info) could not be obtained. */
  COLLATERAL_UNAVAILABLE(Category.COULD_NOT_CHECK),
  /** Collateral (TCB info, QE identity, a CRL) is past its next-update time or not yet issued. */
  COLLATERAL_EXPIRED(Category.COULD_NOT_CHECK),
  /** A bug or an unexpected state inside the verifier; never the requester's fault. */
  INTERNAL_ERROR(Category.INTERNAL);

  /** Who is to blame, which decides logging and retry behaviour. */
  public enum Category {
    BAD_EVIDENCE,
    REJECTED,
    COULD_NOT_CHECK,
    INTERNAL
  }

  private final Category category;

  Failure(Category category) {
    this.category = category;
  }

  public Category category() {
    return category;
  }

  /** Stable, kebab-case code used on the wire and in logs, e.g. {@code unknown-measurement}. */
  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
