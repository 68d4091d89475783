package org.certifier.client;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * When the trust manager renews an admission certificate by itself: once {@code renewAt} of its
 * lifetime has passed, moved by up to {@code jitter} of the lifetime either way so that programs
 * certified together do not all return at once, but never later than {@code margin} before
 * expiry (a margin larger than a tenth of the lifetime is cut to a tenth, so short-lived
 * certificates work too). A failed renewal is retried after {@code firstRetry}, doubling up to
 * {@code maxRetry}; the old certificate stays in use until it expires.
 */
public record RenewalSettings(boolean enabled, double renewAt, double jitter, Duration margin,
    Duration firstRetry, Duration maxRetry) {
  public RenewalSettings {
    if (!(renewAt > 0 && renewAt < 1)) {
      throw new IllegalArgumentException("renewAt must be a fraction between 0 and 1");
    }
    if (!(jitter >= 0 && jitter < renewAt && jitter < 1 - renewAt)) {
      throw new IllegalArgumentException("jitter must be non-negative and keep the renewal"
          + " time inside the lifetime");
    }
    if (margin.isNegative() || firstRetry.isNegative() || firstRetry.isZero()
        || maxRetry.compareTo(firstRetry) < 0) {
      throw new IllegalArgumentException("margin must be non-negative, firstRetry positive and"
          + " maxRetry at least firstRetry");
    }
  }

  /** At 2/3 of the lifetime, +-5 %, at least a minute before expiry; retries 1 s .. 5 min. */
  public static RenewalSettings defaults() {
    return new RenewalSettings(true, 2.0 / 3, 0.05, Duration.ofMinutes(1), Duration.ofSeconds(1),
        Duration.ofMinutes(5));
  }

  /** No automatic renewal: the application calls {@code certify} itself. */
  public static RenewalSettings disabled() {
    return defaults().withEnabled(false);
  }

  public RenewalSettings withEnabled(boolean on) {
    return new RenewalSettings(on, renewAt, jitter, margin, firstRetry, maxRetry);
  }

  public RenewalSettings withRetries(Duration first, Duration max) {
    return new RenewalSettings(enabled, renewAt, jitter, margin, first, max);
  }

  /** When to renew a certificate valid from {@code notBefore} to {@code notAfter}. */
  Instant renewalTime(Instant notBefore, Instant notAfter, RandomGenerator random) {
    Duration lifetime = Duration.between(notBefore, notAfter);
    long lifetimeMillis = lifetime.toMillis();
    double fraction = renewAt + jitter * (2 * random.nextDouble() - 1);
    Instant planned = notBefore.plusMillis((long) (lifetimeMillis * fraction));
    Duration effectiveMargin = margin.compareTo(lifetime.dividedBy(10)) <= 0 ? margin
        : lifetime.dividedBy(10);
    Instant latest = notAfter.minus(effectiveMargin);
    return planned.isBefore(latest) ? planned : latest;
  }

  /** The delay before retry number {@code attempt} (1, 2, ...) of a failed renewal. */
  Duration retryDelay(int attempt) {
    Duration delay = firstRetry.multipliedBy(1L << Math.min(attempt - 1, 30));
    return delay.compareTo(maxRetry) <= 0 ? delay : maxRetry;
  }
}
