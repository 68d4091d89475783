package org.certifier.service;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.function.Supplier;
import org.certifier.claims.SignedPolicy;
import org.certifier.evidence.VerificationException;
import org.certifier.proto.key_message;

/**
 * The domain's current signed policy, reloaded when its file changes, without a restart. A new
 * file that does not parse or verify under the policy key is refused and the old policy stays in
 * force, so a bad edit can never leave the service without a policy or with an unsigned one.
 */
public final class PolicyHolder implements Supplier<SignedPolicy> {
  private static final System.Logger LOG = System.getLogger("org.certifier.service.policy");
  /** How often a certification may look at the file's timestamp; a stat per request is waste. */
  private static final long CHECK_INTERVAL_MILLIS = 1000;

  private final Path file;
  private final key_message policyKey;
  private final Clock clock;
  private volatile SignedPolicy current;
  private volatile FileTime loadedModified;
  private volatile long loadedSize;
  private volatile long nextCheck;

  private PolicyHolder(Path file, key_message policyKey, Clock clock) {
    this.file = file;
    this.policyKey = policyKey;
    this.clock = clock;
  }

  /** Loads the policy; fails if the initial file is missing, malformed or not signed. */
  public static PolicyHolder load(Path file, key_message policyKey, Clock clock)
      throws IOException, VerificationException {
    PolicyHolder holder = new PolicyHolder(file, policyKey, clock);
    holder.loadNow();
    return holder;
  }

  @Override
  public SignedPolicy get() {
    long now = System.currentTimeMillis();
    if (now >= nextCheck) {
      nextCheck = now + CHECK_INTERVAL_MILLIS;
      reloadIfChanged();
    }
    return current;
  }

  /**
   * Re-reads the file if it changed; returns true if a new policy is now in force. A rejected
   * file is logged and remembered, so it is not re-read until it changes again.
   */
  public synchronized boolean reloadIfChanged() {
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      long size = Files.size(file);
      if (modified.equals(loadedModified) && size == loadedSize) {
        return false;
      }
      loadNow();
      LOG.log(Level.INFO, "policy reloaded from {0}: {1} statements", file, current.size());
      return true;
    } catch (IOException | VerificationException e) {
      LOG.log(Level.ERROR, "new policy file {0} refused, the previous policy stays in force: {1}",
          file, e.getMessage());
      rememberFileState();
      return false;
    }
  }

  private void loadNow() throws IOException, VerificationException {
    FileTime modified = Files.getLastModifiedTime(file);
    long size = Files.size(file);
    current = SignedPolicy.parse(Files.readAllBytes(file), policyKey, clock.instant());
    loadedModified = modified;
    loadedSize = size;
  }

  private void rememberFileState() {
    try {
      loadedModified = Files.getLastModifiedTime(file);
      loadedSize = Files.size(file);
    } catch (IOException e) {
      // the file vanished; the next check sees it again
    }
  }
}
