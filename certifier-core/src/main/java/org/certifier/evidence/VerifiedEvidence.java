package org.certifier.evidence;

import java.util.List;
import org.certifier.proto.key_message;
import org.certifier.proto.vse_clause;

/**
 * What verified evidence establishes: the public key the attestation vouches for, and the
 * statements (e.g. {@code attestKey says enclaveKey speaks-for Measurement[m]}) to prove from.
 */
public record VerifiedEvidence(key_message enclaveKey, List<vse_clause> statements) {
  public VerifiedEvidence {
    java.util.Objects.requireNonNull(enclaveKey, "enclaveKey");
    statements = List.copyOf(statements);
  }
}
