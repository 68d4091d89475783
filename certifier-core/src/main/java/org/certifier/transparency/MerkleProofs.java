package org.certifier.transparency;

import java.util.ArrayList;
import java.util.List;

/**
 * Roots and proofs of a log of {@code n} leaves, as RFC 6962 §2.1 defines them and RFC 9162
 * §2.1.3.1 / §2.1.4.1 restate: which subtrees a proof consists of, and their hashes from a
 * {@link SubtreeHashes} source. Every subtree needed is a complete one or the right edge of one
 * of the trees, so a source of complete-subtree hashes answers all of them with at most
 * {@code log2 n} lookups per hash.
 */
public final class MerkleProofs {
  private MerkleProofs() {}

  /** MTH(D[0:size]): the root of the first {@code size} leaves. */
  public static <E extends Exception> byte[] root(long size, SubtreeHashes<E> source) throws E {
    if (size < 0) {
      throw new IllegalArgumentException("negative tree size");
    }
    return size == 0 ? MerkleHash.emptyRoot() : hash(new Subtree(0, size), source);
  }

  /** MTH of any subtree, from the hashes of the complete subtrees it is made of. */
  public static <E extends Exception> byte[] hash(Subtree subtree, SubtreeHashes<E> source)
      throws E {
    List<Subtree> parts = subtree.completeParts();
    byte[] hash = checked(source.hash(parts.getLast()), parts.getLast());
    for (int i = parts.size() - 2; i >= 0; i--) {
      hash = MerkleHash.node(checked(source.hash(parts.get(i)), parts.get(i)), hash);
    }
    return hash;
  }

  /** PATH(m, D[n]) of RFC 6962 §2.1.1: the subtrees of the audit path, leaf to root. */
  public static List<Subtree> inclusionPath(long index, long size) {
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + size);
    }
    List<Subtree> path = new ArrayList<>();
    path(index, 0, size, path);
    return path;
  }

  private static void path(long m, long start, long end, List<Subtree> out) {
    long n = end - start;
    if (n == 1) {
      return;
    }
    long k = Long.highestOneBit(n - 1);
    if (m < k) {
      path(m, start, start + k, out);
      out.add(new Subtree(start + k, end));
    } else {
      path(m - k, start + k, end, out);
      out.add(new Subtree(start, start + k));
    }
  }

  /**
   * PROOF(m, D[n]) of RFC 6962 §2.1.2: the subtrees that show the tree of {@code oldSize}
   * leaves is a prefix of the tree of {@code newSize}; empty if {@code oldSize} is 0 or
   * {@code newSize}.
   */
  public static List<Subtree> consistencyPath(long oldSize, long newSize) {
    if (oldSize < 0 || oldSize > newSize) {
      throw new IllegalArgumentException("no consistency proof from " + oldSize + " to "
          + newSize);
    }
    List<Subtree> path = new ArrayList<>();
    if (oldSize > 0 && oldSize < newSize) {
      subproof(oldSize, 0, newSize, true, path);
    }
    return path;
  }

  private static void subproof(long m, long start, long end, boolean whole,
      List<Subtree> out) {
    long n = end - start;
    if (m == n) {
      if (!whole) {
        out.add(new Subtree(start, end));
      }
      return;
    }
    long k = Long.highestOneBit(n - 1);
    if (m <= k) {
      subproof(m, start, start + k, whole, out);
      out.add(new Subtree(start + k, end));
    } else {
      subproof(m - k, start + k, end, false, out);
      out.add(new Subtree(start, start + k));
    }
  }

  public static <E extends Exception> InclusionProof inclusionProof(long index, long size,
      SubtreeHashes<E> source) throws E {
    return new InclusionProof(index, size, hashes(inclusionPath(index, size), source));
  }

  public static <E extends Exception> ConsistencyProof consistencyProof(long oldSize,
      long newSize, SubtreeHashes<E> source) throws E {
    return new ConsistencyProof(oldSize, newSize,
        hashes(consistencyPath(oldSize, newSize), source));
  }

  private static <E extends Exception> List<byte[]> hashes(List<Subtree> subtrees,
      SubtreeHashes<E> source) throws E {
    List<byte[]> hashes = new ArrayList<>(subtrees.size());
    for (Subtree s : subtrees) {
      hashes.add(hash(s, source));
    }
    return hashes;
  }

  private static byte[] checked(byte[] hash, Subtree subtree) {
    return MerkleHash.requireHash(hash, "the hash of " + subtree).clone();
  }
}
