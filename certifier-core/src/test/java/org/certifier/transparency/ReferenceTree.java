package org.certifier.transparency;

import java.util.HexFormat;
import java.util.List;

/**
 * The RFC 6962 §2.1 definition of MTH, written as the RFC states it (recursion on the list), to
 * check the frontier and the node-based computation against; and the RFC's 8-leaf test tree
 * as used by certificate-transparency-go and transparency-dev/merkle (testonly/constants.go).
 */
final class ReferenceTree implements SubtreeHashes<RuntimeException> {
  static final List<byte[]> RFC_LEAVES = hex("", "00", "10", "2021", "3031", "40414243",
      "5051525354555657", "606162636465666768696a6b6c6d6e6f");

  private final List<byte[]> leafHashes;

  ReferenceTree(List<byte[]> leafHashes) {
    this.leafHashes = leafHashes;
  }

  static ReferenceTree ofData(List<byte[]> data) {
    return new ReferenceTree(data.stream().map(MerkleHash::leaf).toList());
  }

  /** MTH(D[start:end]) by the RFC's recursion. */
  byte[] mth(long start, long end) {
    long n = end - start;
    if (n == 0) {
      return MerkleHash.emptyRoot();
    }
    if (n == 1) {
      return leafHashes.get((int) start);
    }
    long k = Long.highestOneBit(n - 1);
    return MerkleHash.node(mth(start, start + k), mth(start + k, end));
  }

  @Override
  public byte[] hash(Subtree complete) {
    if (!complete.isComplete()) {
      throw new AssertionError("asked for an incomplete subtree " + complete);
    }
    return mth(complete.start(), complete.end());
  }

  static List<byte[]> hex(String... values) {
    return java.util.Arrays.stream(values).map(HexFormat.of()::parseHex).toList();
  }
}
