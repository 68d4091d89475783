package org.certifier.verifiers.collateral;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;

/**
 * Collateral from the vendors' services, kept for a while so that a busy service asks AMD and
 * Intel once per item and period rather than once per client.
 *
 * <p>Semantics, each chosen to fail closed:
 * <ul>
 *   <li><b>Maximum age.</b> An item is served from the cache for {@link Settings#maxAge} after
 *       it was fetched, or for the service's {@code Cache-Control: max-age} if that is shorter;
 *       {@code no-store} or {@code no-cache} (or {@code max-age=0}) keep it out of the cache.
 *       The service can shorten the age, never lengthen it past what the operator chose. The
 *       cache does not judge the content: a CRL past its nextUpdate is the verifier's
 *       {@link Failure#COLLATERAL_EXPIRED}, whatever its age here.</li>
 *   <li><b>One request per item.</b> Callers that ask for the same key while it is being
 *       fetched wait for that one fetch and share its outcome, success or failure.</li>
 *   <li><b>Back-off on 429.</b> A {@code 429 Too Many Requests} is retried up to
 *       {@link Settings#maxRetries} times, after the {@code Retry-After} the service asked for
 *       (seconds or an HTTP-date), else after {@link Settings#initialBackoff} doubled on each
 *       retry. A wait longer than {@link Settings#maxBackoff} is not waited out: the fetch fails
 *       at once, since a caller is waiting.</li>
 *   <li><b>Everything else that is not 200</b> is {@link Failure#COLLATERAL_UNAVAILABLE} with
 *       the status in the message. Failures are not cached: the next caller tries again.
 *       A stale item is never served when a refresh fails.</li>
 *   <li><b>Bounded.</b> At most {@link Settings#maxEntries} items; beyond that the expired,
 *       then the soonest to expire, are dropped.</li>
 * </ul>
 * Time comes from an injected {@link Clock} and waiting from an injected {@link Sleeper}, so
 * that tests need neither.
 */
public final class CollateralCache implements CollateralSource {
  /** One request to a vendor's service: {@link VendorServices} in production. */
  @FunctionalInterface
  public interface Fetcher {
    VendorResponse fetch(CollateralKey key) throws VerificationException;
  }

  /** Waits between retries: {@link #REAL} in production. */
  @FunctionalInterface
  public interface Sleeper {
    Sleeper REAL = Thread::sleep;

    void sleep(Duration duration) throws InterruptedException;
  }

  /**
   * How long items live and how retries behave.
   *
   * @param maxAge the longest an item is served after its fetch
   * @param maxRetries how many times a 429 is retried (so at most {@code maxRetries + 1}
   *     requests per fetch)
   * @param initialBackoff the wait before the first retry when the service names none
   * @param maxBackoff the longest single wait; a longer Retry-After fails the fetch
   * @param maxEntries the most items kept
   */
  public record Settings(Duration maxAge, int maxRetries, Duration initialBackoff,
      Duration maxBackoff, int maxEntries) {
    /** One hour, three retries from one second up to one minute, 10,000 items. */
    public static final Settings DEFAULT = new Settings(Duration.ofHours(1), 3,
        Duration.ofSeconds(1), Duration.ofMinutes(1), 10_000);

    public Settings {
      Objects.requireNonNull(maxAge, "maxAge");
      Objects.requireNonNull(initialBackoff, "initialBackoff");
      Objects.requireNonNull(maxBackoff, "maxBackoff");
      if (maxAge.isNegative() || initialBackoff.isNegative() || maxBackoff.isNegative()
          || maxRetries < 0 || maxEntries <= 0) {
        throw new IllegalArgumentException("cache settings must not be negative");
      }
    }
  }

  private record Entry(Collateral collateral, Instant expires) {}

  private final Fetcher fetcher;
  private final Settings settings;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Map<CollateralKey, Entry> entries = new ConcurrentHashMap<>();
  private final Map<CollateralKey, CompletableFuture<Collateral>> inFlight =
      new ConcurrentHashMap<>();

  public CollateralCache(Fetcher fetcher, Settings settings, Clock clock, Sleeper sleeper) {
    this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
  }

  /** AMD's and Intel's public services with the default limits, settings and real time. */
  public static CollateralCache ofVendorServices() {
    return new CollateralCache(
        new VendorServices(VendorServices.Endpoints.PRODUCTION, VendorServices.Limits.DEFAULT),
        Settings.DEFAULT, Clock.systemUTC(), Sleeper.REAL);
  }

  @Override
  public Collateral get(CollateralKey key) throws VerificationException {
    Objects.requireNonNull(key, "key");
    Optional<Collateral> cached = fresh(key);
    if (cached.isPresent()) {
      return cached.get();
    }
    CompletableFuture<Collateral> mine = new CompletableFuture<>();
    CompletableFuture<Collateral> running = inFlight.putIfAbsent(key, mine);
    if (running != null) {
      return await(running, key);
    }
    try {
      // A fetch may have completed between the look-up above and becoming the fetcher.
      Optional<Collateral> again = fresh(key);
      Collateral result = again.isPresent() ? again.get() : fetchAndStore(key);
      mine.complete(result);
      return result;
    } catch (VerificationException | RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(key, mine);
    }
  }

  private Optional<Collateral> fresh(CollateralKey key) {
    Entry entry = entries.get(key);
    return entry != null && clock.instant().isBefore(entry.expires())
        ? Optional.of(entry.collateral()) : Optional.empty();
  }

  private static Collateral await(CompletableFuture<Collateral> running, CollateralKey key)
      throws VerificationException {
    try {
      return running.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VerificationException(Failure.COLLATERAL_UNAVAILABLE,
          "interrupted while waiting for " + key, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof VerificationException v) {
        // A fresh exception per caller, with the shared one as its cause.
        throw new VerificationException(v.failure(), v.getMessage(), v);
      }
      throw new VerificationException(Failure.INTERNAL_ERROR,
          "fetching " + key + " failed unexpectedly", e.getCause());
    }
  }

  private Collateral fetchAndStore(CollateralKey key) throws VerificationException {
    VendorResponse response = fetchWithBackoff(key);
    if (response.status() != 200) {
      throw new VerificationException(Failure.COLLATERAL_UNAVAILABLE,
          "the vendor answered HTTP " + response.status() + " for " + key);
    }
    if (key.hasIssuerChain() && response.issuerChainPem().isEmpty()) {
      throw new VerificationException(Failure.COLLATERAL_UNAVAILABLE,
          "the vendor sent " + key + " without its issuer chain header");
    }
    Collateral collateral = new Collateral(key, response.body(), response.issuerChainPem());
    Duration lifetime = lifetime(response.cacheControl());
    if (!lifetime.isZero()) {
      store(key, new Entry(collateral, clock.instant().plus(lifetime)));
    }
    return collateral;
  }

  private VendorResponse fetchWithBackoff(CollateralKey key) throws VerificationException {
    Duration backoff = settings.initialBackoff();
    for (int attempt = 0; ; attempt++) {
      VendorResponse response = fetcher.fetch(key);
      if (response.status() != 429) {
        return response;
      }
      if (attempt == settings.maxRetries()) {
        throw new VerificationException(Failure.COLLATERAL_UNAVAILABLE, "the vendor still"
            + " answers HTTP 429 (too many requests) for " + key + " after "
            + settings.maxRetries() + " retries");
      }
      Duration wait = retryAfter(response.retryAfter()).orElse(backoff);
      if (wait.compareTo(settings.maxBackoff()) > 0) {
        throw new VerificationException(Failure.COLLATERAL_UNAVAILABLE, "the vendor answers"
            + " HTTP 429 (too many requests) for " + key + " and asks to wait " + wait
            + ", longer than the " + settings.maxBackoff() + " this cache waits");
      }
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new VerificationException(Failure.COLLATERAL_UNAVAILABLE,
            "interrupted while backing off from " + key, e);
      }
      backoff = backoff.multipliedBy(2);
    }
  }

  /**
   * {@code Retry-After} (RFC 9110 §10.2.3): delay-seconds or an HTTP-date; a date in the past
   * means no wait. An unreadable value is ignored, and the default back-off applies.
   */
  Optional<Duration> retryAfter(Optional<String> header) {
    if (header.isEmpty()) {
      return Optional.empty();
    }
    String value = header.get().trim();
    if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return value.length() > 9 ? Optional.of(Duration.ofSeconds(Integer.MAX_VALUE))
          : Optional.of(Duration.ofSeconds(Long.parseLong(value)));
    }
    try {
      Instant when = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
          .toInstant();
      Duration wait = Duration.between(clock.instant(), when);
      return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The shorter of the configured maximum age and the service's Cache-Control. */
  Duration lifetime(Optional<String> cacheControl) {
    Duration lifetime = settings.maxAge();
    if (cacheControl.isEmpty()) {
      return lifetime;
    }
    for (String directive : cacheControl.get().toLowerCase(Locale.ROOT).split(",")) {
      String d = directive.trim();
      if (d.equals("no-store") || d.equals("no-cache")) {
        return Duration.ZERO;
      }
      if (d.startsWith("max-age=")) {
        String seconds = d.substring("max-age=".length());
        if (!seconds.isEmpty() && seconds.length() <= 9
            && seconds.chars().allMatch(c -> c >= '0' && c <= '9')) {
          Duration stated = Duration.ofSeconds(Long.parseLong(seconds));
          lifetime = stated.compareTo(lifetime) < 0 ? stated : lifetime;
        }
      }
    }
    return lifetime;
  }

  private void store(CollateralKey key, Entry entry) {
    entries.put(key, entry);
    if (entries.size() <= settings.maxEntries()) {
      return;
    }
    Instant now = clock.instant();
    entries.values().removeIf(e -> !now.isBefore(e.expires()));
    while (entries.size() > settings.maxEntries()) {
      entries.entrySet().stream().min(Comparator.comparing(e -> e.getValue().expires()))
          .ifPresent(oldest -> entries.remove(oldest.getKey(), oldest.getValue()));
    }
  }
}
