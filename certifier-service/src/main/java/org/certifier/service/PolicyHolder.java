package org.certifier.service;

import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.certifier.claims.SignedPolicy;
import org.certifier.claims.VersionedPolicy;
import org.certifier.evidence.VerificationException;
import org.certifier.proto.key_message;
import org.certifier.service.store.PolicyRollbackException;
import org.certifier.service.store.PolicyVersion;
import org.certifier.service.store.ServiceStore;

/**
 * The domain's policy in force, replaced without a restart from two sources: the policy file
 * (reloaded when it changes) and, for replicas, the policy versions published in the shared
 * store (polled). Whatever the source, a candidate must verify under the policy key and have a
 * higher version than the policy in force; anything else is refused with a log line and the
 * policy in force stays, so a bad or replayed policy can never replace a good one. The reference's
 * unversioned file is version 0; it may be replaced by another unversioned file, as the
 * reference service allows, until the first versioned policy is in force.
 */
public final class PolicyHolder implements Supplier<SignedPolicy>, Closeable {
  private static final System.Logger LOG = System.getLogger("org.certifier.service.policy");
  /** Versions examined per poll, newest first; more than anyone publishes between two polls. */
  private static final int VERSIONS_PER_POLL = 16;

  private final Path file;
  private final Optional<ServiceStore> store;
  private final key_message policyKey;
  private final Clock clock;
  private volatile VersionedPolicy current;
  private volatile String source;
  // Guarded by this:
  private FileTime loadedModified;
  private long loadedSize;
  private final Set<String> refusedStoreVersions = new HashSet<>();
  private final List<Consumer<VersionedPolicy>> listeners = new CopyOnWriteArrayList<>();
  private ScheduledExecutorService poller;

  private PolicyHolder(Path file, Optional<ServiceStore> store, key_message policyKey,
      Clock clock) {
    this.file = file;
    this.store = store;
    this.policyKey = policyKey;
    this.clock = clock;
  }

  /** Loads the policy file; fails if it is missing, malformed or not signed. */
  public static PolicyHolder load(Path file, key_message policyKey, Clock clock)
      throws IOException, VerificationException {
    PolicyHolder holder = new PolicyHolder(file, Optional.empty(), policyKey, clock);
    holder.loadFile();
    holder.announce();
    return holder;
  }

  /**
   * Loads the policy file, which must be valid, then takes the newest valid version from the
   * store if it is newer; a versioned file newer than anything in the store is published there,
   * so the other replicas follow and no restart can go back below it.
   */
  public static PolicyHolder load(Path file, ServiceStore store, key_message policyKey,
      Clock clock) throws IOException, VerificationException {
    PolicyHolder holder = new PolicyHolder(file, Optional.of(store), policyKey, clock);
    synchronized (holder) {
      holder.loadFile();
      holder.publishIfNewest(holder.current);
      if (!holder.pollStore()) {
        holder.announce();
      }
    }
    return holder;
  }

  /** The policy in force. */
  @Override
  public SignedPolicy get() {
    return current.policy();
  }

  /** The policy in force with its version, SHA-256 and, if versioned, its issue time. */
  public VersionedPolicy current() {
    return current;
  }

  /** The version in force: 0 for the reference's unversioned file. */
  public long version() {
    return current.version();
  }

  /**
   * Calls {@code listener} with every policy that comes into force from now on (not the one in
   * force now), on the thread that adopted it; e.g. to announce what changes with it.
   */
  public void onChange(Consumer<VersionedPolicy> listener) {
    listeners.add(listener);
  }

  /** Where the policy in force came from: the file's path, or "the store". */
  public String source() {
    return source;
  }

  /**
   * Checks both sources now (the file, then the store); returns true if a newer policy is now in
   * force. Never throws: every refusal and every unreachable store is logged.
   */
  public synchronized boolean refresh() {
    boolean fromFile = reloadIfChanged();
    boolean fromStore = pollStore();
    return fromFile || fromStore;
  }

  /** Calls {@link #refresh} every {@code interval} on a daemon thread until closed. */
  public synchronized void pollEvery(Duration interval) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the policy poll interval must be positive");
    }
    if (poller != null) {
      throw new IllegalStateException("already polling");
    }
    poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "policy-poller");
      t.setDaemon(true);
      return t;
    });
    long millis = interval.toMillis();
    poller.scheduleWithFixedDelay(this::refresh, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Stops polling; the policy in force stays readable. */
  @Override
  public synchronized void close() {
    if (poller != null) {
      poller.shutdownNow();
    }
  }

  /**
   * Re-reads the file if it changed; returns true if it is now in force. A refused file is logged
   * and remembered, so it is not re-read until it changes again.
   */
  public synchronized boolean reloadIfChanged() {
    VersionedPolicy candidate;
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      long size = Files.size(file);
      if (modified.equals(loadedModified) && size == loadedSize) {
        return false;
      }
      loadedModified = modified;
      loadedSize = size;
      candidate = VersionedPolicy.load(Files.readAllBytes(file), policyKey, clock.instant());
    } catch (IOException | VerificationException e) {
      LOG.log(Level.ERROR, "policy file {0} refused, {1} stays in force: {2}", file,
          current, e.getMessage());
      return false;
    }
    if (candidate.sha256().equals(current.sha256())) {
      return false;
    }
    if (!replaces(candidate)) {
      LOG.log(Level.ERROR, "policy file {0} refused: its version {1} is not above version {2}"
          + " in force (versions only go up); {3} stays in force", file, candidate.version(),
          current.version(), current);
      return false;
    }
    adopt(candidate, file.toString());
    publishIfNewest(candidate);
    return true;
  }

  /** Newer versions replace older ones; an unversioned file another unversioned one. */
  private boolean replaces(VersionedPolicy candidate) {
    return candidate.version() > current.version()
        || (candidate.version() == VersionedPolicy.UNVERSIONED
            && current.version() == VersionedPolicy.UNVERSIONED);
  }

  private void loadFile() throws IOException, VerificationException {
    FileTime modified = Files.getLastModifiedTime(file);
    long size = Files.size(file);
    current = VersionedPolicy.load(Files.readAllBytes(file), policyKey, clock.instant());
    source = file.toString();
    loadedModified = modified;
    loadedSize = size;
  }

  /**
   * Asks the store for its newest version (one row) and, only if it is above the version in
   * force, switches to the newest stored version that verifies. Refused versions are examined
   * again at every poll (a version whose statements are not valid yet may become valid) but
   * logged only once.
   */
  private boolean pollStore() {
    if (store.isEmpty()) {
      return false;
    }
    try {
      long newest = store.get().newestPolicyVersion();
      if (newest <= current.version()) {
        return false;
      }
      List<PolicyVersion> candidates = store.get().policyVersionsAbove(current.version(),
          VERSIONS_PER_POLL);
      for (PolicyVersion stored : candidates) {
        Optional<VersionedPolicy> valid = verified(stored);
        if (valid.isPresent()) {
          adopt(valid.get(), "the store");
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot read policy versions from the store, {0} stays in force:"
          + " {1}", current, e.getMessage());
      return false;
    }
  }

  /** The stored version if it verifies and is what its row says; logged once if not. */
  private Optional<VersionedPolicy> verified(PolicyVersion stored) {
    String why;
    if (!stored.matchesSha256()) {
      why = "its bytes do not match the SHA-256 stored with them";
    } else {
      try {
        VersionedPolicy candidate = VersionedPolicy.verify(stored.artefact(), policyKey,
            clock.instant());
        if (candidate.version() == stored.version()) {
          return Optional.of(candidate);
        }
        why = "the artefact says it is version " + candidate.version();
      } catch (VerificationException e) {
        why = e.failure().code() + ": " + e.getMessage();
      }
    }
    if (refusedStoreVersions.add(stored.version() + ":" + stored.sha256())) {
      LOG.log(Level.ERROR, "policy version {0} in the store refused, it will not be used: {1}",
          stored.version(), why);
    }
    return Optional.empty();
  }

  /** Puts a versioned policy newer than the store's into the store; a race lost is harmless. */
  private void publishIfNewest(VersionedPolicy policy) {
    if (store.isEmpty() || policy.version() == VersionedPolicy.UNVERSIONED) {
      return;
    }
    try {
      if (policy.version() > store.get().newestPolicyVersion()) {
        store.get().publishPolicy(PolicyVersion.of(policy.version(), policy.artefact(),
            clock.instant()));
        LOG.log(Level.INFO, "policy version {0} from {1} published to the store",
            policy.version(), file);
      }
    } catch (PolicyRollbackException e) {
      // Another replica published the same or a newer version meanwhile: the next poll sees it.
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot publish policy version {0} from {1} to the store: {2}",
          policy.version(), file, e.getMessage());
    }
  }

  private void adopt(VersionedPolicy policy, String from) {
    current = policy;
    source = from;
    announce();
    listeners.forEach(l -> l.accept(policy));
  }

  private void announce() {
    LOG.log(Level.INFO, "{0} from {1} in force", current, source);
  }
}
