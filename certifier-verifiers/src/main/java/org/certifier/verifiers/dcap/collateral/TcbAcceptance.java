package org.certifier.verifiers.dcap.collateral;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;

/**
 * Which TCB verdicts a policy accepts: a set of statuses, and either a set of advisories the
 * platform may be affected by or any advisory at all. Intel grades, the policy decides; the
 * default accepts only UpToDate, which has no advisories.
 *
 * @param acceptedStatuses the statuses accepted; never empty
 * @param allowedAdvisories the advisory ids a verdict may carry, or empty for any
 */
public record TcbAcceptance(Set<TcbStatus> acceptedStatuses,
    Optional<Set<String>> allowedAdvisories) {

  public TcbAcceptance {
    acceptedStatuses = Set.copyOf(acceptedStatuses);
    if (acceptedStatuses.isEmpty()) {
      throw new IllegalArgumentException("a TCB acceptance that accepts no status");
    }
    allowedAdvisories = allowedAdvisories.map(Set::copyOf);
  }

  /** The default: UpToDate only. */
  public static TcbAcceptance upToDateOnly() {
    return new TcbAcceptance(EnumSet.of(TcbStatus.UP_TO_DATE), Optional.of(Set.of()));
  }

  /** These statuses, with only these advisories. */
  public static TcbAcceptance of(Set<TcbStatus> statuses, Set<String> allowedAdvisories) {
    return new TcbAcceptance(statuses, Optional.of(allowedAdvisories));
  }

  /** These statuses, whatever the advisories. */
  public static TcbAcceptance anyAdvisory(Set<TcbStatus> statuses) {
    return new TcbAcceptance(statuses, Optional.empty());
  }

  /**
   * Accepts or refuses a verdict.
   *
   * @throws VerificationException {@link Failure#TCB_STATUS_NOT_ACCEPTED}, saying which status
   *     or advisories the policy does not accept
   */
  public void check(TcbVerdict verdict) throws VerificationException {
    Objects.requireNonNull(verdict, "verdict");
    if (!acceptedStatuses.contains(verdict.status())) {
      throw new VerificationException(Failure.TCB_STATUS_NOT_ACCEPTED, "the platform's TCB is "
          + verdict.status().jsonName() + " (advisories " + verdict.advisoryIds()
          + "), the policy accepts only " + names(acceptedStatuses));
    }
    if (allowedAdvisories.isPresent()) {
      List<String> refused = new ArrayList<>(verdict.advisoryIds());
      refused.removeAll(allowedAdvisories.get());
      if (!refused.isEmpty()) {
        throw new VerificationException(Failure.TCB_STATUS_NOT_ACCEPTED, "the platform's TCB is "
            + verdict.status().jsonName() + " with advisories " + refused
            + " that the policy does not allow");
      }
    }
  }

  private static List<String> names(Set<TcbStatus> statuses) {
    return EnumSet.copyOf(statuses).stream().map(TcbStatus::jsonName).toList();
  }
}
