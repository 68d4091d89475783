package org.certifier.service.store;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * What makes the embedded store's records durable cheaply: a write-ahead {@link Journal} that
 * every {@link ServiceStore#record} appends to and forces (group commit) before it returns,
 * while H2, the queryable copy, writes its file in its own time and is forced only now and then.
 *
 * <p>Why not force H2 itself: a {@code CHECKPOINT SYNC} serialises H2's changed pages, about
 * 2 ms of CPU per certification (docs/benchmarks.md); appending a few KiB and one
 * {@code fdatasync} per batch costs a small fraction of that.
 *
 * <p>Ordering: a record's database transaction and its journal append happen under one lock, so
 * the journal holds the records in audit sequence order and only committed ones. The journal
 * therefore always holds a gap-free run of the newest records, and H2, after any crash, holds a
 * prefix of the log (MVStore recovers to a consistent version) reaching at least the last
 * checkpoint; replay ({@link #acquire}) fills in the rest.
 *
 * <p>Rotation: once a segment exceeds {@link #ROTATE_BYTES}, the next caller prepares the next
 * segment (preallocated, outside the append lock), forces the full one and switches to the
 * next, runs a checkpoint (which makes every record of the old segment durable in H2) and
 * deletes the old segment.
 *
 * <p>Several stores in one process may open the same H2 file (tests stand replicas that way);
 * they share one instance per journal directory, counted, so appends stay in one order.
 */
final class EmbeddedJournal {
  private static final System.Logger LOG = System.getLogger(EmbeddedJournal.class.getName());
  /** Rotation keeps replay at start short: a few thousand records at most. */
  static final long ROTATE_BYTES = 8L << 20;
  private static final long PREALLOCATION_SLACK = 256L << 10;
  private static final Map<Path, EmbeddedJournal> OPEN = new HashMap<>();

  /** Writes the journal's records into H2 and makes H2 durable (a checkpoint). */
  @FunctionalInterface
  interface Replay {
    void run(Journal.Contents contents) throws IOException;
  }

  /** Makes everything committed to H2 durable: {@code CHECKPOINT SYNC}. */
  @FunctionalInterface
  interface Checkpoint {
    void run() throws IOException;
  }

  /** A database transaction that must commit before its record is appended. */
  @FunctionalInterface
  interface Commit<T> {
    T run() throws SQLException;
  }

  private final Path directory;
  private final Journal journal;
  private final long rotateBytes;
  private final ReentrantLock appendLock = new ReentrantLock();
  private final GroupSync<IOException> forced;
  private final AtomicBoolean rotating = new AtomicBoolean();
  /** Rotated-away segments not yet deleted (under the append lock). */
  private final List<Path> retired = new ArrayList<>();
  private int users;
  /** Set once an append or a force failed: what the journal holds is no longer known. */
  private volatile IOException failed;

  private EmbeddedJournal(Path directory, Journal journal, long rotateBytes) {
    this.directory = directory;
    this.journal = journal;
    this.rotateBytes = rotateBytes;
    this.forced = new GroupSync<>(this::force, e -> new StoreException(
        "interrupted while waiting for the journal to reach the disk", e));
  }

  /**
   * The journal in {@code directory}, shared with other stores of this process. The first one
   * to open it reads it, has {@code replay} write its records into H2 and make H2 durable, then
   * starts the journal afresh.
   *
   * @throws CorruptJournalException from {@code replay}, if acknowledged records may be lost
   */
  static EmbeddedJournal acquire(Path directory, Replay replay) throws IOException {
    return acquire(directory, ROTATE_BYTES, replay);
  }

  /** As above, rotating once a segment holds {@code rotateBytes}, if this opens the journal. */
  static EmbeddedJournal acquire(Path directory, long rotateBytes, Replay replay)
      throws IOException {
    Path key = directory.toAbsolutePath().normalize();
    synchronized (OPEN) {
      EmbeddedJournal shared = OPEN.get(key);
      if (shared == null) {
        // Preallocated a little beyond the rotation size: the record that crosses it still
        // lands in written blocks.
        Journal journal = Journal.open(key, rotateBytes + PREALLOCATION_SLACK);
        try {
          Journal.Contents contents = journal.read();
          replay.run(contents);
          contents.tornEnd().ifPresent(torn -> LOG.log(Level.WARNING, "dropped the torn end of"
              + " the journal ({0}): a record cut short by a crash, never acknowledged", torn));
          journal.restart();
        } catch (IOException | RuntimeException e) {
          journal.close();
          throw e;
        }
        shared = new EmbeddedJournal(key, journal, rotateBytes);
        OPEN.put(key, shared);
      }
      shared.users++;
      return shared;
    }
  }

  /**
   * Runs {@code commit} and appends the record {@code payload} makes of its result, in one
   * order shared by all stores on this journal. The record is not durable until
   * {@link #awaitDurable()}.
   */
  <T> T append(Commit<T> commit, Function<T, byte[]> payload)
      throws SQLException, IOException {
    appendLock.lock();
    try {
      throwIfFailed();
      T committed = commit.run();
      try {
        journal.append(payload.apply(committed));
      } catch (IOException e) {
        // The database has the record and the journal may hold part of it: from here on
        // nothing is appended, so the journal never holds a gap or a torn frame mid-file.
        failed = e;
        throw new StoreException("recorded in the database, but cannot append to the journal "
            + directory + "; refusing further records until the service is restarted: "
            + e.getMessage(), e);
      }
      return committed;
    } finally {
      appendLock.unlock();
    }
  }

  /** Returns once every record appended before this call is on the device. */
  void awaitDurable() throws IOException {
    forced.awaitDurable();
  }

  private void force() throws IOException {
    throwIfFailed();
    try {
      journal.force();
    } catch (IOException e) {
      // After a failed fsync the kernel may have dropped the dirty pages and a retry may
      // "succeed" without them (PostgreSQL's fsync lesson): never trust this journal again.
      failed = e;
      throw new StoreException("cannot force the journal " + directory + " to disk; refusing"
          + " further records until the service is restarted: " + e.getMessage(), e);
    }
  }

  private void throwIfFailed() throws StoreException {
    IOException e = failed;
    if (e != null) {
      throw new StoreException("the journal " + directory + " failed earlier ("
          + e.getMessage() + "); restart the service", e);
    }
  }

  /**
   * Rotates if the segment is full and no other thread is rotating. Called after a record is
   * durable, so the caller's answer does not depend on it: a failure is logged, and a segment
   * whose checkpoint failed is deleted after the next one that succeeds.
   */
  void rotateIfFull(Checkpoint checkpoint) {
    if (journal.currentSize() < rotateBytes || !rotating.compareAndSet(false, true)) {
      return;
    }
    try {
      // Zero-filling and forcing the next segment takes tens of milliseconds on a busy disk:
      // done before taking the lock, so appends do not wait for it.
      journal.prepareNext();
      List<Path> done;
      appendLock.lock();
      try {
        if (failed != null || journal.currentSize() < rotateBytes) {
          return;
        }
        // Every record in the old segment is committed in H2 (commit precedes append), so the
        // checkpoint below makes all of them durable there.
        try {
          retired.add(journal.rotate());
        } catch (IOException e) {
          failed = e;
          throw e;
        }
        done = List.copyOf(retired);
      } finally {
        appendLock.unlock();
      }
      checkpoint.run();
      appendLock.lock();
      try {
        journal.delete(done);
        retired.removeAll(done);
      } finally {
        appendLock.unlock();
      }
    } catch (IOException e) {
      LOG.log(Level.ERROR, "cannot rotate the journal " + directory + "; its segments stay"
          + " until a later rotation or the next start replays them", e);
    } finally {
      rotating.set(false);
    }
  }

  /**
   * One store is done with the journal. The last one makes H2 durable and, if that worked,
   * deletes the segments: after a clean stop the H2 file alone holds everything.
   */
  void release(Checkpoint checkpoint) throws IOException {
    synchronized (OPEN) {
      if (--users > 0) {
        return;
      }
      OPEN.remove(directory);
      appendLock.lock();
      try {
        if (failed == null) {
          checkpoint.run();
          journal.delete(journal.segments());
        }
      } finally {
        appendLock.unlock();
        journal.close();
      }
    }
  }
}
