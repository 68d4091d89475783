package org.certifier.transparency;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a log's tree leaf by leaf, keeping only its frontier: the hashes of the complete
 * subtrees the leaves so far divide into (one per set bit of the size, largest first), which is
 * all the root needs. Appending reports each subtree it completes, so a store can keep every
 * node and answer proofs later without rereading the leaves.
 */
public final class TreeBuilder {
  /** A complete subtree and its hash. */
  public record Node(Subtree subtree, byte[] hash) {
    public Node {
      if (!subtree.isComplete()) {
        throw new IllegalArgumentException(subtree + " is not a complete subtree");
      }
      hash = MerkleHash.requireHash(hash, "node hash").clone();
    }

    @Override
    public byte[] hash() {
      return hash.clone();
    }
  }

  private final List<byte[]> frontier;
  private long size;

  private TreeBuilder(long size, List<byte[]> frontier) {
    this.size = size;
    this.frontier = frontier;
  }

  public static TreeBuilder empty() {
    return new TreeBuilder(0, new ArrayList<>());
  }

  /**
   * Continues a tree of {@code size} leaves from its frontier: the hashes of the subtrees
   * {@link #frontier(long)} names, in that order.
   */
  public static TreeBuilder resume(long size, List<byte[]> frontierHashes) {
    if (size < 0 || frontierHashes.size() != Long.bitCount(size)) {
      throw new IllegalArgumentException("a tree of " + size + " leaves has a frontier of "
          + Long.bitCount(Math.max(size, 0)) + " subtrees");
    }
    List<byte[]> copy = new ArrayList<>(frontierHashes.size());
    frontierHashes.forEach(h -> copy.add(MerkleHash.requireHash(h, "frontier hash").clone()));
    return new TreeBuilder(size, copy);
  }

  /** The complete subtrees the first {@code size} leaves divide into, largest first. */
  public static List<Subtree> frontier(long size) {
    return size == 0 ? List.of() : new Subtree(0, size).completeParts();
  }

  public long size() {
    return size;
  }

  /**
   * Adds the leaf with hash {@code leafHash} at position {@link #size()}.
   *
   * @return the subtrees this leaf completes: the leaf itself, then each parent up the tree
   */
  public List<Node> append(byte[] leafHash) {
    if (size == Long.MAX_VALUE) {
      throw new IllegalStateException("the tree is full");
    }
    byte[] hash = MerkleHash.requireHash(leafHash, "leaf hash").clone();
    long newSize = size + 1;
    List<Node> completed = new ArrayList<>();
    completed.add(new Node(Subtree.complete(0, size), hash));
    frontier.add(hash);
    int merges = Long.numberOfTrailingZeros(newSize);
    for (int level = 1; level <= merges; level++) {
      byte[] right = frontier.removeLast();
      byte[] left = frontier.removeLast();
      byte[] parent = MerkleHash.node(left, right);
      frontier.add(parent);
      completed.add(new Node(Subtree.complete(level, (newSize >> level) - 1), parent));
    }
    size = newSize;
    return completed;
  }

  /** MTH of the leaves so far. */
  public byte[] root() {
    if (frontier.isEmpty()) {
      return MerkleHash.emptyRoot();
    }
    byte[] hash = frontier.getLast();
    for (int i = frontier.size() - 2; i >= 0; i--) {
      hash = MerkleHash.node(frontier.get(i), hash);
    }
    return hash.clone();
  }
}
