package org.certifier.transparency;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * That the tree of {@code oldSize} leaves is a prefix of the tree of {@code newSize}: the
 * hashes of RFC 6962 §2.1.2, verified as RFC 9162 §2.1.4.2 prescribes. A log that rewrote,
 * dropped or reordered any of the first {@code oldSize} entries has no such proof.
 */
public record ConsistencyProof(long oldSize, long newSize, List<byte[]> path) {
  private static final int MAX_PATH = 64;
  private static final String HEADER = "certifier-consistency-proof v1";

  public ConsistencyProof {
    if (oldSize < 0 || oldSize > newSize) {
      throw new IllegalArgumentException("no consistency proof from " + oldSize + " to "
          + newSize + " leaves");
    }
    if (path.size() > MAX_PATH) {
      throw new IllegalArgumentException("a consistency proof has at most " + MAX_PATH
          + " hashes");
    }
    List<byte[]> copy = new ArrayList<>(path.size());
    for (byte[] hash : path) {
      copy.add(MerkleHash.requireHash(hash, "proof hash").clone());
    }
    path = List.copyOf(copy);
  }

  @Override
  public List<byte[]> path() {
    return path.stream().map(byte[]::clone).toList();
  }

  /** Succeeds only if the old root and the new root are of one log, the old a prefix. */
  public void verify(byte[] oldRoot, byte[] newRoot) throws LogVerificationException {
    MerkleHash.requireHash(oldRoot, "old root");
    MerkleHash.requireHash(newRoot, "new root");
    if (oldSize == newSize || oldSize == 0) {
      // Nothing to prove: an empty tree is a prefix of every tree, and a tree of its own.
      if (!path.isEmpty()) {
        throw inconsistent("a proof from " + oldSize + " to " + newSize + " leaves is empty");
      }
      if (oldSize == newSize && !MessageDigest.isEqual(oldRoot, newRoot)) {
        throw inconsistent("two different roots for a tree of " + oldSize + " leaves");
      }
      return;
    }
    if (path.isEmpty()) {
      throw inconsistent("the proof is empty");
    }
    // RFC 9162 §2.1.4.2, steps 2 to 7.
    List<byte[]> c = new ArrayList<>(path);
    if (Long.bitCount(oldSize) == 1) {
      c.addFirst(oldRoot);
    }
    long fn = oldSize - 1;
    long sn = newSize - 1;
    while ((fn & 1) == 1) {
      fn >>= 1;
      sn >>= 1;
    }
    byte[] fr = c.getFirst();
    byte[] sr = c.getFirst();
    for (byte[] p : c.subList(1, c.size())) {
      if (sn == 0) {
        throw inconsistent("the proof is longer than the trees are high");
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = MerkleHash.node(p, fr);
        sr = MerkleHash.node(p, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        sr = MerkleHash.node(sr, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    if (sn != 0) {
      throw inconsistent("the proof is shorter than the trees are high");
    }
    if (!MessageDigest.isEqual(fr, oldRoot)) {
      throw inconsistent("the proof does not lead to the old root: the first " + oldSize
          + " entries are not those the old tree head signed");
    }
    if (!MessageDigest.isEqual(sr, newRoot)) {
      throw inconsistent("the proof does not lead to the new root");
    }
  }

  /** The proof as a file: the header, {@code old-size}, {@code new-size}, {@code path} lines. */
  public String toText() {
    FieldText.Writer out = new FieldText.Writer(HEADER)
        .put("old-size", oldSize).put("new-size", newSize);
    path.forEach(h -> out.put("path", h));
    return out.toString();
  }

  /** Reads what {@link #toText()} wrote; {@code what} names the input in messages. */
  public static ConsistencyProof parse(String text, String what)
      throws LogVerificationException {
    FieldText.Reader in = new FieldText.Reader(text, HEADER, what);
    long oldSize = in.number("old-size");
    long newSize = in.number("new-size");
    List<byte[]> path = new ArrayList<>();
    for (String hash : in.values("path")) {
      path.add(in.hash("path", hash));
    }
    in.end();
    try {
      return new ConsistencyProof(oldSize, newSize, path);
    } catch (IllegalArgumentException e) {
      throw in.malformed(e.getMessage());
    }
  }

  private static LogVerificationException inconsistent(String detail) {
    return new LogVerificationException(LogFailure.INCONSISTENT, detail);
  }
}
