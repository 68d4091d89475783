/**
 * Answers "did Intel's quoting enclave sign this SGX or TDX quote on a platform Intel
 * certified?" in two steps: {@link org.certifier.verifiers.dcap.Quote} reads the bytes,
 * {@link org.certifier.verifiers.dcap.QuoteVerifier} checks the PCK chain up to the pinned
 * {@link org.certifier.verifiers.dcap.IntelRoots Intel SGX Root CA}, the QE report signature,
 * the QE's binding of the attestation key and the quote signature. Grading the platform's TCB
 * against Intel's collateral (TCB info, QE identity, CRLs) is a separate step.
 *
 * <p>References: Intel, "Intel SGX ECDSA Quote Library API" (quote version 3, appendix A.4);
 * Intel, "Intel TDX DCAP Quoting Library API" (quote versions 4 and 5, appendix A.3); Intel,
 * "SGX PCK Certificate and Certificate Revocation List Profile Specification" (PCK chain and
 * SGX Extensions); reference-certifier.md §6.2 for how the reference used SGX quotes.
 */
package org.certifier.verifiers.dcap;
