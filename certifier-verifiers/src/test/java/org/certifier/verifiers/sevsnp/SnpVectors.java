package org.certifier.verifiers.sevsnp;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.certifier.crypto.Certificates;
import org.certifier.testing.TestVectors;

/**
 * The real SEV-SNP vectors in ../shared/testvectors/amd-sev-snp (see its README), and clock
 * values inside their certificates' validity windows.
 */
final class SnpVectors {
  private static final String DIR = "amd-sev-snp/";

  /** Inside every Milan vector's validity: VCEK 1 from 2022-09-24, VCEK 2 from 2023-04-03. */
  static final Instant MILAN_TIME = Instant.parse("2025-06-01T00:00:00Z");
  /** Inside the Turin VCEK's validity, 2024-11-06 to 2031-11-06. */
  static final Instant TURIN_TIME = Instant.parse("2026-01-01T00:00:00Z");

  private SnpVectors() {}

  /** Vector 1: go-sev-guest's Milan B0 report, version 2. */
  static byte[] goSevGuestReport() {
    return TestVectors.bytes(DIR + "milan-go-sev-guest/attestation.bin");
  }

  static byte[] goSevGuestVcek() {
    return TestVectors.bytes(DIR + "milan-go-sev-guest/vcek.der");
  }

  /** Vector 2: virtee's Milan report from another machine, version 2. */
  static byte[] virteeReport() {
    return TestVectors.bytes(DIR + "milan-virtee/report_milan.bin");
  }

  static byte[] virteeReportHex() {
    return TestVectors.bytes(DIR + "milan-virtee/report_milan.hex");
  }

  static byte[] virteeVcek() {
    return TestVectors.bytes(DIR + "milan-virtee/vcek_milan.der");
  }

  /** Vector 3: a Turin VCEK without a report. */
  static byte[] turinVcek() {
    return TestVectors.bytes(DIR + "turin-chain-only-virtee/vcek_turin.der");
  }

  /** A KDS cert_chain bundle: ASK (or ASVK) first, then the ARK. */
  static List<X509Certificate> chain(String relative) throws Exception {
    return Certificates.parsePem(
        new String(TestVectors.bytes(DIR + relative), StandardCharsets.US_ASCII));
  }

  static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex);
  }

  static byte[] flip(byte[] bytes, int offset) {
    byte[] copy = bytes.clone();
    copy[offset] ^= 0x01;
    return copy;
  }
}
