/**
 * Intel DCAP collateral and TCB status: is the collateral Intel's and current
 * ({@link org.certifier.verifiers.dcap.collateral.CollateralVerifier}), what TCB status does
 * it give a platform ({@link org.certifier.verifiers.dcap.collateral.TcbEvaluator}), and does
 * the policy accept that ({@link org.certifier.verifiers.dcap.collateral.TcbAcceptance}).
 * Quotes and PCK certificates are read elsewhere; this package takes their values as
 * {@link org.certifier.verifiers.dcap.collateral.PlatformTcb} and
 * {@link org.certifier.verifiers.dcap.collateral.QeReportIdentity}.
 *
 * <p>References: Intel, "Provisioning Certification Service for ECDSA Attestation", API v4
 * (TCB Info V2/V3 and Enclave Identity V2 models, issuer chain headers, CRLs); Intel's Quote
 * Verification Library (SGX-TDX-DCAP-QuoteVerificationLibrary: QuoteVerifier.cpp,
 * TcbLevelCheck.cpp, TdxModuleCheck.cpp, TDRelaunchCheck.cpp, EnclaveReportVerifier.cpp) for
 * the matching and merging rules; Phala-Network/dcap-qvl for the {@code QuoteCollateralV3}
 * JSON layout; RFC 8259 (JSON), RFC 5280 (certificates and CRLs).
 */
package org.certifier.verifiers.dcap.collateral;
