package org.certifier.policy;

import java.util.Optional;

/**
 * The verbs of the policy language (reference spec §1.5, meanings in §3.1), with the label that
 * appears in {@code vse_clause.verb} on the wire.
 */
public enum Verb {
  SAYS("says"),
  SPEAKS_FOR("speaks-for"),
  IS_TRUSTED("is-trusted"),
  IS_TRUSTED_FOR_ATTESTATION("is-trusted-for-attestation"),
  IS_TRUSTED_FOR_AUTHENTICATION("is-trusted-for-authentication"),
  IS_TRUSTED_FOR_KEY_PROVISION("is-trusted-for-key-provision"),
  IS_ENVIRONMENT("is-environment"),
  HAS_TRUSTED_PLATFORM_PROPERTY("has-trusted-platform-property"),
  ENVIRONMENT_PLATFORM_IS_TRUSTED("environment-platform-is-trusted"),
  ENVIRONMENT_MEASUREMENT_IS_TRUSTED("environment-measurement-is-trusted");

  private final String label;

  Verb(String label) {
    this.label = label;
  }

  /** The wire spelling, e.g. {@code is-trusted-for-attestation}. */
  public String label() {
    return label;
  }

  /** values() copies its array on every call; this runs for every clause of every request. */
  private static final Verb[] ALL = values();

  /**
   * The verb spelled {@code label}, or empty for anything else (labels are case-sensitive).
   * {@link Clauses#validate} turns an unknown verb into a malformed-evidence failure.
   */
  public static Optional<Verb> fromLabel(String label) {
    if (label != null) {
      for (Verb v : ALL) {
        if (v.label.equals(label)) {
          return Optional.of(v);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * §3.4: the dominance tree is rooted at {@code is-trusted} with the three
   * {@code is-trusted-for-*} verbs as its leaves; a verb dominates itself and its descendants.
   * Implemented as the table itself rather than a tree walk (Go's walk can panic, §3.4).
   */
  public boolean dominates(Verb other) {
    return this == other || (this == IS_TRUSTED && other.isDelegatedTrust());
  }

  /** True for {@code is-trusted} and the {@code is-trusted-for-*} verbs (the dominance tree). */
  public boolean isTrust() {
    return IS_TRUSTED.dominates(this);
  }

  private boolean isDelegatedTrust() {
    return this == IS_TRUSTED_FOR_ATTESTATION
        || this == IS_TRUSTED_FOR_AUTHENTICATION
        || this == IS_TRUSTED_FOR_KEY_PROVISION;
  }

  @Override
  public String toString() {
    return label;
  }
}
