package org.certifier.service.revocation;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import org.bouncycastle.asn1.x509.CRLReason;

/**
 * Why an operator revoked something, as the operator API accepts it and the store keeps it
 * ({@link org.certifier.service.store.Revocation#reason()} holds the {@link #code()}), with the
 * RFC 5280 section 5.3.1 CRLReason it is published under. Only the reasons that fit an admission
 * certificate are offered: no certificateHold (revocation here is final), no cACompromise or
 * aACompromise (a compromised policy key means a new domain, not a CRL entry).
 */
public enum RevocationReason {
  /** No reason given; published without a reasonCode, as RFC 5280 asks. */
  UNSPECIFIED(CRLReason.unspecified),
  /** The program or its keys can no longer be trusted (e.g. a vulnerable measurement). */
  KEY_COMPROMISE(CRLReason.keyCompromise),
  AFFILIATION_CHANGED(CRLReason.affiliationChanged),
  /** A newer program or certificate replaces it. */
  SUPERSEDED(CRLReason.superseded),
  /** The workload was retired. */
  CESSATION_OF_OPERATION(CRLReason.cessationOfOperation),
  /** The policy no longer grants what the certificate says. */
  PRIVILEGE_WITHDRAWN(CRLReason.privilegeWithdrawn);

  private final int crlReason;

  RevocationReason(int crlReason) {
    this.crlReason = crlReason;
  }

  /** The kebab-case code, e.g. {@code key-compromise}: in JSON, on the CLI and in the store. */
  public String code() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The reason with {@code code}, if it is one of these. */
  public static Optional<RevocationReason> ofCode(String code) {
    for (RevocationReason r : values()) {
      if (r.code().equals(code)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /**
   * The CRL reasonCode for a stored reason: empty for unspecified and for reasons recorded
   * other than through the API (free text from {@code ServiceStore.revoke}), which are still
   * listed, just without a code.
   */
  public static OptionalInt crlReasonCode(String storedReason) {
    return ofCode(storedReason).filter(r -> r != UNSPECIFIED)
        .map(r -> OptionalInt.of(r.crlReason)).orElse(OptionalInt.empty());
  }

  /** Every code, for error messages and help. */
  public static String codes() {
    StringBuilder sb = new StringBuilder();
    for (RevocationReason r : values()) {
      sb.append(sb.isEmpty() ? "" : ", ").append(r.code());
    }
    return sb.toString();
  }
}
