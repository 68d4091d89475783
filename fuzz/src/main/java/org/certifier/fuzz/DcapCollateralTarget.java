package org.certifier.fuzz;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.certifier.evidence.VerificationException;
import org.certifier.verifiers.dcap.IntelRoots;
import org.certifier.verifiers.dcap.collateral.CollateralVerifier;
import org.certifier.verifiers.dcap.collateral.QuoteCollateral;

/**
 * Intel collateral as dcap-qvl JSON: the strict JSON reader, then the full collateral check
 * (issuer chains to the pinned root, TCB info and QE identity signatures and parsing, CRLs) at a
 * time inside the SGX seed's validity window.
 */
public final class DcapCollateralTarget {
  static final List<String> SEEDS = List.of(
      "intel-sgx/sgx_quote_collateral.json",
      "intel-tdx/phala-v4/tdx_quote_collateral.json",
      "intel-tdx/go-tdx-guest-v4-spr/collateral.json");
  private static final Instant AT = Instant.parse("2025-07-01T00:00:00Z");
  private static CollateralVerifier verifier;

  private DcapCollateralTarget() {}

  public static void fuzzerInitialize() throws VerificationException {
    verifier = new CollateralVerifier(IntelRoots.embedded().root());
  }

  public static void fuzzerTestOneInput(byte[] data) {
    try {
      verifier.verify(QuoteCollateral.fromJson(new String(data, StandardCharsets.UTF_8)), AT);
    } catch (VerificationException expected) {
      // Every rejection carries a failure code.
    }
  }
}
