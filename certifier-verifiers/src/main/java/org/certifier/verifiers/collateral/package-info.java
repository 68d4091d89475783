/**
 * Getting vendor collateral — AMD's VCEKs, certificate chains and CRLs, Intel's TCB info, QE
 * identities and CRLs — as bytes, from the evidence ({@link
 * org.certifier.verifiers.collateral.EvidenceCollateral}), from a directory an operator filled
 * ({@link org.certifier.verifiers.collateral.BundleDirectory}) or from the vendors' services
 * through a cache ({@link org.certifier.verifiers.collateral.CollateralCache} over {@link
 * org.certifier.verifiers.collateral.VendorServices}). Nothing here parses or trusts the
 * content: every item is signed by its vendor, and the platform verifiers check it. When an
 * item cannot be had, the failure is {@code collateral-unavailable} and the verifier that needed
 * it fails closed (docs/platforms.md, "Collateral").
 */
package org.certifier.verifiers.collateral;
