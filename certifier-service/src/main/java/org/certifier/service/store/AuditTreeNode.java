package org.certifier.service.store;

/**
 * A stored node of the audit log's Merkle tree: the hash (lowercase hex) of the complete
 * subtree of {@code 2^level} entries at position {@code index} of its level.
 */
public record AuditTreeNode(int level, long index, String hash) {
  public AuditTreeNode {
    if (level < 0 || level > 62 || index < 0) {
      throw new IllegalArgumentException("no tree node at level " + level + ", index " + index);
    }
    Hex.requireSha256(hash, "node hash");
  }
}
