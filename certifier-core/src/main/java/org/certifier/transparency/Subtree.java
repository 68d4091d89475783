package org.certifier.transparency;

import java.util.ArrayList;
import java.util.List;

/**
 * The leaves {@code [start, end)} of a log as one subtree: the ranges the RFC 6962 §2.1
 * recursion splits a tree into, whose hashes make up roots and proofs. Such a range starts at a
 * multiple of the smallest power of two not below its size (the recursion splits at powers of
 * two), which is checked: then it is either complete (a power of two of leaves: one node of the
 * tree, at {@link #level()} and {@link #index()}) or the right edge of a tree, made of a few
 * complete ones ({@link #completeParts()}).
 */
public record Subtree(long start, long end) {

  public Subtree {
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException("not a non-empty range of leaves: [" + start + ", "
          + end + ")");
    }
    long size = end - start;
    long span = Long.highestOneBit(size) == size ? size : Long.highestOneBit(size) << 1;
    if (span > 0 && start % span != 0) {
      throw new IllegalArgumentException("[" + start + ", " + end
          + ") is not a subtree of the RFC 6962 recursion");
    }
  }

  /** The complete subtree of {@code 2^level} leaves at position {@code index} in its level. */
  public static Subtree complete(int level, long index) {
    if (level < 0 || level > 62 || index < 0 || index > (Long.MAX_VALUE >> level) - 1) {
      throw new IllegalArgumentException("no subtree at level " + level + ", index " + index);
    }
    return new Subtree(index << level, (index + 1) << level);
  }

  public long size() {
    return end - start;
  }

  /** True if the subtree has a power of two of leaves: it is one node of every larger tree. */
  public boolean isComplete() {
    return Long.bitCount(size()) == 1;
  }

  /** The level of a complete subtree: 0 for a leaf, 1 for two leaves, ... */
  public int level() {
    requireComplete();
    return Long.numberOfTrailingZeros(size());
  }

  /** The position of a complete subtree among the subtrees of its level. */
  public long index() {
    return start >> level();
  }

  /**
   * The complete subtrees this one is made of, left to right, each the largest that fits: its
   * hash is the first's node hash with the hash of the rest (RFC 6962 §2.1: MTH splits at the
   * largest power of two below the size), so it is computed from these alone.
   */
  public List<Subtree> completeParts() {
    List<Subtree> parts = new ArrayList<>(Long.bitCount(size()));
    long from = start;
    while (from < end) {
      long size = Long.highestOneBit(end - from);
      parts.add(new Subtree(from, from + size));
      from += size;
    }
    return parts;
  }

  private void requireComplete() {
    if (!isComplete()) {
      throw new IllegalStateException(this + " is not a complete subtree");
    }
  }

  @Override
  public String toString() {
    return "[" + start + ", " + end + ")";
  }
}
