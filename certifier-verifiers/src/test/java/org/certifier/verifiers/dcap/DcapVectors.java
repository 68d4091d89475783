package org.certifier.verifiers.dcap;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import org.certifier.testing.TestVectors;

/**
 * The real Intel quotes in ../shared/testvectors/intel-sgx and intel-tdx (see their READMEs),
 * each with a time inside its PCK certificate's validity.
 */
enum DcapVectors {
  /** Phala's SGX quote v3; PCK leaf valid 2023-09-20 to 2030-09-20. */
  SGX_V3("intel-sgx/sgx_quote", "2025-07-01T00:00:00Z"),
  /** The C++ Certifier's Gramine quote v3 of a debug enclave; PCK leaf 2023-03-24 to 2030. */
  GRAMINE_V3("intel-sgx/gramine-certifier/gramine-attestation.bin", "2025-07-01T00:00:00Z"),
  /** Phala's TDX quote v4, zero-padded by 70 bytes; PCK leaf 2025-02-06 to 2032-02-06. */
  PHALA_V4("intel-tdx/phala-v4/tdx_quote", "2025-07-01T00:00:00Z"),
  /** Phala's TDX quote v5 with a TDX 1.5 body; PCK leaf 2026-01-23 to 2033-01-23. */
  PHALA_V5("intel-tdx/phala-v5-no-tcb-match/tdx_quote_outdated", "2026-03-01T00:00:00Z"),
  /**
   * go-tdx-guest's Sapphire Rapids TDX quote v4, without the text go-tdx-guest appended to test
   * extra bytes (see {@link #goTdxGuestV4AsStored()}); PCK leaf 2022-09-20 to 2029-09-20.
   */
  GO_TDX_GUEST_V4("intel-tdx/go-tdx-guest-v4-spr/tdx_prod_quote_SPR_E4.dat",
      "2023-07-01T01:00:00Z"),
  /** go-tdx-guest's TDX quote v5; PCK leaf 2026-01-27 to 2033-01-27. */
  GO_TDX_GUEST_V5("intel-tdx/go-tdx-guest-v5/quote_v5_sample.dat", "2026-03-01T00:00:00Z");

  /** What go-tdx-guest appended to its v4 sample to exercise extra-bytes handling. */
  static final byte[] GO_TDX_GUEST_EXTRA = "\nextra bytes(only for testing purpose)\n"
      .getBytes(StandardCharsets.US_ASCII);

  private final String path;
  final Instant time;

  DcapVectors(String path, String time) {
    this.path = path;
    this.time = Instant.parse(time);
  }

  /** The quote as it is to be verified. */
  byte[] bytes() {
    byte[] stored = TestVectors.bytes(path);
    if (this != GO_TDX_GUEST_V4) {
      return stored;
    }
    byte[] tail = Arrays.copyOfRange(stored, stored.length - GO_TDX_GUEST_EXTRA.length,
        stored.length);
    if (!Arrays.equals(tail, GO_TDX_GUEST_EXTRA)) {
      throw new IllegalStateException("go-tdx-guest's v4 sample no longer ends in its text");
    }
    return Arrays.copyOf(stored, stored.length - GO_TDX_GUEST_EXTRA.length);
  }

  /** go-tdx-guest's v4 sample as stored, with its non-zero extra bytes. */
  static byte[] goTdxGuestV4AsStored() {
    return TestVectors.bytes(GO_TDX_GUEST_V4.path);
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
