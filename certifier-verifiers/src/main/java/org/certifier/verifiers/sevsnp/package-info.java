/**
 * Answers "did AMD sign this SEV-SNP attestation report, and do we accept what it says?" in
 * three steps: {@link org.certifier.verifiers.sevsnp.SnpReport} reads the bytes,
 * {@link org.certifier.verifiers.sevsnp.SnpVerifier} checks AMD's signatures,
 * {@link org.certifier.verifiers.sevsnp.SnpExpectations} checks the claims against a policy.
 *
 * <p>References: AMD, "SEV Secure Nested Paging Firmware ABI Specification", publication 56860
 * (ATTESTATION_REPORT structure in §7.3, TCB_VERSION in §2.2, guest policy in §4.3; report
 * versions 2 to 5 as of revision 1.58, version 4 with the layout of 3); AMD, "Versioned Chip Endorsement Key (VCEK)
 * Certificate and KDS Interface Specification", publication 57230 (certificate chain and
 * extensions); reference-certifier.md §3.7.4 and §6.1 for how the reference used SEV-SNP
 * evidence and where it went wrong.
 */
package org.certifier.verifiers.sevsnp;
