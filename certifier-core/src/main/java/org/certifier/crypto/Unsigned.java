package org.certifier.crypto;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.util.Arrays;

/** Unsigned big-endian integers as the reference stores them in key_message (§1.3, §1.5). */
final class Unsigned {
  private Unsigned() {}

  /**
   * Minimal-length unsigned big-endian bytes, as OpenSSL {@code BN_bn2bin} and Go
   * {@code big.Int.Bytes()} write them: no leading zero byte, and zero is the empty string.
   */
  static byte[] toBytes(BigInteger value) {
    if (value.signum() < 0) {
      throw new IllegalArgumentException("negative value");
    }
    byte[] twosComplement = value.toByteArray();
    // toByteArray adds a zero sign byte when the top bit is set, and encodes zero as {0}.
    if (twosComplement[0] != 0) {
      return twosComplement;
    }
    byte[] minimal = Arrays.copyOfRange(twosComplement, 1, twosComplement.length);
    Arrays.fill(twosComplement, (byte) 0); // may hold a private exponent or multiplier
    return minimal;
  }

  static ByteString toByteString(BigInteger value) {
    return ByteString.copyFrom(toBytes(value));
  }

  /**
   * Reads unsigned big-endian bytes. Leading zeros are accepted because Go pads ECC fields to
   * 1 + bits/8 bytes (§1.5).
   */
  static BigInteger fromBytes(ByteString bytes) {
    byte[] copy = bytes.toByteArray();
    try {
      return new BigInteger(1, copy);
    } finally {
      Arrays.fill(copy, (byte) 0); // may hold a private exponent or multiplier
    }
  }
}
