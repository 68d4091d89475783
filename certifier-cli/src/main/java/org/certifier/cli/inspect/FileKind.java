package org.certifier.cli.inspect;

/**
 * The kinds of file {@code certifier inspect} knows, in the order they are tried. The order
 * matters because the reference's messages share field numbers: each kind is accepted only when
 * its strict checks pass, and kinds with strong checks (exact length prefix, DER, fixed status
 * words, known key types) come before the loosely structured ones. A raw measurement is the
 * last resort, since any 32 or 48 bytes are one.
 */
public enum FileKind {
  FRAMED("framed", "framed message (4-byte little-endian length, then the message)"),
  CERTIFICATE("certificate", "X.509 certificate"),
  // Vendor evidence: fixed binary layouts with version fields and exact lengths, and JSON,
  // none of which protobuf or DER accept.
  INTEL_QUOTE("intel-quote", "Intel DCAP quote (SGX v3, TDX v4/v5), raw or hex"),
  SEV_SNP_REPORT("sev-snp-report", "AMD SEV-SNP attestation report, raw or hex"),
  INTEL_COLLATERAL("intel-collateral", "Intel DCAP collateral (dcap-qvl QuoteCollateralV3 JSON)"),
  TRUST_RESPONSE("trust-response", "trust_response_message"),
  TRUST_REQUEST("trust-request", "trust_request_message"),
  EVIDENCE_PACKAGE("evidence-package", "evidence_package"),
  SIGNED_REPORT("signed-report", "signed_report"),
  SIGNED_CLAIM("signed-claim", "signed_claim_message"),
  POLICY("policy", "policy: signed_claim_sequence (= package_claims' buffer_sequence)"),
  CERTIFICATE_LIST("certificate-list", "buffer_sequence of DER certificates"),
  KEY("key", "key_message"),
  CLAUSE("clause", "vse_clause"),
  POLICY_STORE("policy-store", "policy_store_message (unsealed policy store)"),
  CERTIFIERS("certifiers", "certifiers_message"),
  PROPERTY("property", "property"),
  PROPERTIES("properties", "properties"),
  PLATFORM("platform", "platform"),
  ENVIRONMENT("environment", "environment"),
  // Two opaque byte fields: anything of that shape matches, e.g. an environment (a platform
  // and a measurement), so it comes after the kinds whose fields can be checked.
  PROTECTED_BLOB("protected-blob", "protected_blob_message (sealed policy store)"),
  MEASUREMENT("measurement", "measurement (raw bytes)");

  private final String option;
  private final String description;

  FileKind(String option, String description) {
    this.option = option;
    this.description = description;
  }

  /** The name used with {@code --as}. */
  public String option() {
    return option;
  }

  /** What the output's "type" line says. */
  public String description() {
    return description;
  }

  @Override
  public String toString() {
    return option;
  }
}
