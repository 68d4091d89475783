package org.certifier.client.revocation;

import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.certifier.client.channel.DomainTls;
import org.certifier.client.channel.PeerStatus;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;

/**
 * Holds a domain's current CRL and answers "may this peer be trusted" for the secure channel.
 *
 * <p>Fail closed: once a checker exists, a peer is refused if its serial is on the current CRL,
 * and also if there is no current CRL at all: none fetched yet, or the last one's nextUpdate
 * plus {@link Settings#grace()} has passed without a newer one arriving. An unreachable CRL
 * server therefore stops new channels once the grace runs out; it does not close channels that
 * are already open (only a revocation does). The grace is the operator's tolerance for a slow
 * refresh, not a way to turn checking off.
 *
 * <p>A CRL is installed only if it verifies under the policy certificate ({@link Crl#parse}), is
 * current, and its CRL number is larger than that of every list seen before (the same list again
 * is a no-op): an attacker who replays an older, signed list to hide a revocation is refused,
 * and the list in force stays. A list with the same number as the newest seen is taken only as
 * a re-issue of it: issued later and revoking at least every serial it revokes (service
 * replicas may sign the same list at different times); anything else with that number is
 * refused. When a list is installed, every watched channel whose peer it
 * revokes is told (and closes itself).
 */
public final class RevocationChecker implements PeerStatus, AutoCloseable {
  /**
   * @param refreshInterval longest time between two fetches; fetches also happen by half the
   *     time left before the current list's nextUpdate, whichever is sooner
   * @param grace how long after its nextUpdate a list still counts while no newer one could be
   *     fetched
   */
  public record Settings(Duration refreshInterval, Duration grace) {
    public Settings {
      if (refreshInterval.isNegative() || refreshInterval.isZero()) {
        throw new IllegalArgumentException("CRL refresh interval must be positive");
      }
      if (grace.isNegative()) {
        throw new IllegalArgumentException("CRL grace must not be negative");
      }
    }

    /** Fetch at least every 5 minutes; a list counts until 5 minutes after its nextUpdate. */
    public static Settings defaults() {
      return new Settings(Duration.ofMinutes(5), Duration.ofMinutes(5));
    }

    public Settings withRefreshInterval(Duration interval) {
      return new Settings(interval, grace);
    }

    public Settings withGrace(Duration newGrace) {
      return new Settings(refreshInterval, newGrace);
    }
  }

  /** What happens in the background; both methods run on the refresh thread. */
  public interface Listener {
    default void installed(Crl crl) {}

    default void refreshFailed(Exception failure, Instant nextAttempt) {}
  }

  /** Never refresh in a tighter loop than this, whatever the list's nextUpdate says. */
  private static final Duration MIN_REFRESH = Duration.ofMillis(100);
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);

  private final X509Certificate policyCert;
  private final CrlSource source;
  private final Settings settings;
  private final Clock clock;
  private final Listener listener;
  private final Set<Watched> watched = ConcurrentHashMap.newKeySet();
  /** The list in force; null until one was installed. */
  private volatile Crl current;
  /** The newest list seen, current or stale: nothing older is ever installed. */
  private Crl newest;
  private volatile boolean closed;
  private ScheduledFuture<?> pending;
  private int failures;

  public RevocationChecker(X509Certificate policyCert, CrlSource source, Settings settings,
      Clock clock, Listener listener) {
    this.policyCert = Objects.requireNonNull(policyCert, "policyCert");
    this.source = Objects.requireNonNull(source, "source");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /**
   * Takes a previously installed list (e.g. kept in the sealed store) as the floor for CRL
   * numbers, and as the current list if it is still current. Its signature is checked again.
   */
  public synchronized void restore(byte[] der) throws VerificationException {
    Crl crl = Crl.parse(der, policyCert);
    if (newest == null || newest.number().compareTo(crl.number()) < 0) {
      newest = crl;
    }
    try {
      crl.checkCurrent(clock.instant());
      if (current == null || current.number().compareTo(crl.number()) < 0) {
        current = crl;
      }
    } catch (VerificationException stale) {
      // Too old to decide on peers, still good as the floor against replays.
    }
  }

  /**
   * Verifies and installs {@code der} as the current list.
   *
   * @return true if it was installed, false if it is the list already in force
   * @throws VerificationException if it does not verify, is not current, or is older than (or
   *     a different list with the same number as) one seen before; the list in force stays
   */
  public boolean install(byte[] der) throws VerificationException {
    Crl crl = Crl.parse(der, policyCert);
    crl.checkCurrent(clock.instant());
    synchronized (this) {
      Crl now = current;
      if (now != null && now.sameAs(crl)) {
        return false;
      }
      if (newest != null && !supersedes(crl, newest)) {
        throw new VerificationException(Failure.COLLATERAL_EXPIRED, "CRL number "
            + crl.number() + " does not supersede number " + newest.number()
            + " already seen; an older list is never taken back");
      }
      newest = crl;
      current = crl;
    }
    // Outside the lock: callbacks close sockets and write the store.
    for (Watched w : List.copyOf(watched)) {
      Optional<Instant> revokedAt = crl.revocationDate(w.serial);
      if (revokedAt.isPresent() && watched.remove(w)) {
        w.onRevoked.accept(describe(w.peer, crl, revokedAt.get()) + "; channel closed");
      }
    }
    listener.installed(crl);
    return true;
  }

  /** Fetches the list from the source and installs it if it is new. */
  public boolean refresh() throws IOException, VerificationException {
    return install(source.fetch());
  }

  /** The list in force, if any (it may have gone stale since; {@link #check} tells). */
  public Optional<Crl> current() {
    return Optional.ofNullable(current);
  }

  public CrlSource source() {
    return source;
  }

  /**
   * Refreshes from now on in the background on {@code scheduler} (whose tasks may block for up
   * to the source's timeout), until {@link #close()}; the first fetch is soon if there is no
   * current list, else as after a successful fetch.
   */
  public synchronized void start(ScheduledExecutorService scheduler) {
    scheduleRefresh(scheduler, current == null ? min(FIRST_RETRY, settings.refreshInterval())
        : nextRefresh());
  }

  @Override
  public void check(X509Certificate peer) throws CertificateException {
    Crl crl = current;
    Instant now = clock.instant();
    if (crl == null) {
      throw refused("no CRL of the domain could be obtained yet, so the revocation status of "
          + name(peer) + " is unknown", BasicReason.UNDETERMINED_REVOCATION_STATUS);
    }
    if (!now.isBefore(crl.nextUpdate().plus(settings.grace()))) {
      throw refused("the domain's CRL number " + crl.number() + " went stale at "
          + crl.nextUpdate() + " (grace " + settings.grace() + ") and no newer one could be"
          + " obtained, so the revocation status of " + name(peer) + " is unknown",
          BasicReason.UNDETERMINED_REVOCATION_STATUS);
    }
    Optional<Instant> revokedAt = crl.revocationDate(peer.getSerialNumber());
    if (revokedAt.isPresent()) {
      throw refused(describe(peer, crl, revokedAt.get()), BasicReason.REVOKED);
    }
  }

  @Override
  public Watch watch(X509Certificate peer, Consumer<String> onRevoked) {
    Watched w = new Watched(peer, peer.getSerialNumber(), onRevoked);
    watched.add(w);
    // A list installed between the handshake and now would otherwise be missed.
    Crl crl = current;
    Optional<Instant> revokedAt = crl == null ? Optional.empty()
        : crl.revocationDate(w.serial);
    if (revokedAt.isPresent() && watched.remove(w)) {
      onRevoked.accept(describe(peer, crl, revokedAt.get()) + "; channel closed");
    }
    return () -> watched.remove(w);
  }

  /** Stops the background refresh; channels stay watched until they close. */
  @Override
  public synchronized void close() {
    closed = true;
    if (pending != null) {
      pending.cancel(false);
    }
  }

  private synchronized void scheduleRefresh(ScheduledExecutorService scheduler, Duration delay) {
    if (!closed) {
      pending = scheduler.schedule(() -> refreshInBackground(scheduler), delay.toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  private void refreshInBackground(ScheduledExecutorService scheduler) {
    if (closed) {
      return;
    }
    try {
      refresh();
      synchronized (this) {
        failures = 0;
      }
      scheduleRefresh(scheduler, nextRefresh());
    } catch (IOException | VerificationException | RuntimeException e) {
      int failed;
      synchronized (this) {
        failed = failures = Math.min(failures + 1, 20);
      }
      // Retry soon, then back off up to the refresh interval.
      Duration next = min(settings.refreshInterval(),
          FIRST_RETRY.multipliedBy(1L << (failed - 1)));
      scheduleRefresh(scheduler, next);
      listener.refreshFailed(e, clock.instant().plus(next));
    }
  }

  /** After a good fetch: the refresh interval, or half the time left on the list if sooner. */
  private Duration nextRefresh() {
    Duration next = settings.refreshInterval();
    Crl crl = current;
    if (crl != null) {
      next = min(next, Duration.between(clock.instant(), crl.nextUpdate()).dividedBy(2));
    }
    return max(next, min(MIN_REFRESH, settings.refreshInterval()));
  }

  /** A larger number, or the same number re-issued later without dropping a revocation. */
  private static boolean supersedes(Crl candidate, Crl seen) {
    int order = candidate.number().compareTo(seen.number());
    return order > 0 || (order == 0 && candidate.thisUpdate().isAfter(seen.thisUpdate())
        && candidate.revokesAllOf(seen));
  }

  private static String describe(X509Certificate peer, Crl crl, Instant revokedAt) {
    return name(peer) + " is revoked (since " + revokedAt + ") by the domain's CRL number "
        + crl.number();
  }

  private static String name(X509Certificate peer) {
    return "peer certificate serial " + peer.getSerialNumber()
        + DomainTls.peerId(peer).map(id -> " (" + id + ")").orElse("");
  }

  private static CertificateException refused(String message, BasicReason reason) {
    // The JDK picks the TLS alert (certificate_revoked / certificate_unknown) from the cause.
    return new CertificateException(message,
        new CertPathValidatorException(message, null, null, -1, reason));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** One open channel; identity, not value, equality: two channels to one peer are two. */
  private static final class Watched {
    final X509Certificate peer;
    final BigInteger serial;
    final Consumer<String> onRevoked;

    Watched(X509Certificate peer, BigInteger serial, Consumer<String> onRevoked) {
      this.peer = peer;
      this.serial = serial;
      this.onRevoked = onRevoked;
    }
  }

  @Override
  public String toString() {
    return "RevocationChecker[" + source + ", " + current + "]";
  }
}
