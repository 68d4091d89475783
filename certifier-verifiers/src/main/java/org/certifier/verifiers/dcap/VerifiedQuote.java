package org.certifier.verifiers.dcap;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A quote whose signatures {@link QuoteVerifier} checked, with what the checks established.
 * Its TCB has not been graded yet: that needs Intel's collateral (TCB info, QE identity, CRLs).
 *
 * @param quote the parsed quote
 * @param pckChain the PCK certificate chain, leaf first and the Intel root last, as verified;
 *     to be checked against Intel's CRLs
 * @param pckExtensions the PCK certificate's SGX Extensions (FMSPC, TCB components, PCESVN,
 *     ...), to be matched against TCB info
 */
public record VerifiedQuote(
    Quote quote, List<X509Certificate> pckChain, PckExtensions pckExtensions) {

  public VerifiedQuote {
    Objects.requireNonNull(quote, "quote");
    Objects.requireNonNull(pckExtensions, "pckExtensions");
    pckChain = List.copyOf(pckChain);
    if (pckChain.size() < 2) {
      throw new IllegalArgumentException("a PCK chain has a leaf and a root at least");
    }
  }

  /** The PCK certificate, whose key signed the QE report. */
  public X509Certificate pckCertificate() {
    return pckChain.get(0);
  }

  /** The quote header. */
  public QuoteHeader header() {
    return quote.header();
  }

  /** The enclave's or TD's report. */
  public ReportBody body() {
    return quote.body();
  }

  /**
   * The quoting enclave's report, signed by the PCK key; its MRSIGNER, ISVPRODID, MISCSELECT,
   * ATTRIBUTES and ISVSVN are what QE identity collateral is matched against.
   */
  public EnclaveReportBody qeReport() {
    return quote.qeReport();
  }
}
