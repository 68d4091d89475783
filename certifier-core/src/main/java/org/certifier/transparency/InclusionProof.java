package org.certifier.transparency;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * That the leaf at {@code leafIndex} is in the tree of {@code treeSize} leaves: the audit path
 * of RFC 6962 §2.1.1, leaf to root. Verified as RFC 9162 §2.1.3.2 prescribes, which checks the
 * path's length against the index and size as it goes, so no path of the wrong shape passes.
 */
public record InclusionProof(long leafIndex, long treeSize, List<byte[]> path) {
  /** Each path element is one level of the tree; no tree of 2^63 leaves has more. */
  private static final int MAX_PATH = 63;

  public InclusionProof {
    if (leafIndex < 0 || leafIndex >= treeSize) {
      throw new IllegalArgumentException("leaf " + leafIndex + " is not in a tree of "
          + treeSize);
    }
    if (path.size() > MAX_PATH) {
      throw new IllegalArgumentException("an audit path has at most " + MAX_PATH + " hashes");
    }
    List<byte[]> copy = new ArrayList<>(path.size());
    for (byte[] hash : path) {
      copy.add(MerkleHash.requireHash(hash, "path hash").clone());
    }
    path = List.copyOf(copy);
  }

  @Override
  public List<byte[]> path() {
    return path.stream().map(byte[]::clone).toList();
  }

  /**
   * The root the path leads to from {@code leafHash} (RFC 9162 §2.1.3.2 steps 1-4), or a
   * failure if the path is too short or too long for the index and size.
   */
  public byte[] rootFrom(byte[] leafHash) throws LogVerificationException {
    byte[] r = MerkleHash.requireHash(leafHash, "leaf hash").clone();
    long fn = leafIndex;
    long sn = treeSize - 1;
    for (byte[] p : path) {
      if (sn == 0) {
        throw notIncluded("the audit path is longer than the tree is high");
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = MerkleHash.node(p, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        r = MerkleHash.node(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    if (sn != 0) {
      throw notIncluded("the audit path is shorter than the tree is high");
    }
    return r;
  }

  /** Succeeds only if the path leads from {@code leafHash} to {@code root} (step 5). */
  public void verify(byte[] leafHash, byte[] root) throws LogVerificationException {
    MerkleHash.requireHash(root, "root");
    if (!MessageDigest.isEqual(rootFrom(leafHash), root)) {
      throw notIncluded("the audit path does not lead from leaf " + leafIndex
          + " to the root of the tree of " + treeSize);
    }
  }

  /** Appends {@code leaf-index}, {@code tree-size} and one {@code path} line per hash. */
  public void write(FieldText.Writer out) {
    out.put("leaf-index", leafIndex).put("tree-size", treeSize);
    path.forEach(h -> out.put("path", h));
  }

  /** Reads what {@link #write} wrote. */
  public static InclusionProof read(FieldText.Reader in) throws LogVerificationException {
    long index = in.number("leaf-index");
    long size = in.number("tree-size");
    List<byte[]> path = new ArrayList<>();
    for (String hash : in.values("path")) {
      path.add(in.hash("path", hash));
    }
    try {
      return new InclusionProof(index, size, path);
    } catch (IllegalArgumentException e) {
      throw in.malformed(e.getMessage());
    }
  }

  private static LogVerificationException notIncluded(String detail) {
    return new LogVerificationException(LogFailure.NOT_INCLUDED, detail);
  }
}
