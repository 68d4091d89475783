package org.certifier.transparency;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * The hashes of RFC 6962 §2.1 (RFC 9162 §2.1.1) with SHA-256: a leaf is SHA-256(0x00 || data),
 * an interior node SHA-256(0x01 || left || right), the empty tree SHA-256 of nothing. The
 * distinct prefixes keep a leaf from ever passing for a node (second-preimage resistance).
 */
public final class MerkleHash {
  /** Every hash of the tree is this long (SHA-256). */
  public static final int SIZE = 32;
  private static final byte LEAF_PREFIX = 0x00;
  private static final byte NODE_PREFIX = 0x01;

  private MerkleHash() {}

  /** MTH({d}) = SHA-256(0x00 || d). */
  public static byte[] leaf(byte[] data) {
    MessageDigest sha = sha256();
    sha.update(LEAF_PREFIX);
    sha.update(Objects.requireNonNull(data, "data"));
    return sha.digest();
  }

  /** SHA-256(0x01 || left || right); both must be hashes of the tree. */
  public static byte[] node(byte[] left, byte[] right) {
    requireHash(left, "left");
    requireHash(right, "right");
    MessageDigest sha = sha256();
    sha.update(NODE_PREFIX);
    sha.update(left);
    sha.update(right);
    return sha.digest();
  }

  /** MTH({}) = SHA-256() for the tree of no leaves. */
  public static byte[] emptyRoot() {
    return sha256().digest();
  }

  /** Refuses anything but a 32-byte hash, so no shorter value is ever hashed as one. */
  static byte[] requireHash(byte[] hash, String what) {
    Objects.requireNonNull(hash, what);
    if (hash.length != SIZE) {
      throw new IllegalArgumentException(what + " must be " + SIZE + " bytes, not "
          + hash.length);
    }
    return hash;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
