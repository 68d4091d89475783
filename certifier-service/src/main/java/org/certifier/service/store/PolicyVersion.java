package org.certifier.service.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A signed policy artefact as the store keeps it (table {@code policy_versions}): its version,
 * the SHA-256 of its bytes (lowercase hex), the bytes exactly as signed, and when it was
 * published. The store does not verify artefacts: whoever reads one verifies its signature, and
 * that its bytes still have the SHA-256 stored beside them, before using it.
 */
public record PolicyVersion(long version, String sha256, byte[] artefact, Instant publishedAt) {
  public PolicyVersion {
    if (version <= 0) {
      throw new IllegalArgumentException("stored policy versions are 1 or more");
    }
    Hex.requireSha256(sha256, "policy SHA-256");
    artefact = artefact.clone();
    publishedAt = Objects.requireNonNull(publishedAt, "publishedAt")
        .truncatedTo(ChronoUnit.MILLIS);
  }

  /** The version for {@code artefact}, named by the SHA-256 of its bytes. */
  public static PolicyVersion of(long version, byte[] artefact, Instant publishedAt) {
    return new PolicyVersion(version, Hex.sha256(artefact), artefact, publishedAt);
  }

  /** True if the bytes still have the SHA-256 recorded with them. */
  public boolean matchesSha256() {
    return Hex.sha256(artefact).equals(sha256);
  }

  @Override
  public byte[] artefact() {
    return artefact.clone();
  }
}
