package org.certifier.fuzz;

import java.time.Instant;
import java.util.List;
import org.certifier.evidence.VerificationException;
import org.certifier.verifiers.sevsnp.AmdRoots;
import org.certifier.verifiers.sevsnp.SnpReport;
import org.certifier.verifiers.sevsnp.SnpVerifier;

/**
 * SEV-SNP attestation reports: the parser, then the full verification against the real Milan
 * VCEK (pinned time inside its validity), so mutations reach the signature and binding checks.
 */
public final class SnpReportTarget {
  static final List<String> SEEDS = List.of(
      "amd-sev-snp/milan-go-sev-guest/attestation.bin",
      "amd-sev-snp/milan-virtee/report_milan.bin");
  private static final Instant AT = Instant.parse("2025-06-01T00:00:00Z");
  private static SnpVerifier verifier;
  private static byte[] vcek;

  private SnpReportTarget() {}

  public static void fuzzerInitialize() {
    verifier = new SnpVerifier(AmdRoots.embedded());
    vcek = Vectors.bytes("amd-sev-snp/milan-virtee/vcek_milan.der");
  }

  public static void fuzzerTestOneInput(byte[] data) {
    try {
      SnpReport.parse(data);
      verifier.verify(data, vcek, AT);
    } catch (VerificationException expected) {
      // Every rejection is a VerificationException carrying a failure code.
    }
  }
}
