package org.certifier.service.store;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The store's one spelling of digests and measurements: lowercase hex. */
final class Hex {
  private static final HexFormat HEX = HexFormat.of();
  /** Serials live in BIGINT columns; the sequence that makes them starts at 1000. */
  private static final BigInteger MAX_SERIAL = BigInteger.valueOf(Long.MAX_VALUE);

  private Hex() {}

  static String of(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  /** SHA-256 of the concatenated parts, lowercase hex. */
  static String sha256(byte[]... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (byte[] part : parts) {
        digest.update(part);
      }
      return of(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** Refuses anything but non-empty lowercase hex, so equal values are equal strings. */
  static String require(String hex, String what) {
    if (hex.isEmpty() || hex.length() % 2 != 0 || !hex.chars().allMatch(Hex::isLowerHex)) {
      throw new IllegalArgumentException(what + " must be lowercase hex");
    }
    return hex;
  }

  static String requireSha256(String hex, String what) {
    if (hex.length() != 64) {
      throw new IllegalArgumentException(what + " must be a SHA-256 in hex (64 digits)");
    }
    return require(hex, what);
  }

  static BigInteger requireSerial(BigInteger serial) {
    if (serial.signum() <= 0 || serial.compareTo(MAX_SERIAL) > 0) {
      throw new IllegalArgumentException("serial " + serial + " is out of range");
    }
    return serial;
  }

  private static boolean isLowerHex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  }
}
