package org.certifier.service.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A signed tree head as stored: its size, root (lowercase hex) and time for queries, and
 * {@code text}, the signed head itself in its file form, which is what counts.
 */
public record AuditTreeHead(long treeSize, String rootHash, Instant signedAt, String text) {
  public AuditTreeHead {
    if (treeSize < 0) {
      throw new IllegalArgumentException("negative tree size");
    }
    Hex.requireSha256(rootHash, "root hash");
    Objects.requireNonNull(signedAt, "signedAt");
    Objects.requireNonNull(text, "text");
  }
}
