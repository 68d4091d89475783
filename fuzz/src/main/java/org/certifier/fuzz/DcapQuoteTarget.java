package org.certifier.fuzz;

import java.time.Instant;
import java.util.List;
import org.certifier.evidence.VerificationException;
import org.certifier.verifiers.dcap.IntelRoots;
import org.certifier.verifiers.dcap.QuoteVerifier;

/**
 * Intel DCAP quotes (SGX v3, TDX v4 and v5): parsing, the PCK chain to the pinned Intel root,
 * the QE report, its binding and the quote signature, at a time inside every seed's PCK
 * certificate validity.
 */
public final class DcapQuoteTarget {
  static final List<String> SEEDS = List.of(
      "intel-sgx/sgx_quote",
      "intel-sgx/gramine-certifier/gramine-attestation.bin",
      "intel-tdx/phala-v4/tdx_quote",
      "intel-tdx/phala-v5-no-tcb-match/tdx_quote_outdated",
      "intel-tdx/go-tdx-guest-v5/quote_v5_sample.dat");
  private static final Instant AT = Instant.parse("2026-06-01T00:00:00Z");
  private static QuoteVerifier verifier;

  private DcapQuoteTarget() {}

  public static void fuzzerInitialize() {
    verifier = new QuoteVerifier(IntelRoots.embedded());
  }

  public static void fuzzerTestOneInput(byte[] data) {
    try {
      verifier.verify(data, AT);
    } catch (VerificationException expected) {
      // Every rejection carries a failure code.
    }
  }
}
