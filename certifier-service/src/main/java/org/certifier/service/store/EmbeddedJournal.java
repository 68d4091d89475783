package org.certifier.service.store;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * What makes the embedded store's records durable cheaply: a write-ahead {@link Journal} that
 * every {@link ServiceStore#record} appends to and forces (group commit) before it returns,
 * while H2, the queryable copy, is filled from the journal's records behind the requests and
 * forced only now and then.
 *
 * <p>Why not write H2 on the request path: a {@code CHECKPOINT SYNC} serialises H2's changed
 * pages, about 2 ms of CPU per certification, and even unforced, a transaction per record (two
 * inserts, the log head's update) was a third of the service's Java time (docs/benchmarks.md).
 * Appending a few KiB and one {@code fdatasync} per batch is the record; a background thread
 * writes the records into H2 in batches of many per transaction.
 *
 * <p>Ordering: the journal owns the audit sequence numbers. An append takes the next number,
 * writes the record to the journal and queues it for H2, under one lock, so the journal holds
 * the records in sequence order with no gap, and H2 receives them in that order. The journal
 * therefore always holds every record H2 may lack: after a crash H2 holds a prefix of the log
 * (MVStore recovers to a consistent version) reaching at least the last checkpoint, and replay
 * ({@link #acquire}) fills in the rest. Reads of the log and the issuance log call
 * {@link #awaitApplied()} first, so a caller always reads what it recorded.
 *
 * <p>Rotation: once a segment exceeds {@link #ROTATE_BYTES}, the next caller prepares the next
 * segment (preallocated, outside the append lock), forces the full one and switches to the
 * next, waits until H2 has every record of the old segment, runs a checkpoint (which makes them
 * durable there) and deletes the old segment.
 *
 * <p>Several stores in one process may open the same H2 file (tests stand replicas that way);
 * they share one instance per journal directory, counted, so appends stay in one order.
 */
final class EmbeddedJournal {
  private static final System.Logger LOG = System.getLogger(EmbeddedJournal.class.getName());
  /** Rotation keeps replay at start short: a few thousand records at most. */
  static final long ROTATE_BYTES = 8L << 20;
  private static final long PREALLOCATION_SLACK = 256L << 10;
  /**
   * How long the writer lets records gather before writing them into H2: at a thousand
   * certifications a second, a few milliseconds make batches of several records, and nothing
   * waits for it but reads, which cut it short.
   */
  private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  /**
   * How often the writer makes H2 durable. Not for safety (the journal is the record) but for
   * the disk: H2 writes a few megabytes a second under load, and forced only at rotation, one
   * force of all of it stalled the records' own forces for tens of milliseconds. Forced often,
   * each force is small.
   */
  private static final long SYNC_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
  /** A batch larger than this is written without waiting longer. */
  private static final int BATCH_RECORDS = 256;
  /**
   * At most this many serials are remembered as handed out and not yet recorded; beyond it a
   * serial is still checked, by a look-up in H2.
   */
  private static final int MAX_OUTSTANDING = 65_536;
  /** Appends wait while H2 is this many records behind: memory stays bounded if H2 stalls. */
  static final int MAX_BEHIND = 4096;
  private static final Map<Path, EmbeddedJournal> OPEN = new HashMap<>();

  /**
   * Writes the journal's records into H2 and makes H2 durable (a checkpoint).
   *
   * @return the number of audit entries the database holds afterwards: the next sequence number
   */
  @FunctionalInterface
  interface Replay {
    long run(Journal.Contents contents) throws IOException;
  }

  /** Writes records into the database, in order, all in one transaction. */
  interface Writer extends AutoCloseable {
    void write(List<JournalEntry> batch) throws IOException;

    /** Makes everything written so far durable in the database ({@code CHECKPOINT SYNC}). */
    void sync() throws IOException;

    @Override
    void close();
  }

  /** Makes everything committed to H2 durable: {@code CHECKPOINT SYNC}. */
  @FunctionalInterface
  interface Checkpoint {
    void run() throws IOException;
  }

  /** Whether the database already holds a certificate with this serial. */
  @FunctionalInterface
  interface SerialLookup {
    boolean recorded(BigInteger serial) throws IOException;
  }

  private final Path directory;
  private final Journal journal;
  private final long rotateBytes;
  private final Writer writer;
  private final Thread writerThread;
  private final ReentrantLock appendLock = new ReentrantLock();
  /** Signalled when records are queued while the writer is idle. */
  private final Condition queued = appendLock.newCondition();
  /** Signalled when a reader waits or a batch is full: the writer stops gathering. */
  private final Condition hurry = appendLock.newCondition();
  /** Signalled when the writer has written a batch or failed. */
  private final Condition written = appendLock.newCondition();
  private final GroupSync<IOException> forced;
  /**
   * Serials the database's sequence handed out in this process and not yet recorded: each is
   * unique and unused, so recording one needs no look-up for a duplicate.
   */
  private final Set<BigInteger> outstanding = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean rotating = new AtomicBoolean();
  /** Rotated-away segments not yet deleted (under the append lock). */
  private final List<Path> retired = new ArrayList<>();
  // Under the append lock:
  /** Records appended but not yet written into H2, oldest first. */
  private final ArrayDeque<JournalEntry> behind = new ArrayDeque<>();
  /** Serials of the certificates among {@link #behind}. */
  private final Set<BigInteger> serialsBehind = new HashSet<>();
  /** The next audit sequence number. */
  private long nextSeq;
  /** Every record below this sequence number is in H2. */
  private long writtenUpTo;
  private boolean writerIdle;
  private int readersWaiting;
  private boolean stopping;
  private int users;
  /** Set once an append, a force or a write into H2 failed: what is where is no longer known. */
  private volatile IOException failed;

  private EmbeddedJournal(Path directory, Journal journal, long rotateBytes, Writer writer,
      long nextSeq) {
    this.directory = directory;
    this.journal = journal;
    this.rotateBytes = rotateBytes;
    this.writer = writer;
    this.nextSeq = nextSeq;
    this.writtenUpTo = nextSeq;
    this.forced = new GroupSync<>(this::force, e -> new StoreException(
        "interrupted while waiting for the journal to reach the disk", e));
    this.writerThread = Thread.ofPlatform().name("certifier-journal-writer").daemon(true)
        .unstarted(this::writeBehind);
  }

  /**
   * The journal in {@code directory}, shared with other stores of this process. The first one
   * to open it reads it, has {@code replay} write its records into H2 and make H2 durable, then
   * starts the journal afresh and writes later records into H2 with the writer {@code writer}
   * makes (closed when the journal is released).
   *
   * @throws CorruptJournalException from {@code replay}, if acknowledged records may be lost
   */
  static EmbeddedJournal acquire(Path directory, Replay replay, Supplier<Writer> writer)
      throws IOException {
    return acquire(directory, ROTATE_BYTES, replay, writer);
  }

  /** As above, rotating once a segment holds {@code rotateBytes}, if this opens the journal. */
  static EmbeddedJournal acquire(Path directory, long rotateBytes, Replay replay,
      Supplier<Writer> writer) throws IOException {
    Path key = directory.toAbsolutePath().normalize();
    synchronized (OPEN) {
      EmbeddedJournal shared = OPEN.get(key);
      if (shared == null) {
        // Preallocated a little beyond the rotation size: the record that crosses it still
        // lands in written blocks.
        Journal journal = Journal.open(key, rotateBytes + PREALLOCATION_SLACK);
        long size;
        try {
          Journal.Contents contents = journal.read();
          size = replay.run(contents);
          contents.tornEnd().ifPresent(torn -> LOG.log(Level.WARNING, "dropped the torn end of"
              + " the journal ({0}): a record cut short by a crash, never acknowledged", torn));
          journal.restart();
        } catch (IOException | RuntimeException e) {
          journal.close();
          throw e;
        }
        shared = new EmbeddedJournal(key, journal, rotateBytes, writer.get(), size);
        shared.writerThread.start();
        OPEN.put(key, shared);
      }
      shared.users++;
      return shared;
    }
  }

  /**
   * Numbers {@code decision} with the next audit sequence number, appends it (with the
   * certificate issued with it) to the journal and queues it for H2, in one order shared by all
   * stores on this journal. The record is not durable until {@link #awaitDurable()}.
   *
   * @param inDatabase tells whether H2 already holds a serial; called under the append lock
   * @throws StoreException if {@code issued}'s serial is already recorded; nothing is appended
   */
  AuditEntry append(DecisionRecord decision, Optional<IssuedCertificate> issued,
      SerialLookup inDatabase) throws IOException {
    appendLock.lock();
    try {
      throwIfFailed();
      while (behind.size() >= MAX_BEHIND) {
        // H2 is far behind: wait for the writer rather than hold ever more records in memory.
        written.awaitUninterruptibly();
        throwIfFailed();
      }
      if (issued.isPresent()) {
        BigInteger serial = issued.get().serial();
        // Otherwise: queued records first. One leaves the queue only once H2 has committed
        // it, so a serial not queued now is in H2 already or was never recorded.
        if (!outstanding.remove(serial)
            && (serialsBehind.contains(serial) || inDatabase.recorded(serial))) {
          throw new StoreException("serial " + serial + " is already in the issuance log;"
              + " nothing was recorded");
        }
      }
      JournalEntry record = new JournalEntry(new AuditEntry(nextSeq, decision), issued);
      try {
        journal.append(record.encode());
      } catch (IOException e) {
        // The journal may hold part of the record: from here on nothing is appended, so the
        // journal never holds a gap or a torn frame mid-file.
        failed = e;
        throw new StoreException("cannot append to the journal " + directory + "; refusing"
            + " further records until the service is restarted: " + e.getMessage(), e);
      }
      nextSeq++;
      behind.addLast(record);
      issued.ifPresent(cert -> serialsBehind.add(cert.serial()));
      if (writerIdle) {
        writerIdle = false;
        queued.signal();
      } else if (behind.size() == BATCH_RECORDS) {
        hurry.signal();
      }
      return record.entry();
    } finally {
      appendLock.unlock();
    }
  }

  /**
   * Notes a serial the database's sequence just handed out: unique across processes and
   * restarts, and unused until a record names it, so {@link #append} need not look it up.
   */
  void handedOut(BigInteger serial) {
    if (outstanding.size() < MAX_OUTSTANDING) {
      outstanding.add(serial);
    }
  }

  /**
   * Returns once H2 holds every record appended before this call, so that a read of the
   * database sees them.
   *
   * @throws StoreException if writing them into H2 failed (they are safe in the journal and
   *     written at the next start)
   */
  void awaitApplied() throws IOException {
    appendLock.lock();
    try {
      long target = nextSeq;
      readersWaiting++;
      try {
        hurry.signal();
        while (writtenUpTo < target) {
          throwIfFailed();
          written.awaitUninterruptibly();
        }
      } finally {
        readersWaiting--;
      }
    } finally {
      appendLock.unlock();
    }
  }

  /** The writer thread: takes the queued records in batches and writes them into H2. */
  private void writeBehind() {
    long lastSync = System.nanoTime();
    while (true) {
      List<JournalEntry> batch;
      appendLock.lock();
      try {
        while (behind.isEmpty() && !stopping) {
          writerIdle = true;
          queued.awaitUninterruptibly();
        }
        writerIdle = false;
        if (behind.isEmpty()) {
          return;
        }
        if (readersWaiting == 0 && behind.size() < BATCH_RECORDS && !stopping) {
          // Let a few more records arrive: one transaction for many is what saves the work.
          hurry.awaitNanos(GATHER_NANOS);
        }
        batch = new ArrayList<>(behind.size());
        for (JournalEntry record : behind) {
          batch.add(record);
          if (batch.size() == BATCH_RECORDS) {
            break;
          }
        }
      } catch (InterruptedException e) {
        // Nothing interrupts the writer (release stops it through stopping); start over.
        continue;
      } finally {
        appendLock.unlock();
      }
      IOException failure = null;
      try {
        writer.write(batch);
        if (System.nanoTime() - lastSync >= SYNC_INTERVAL_NANOS) {
          writer.sync();
          lastSync = System.nanoTime();
        }
      } catch (IOException | RuntimeException e) {
        failure = e instanceof IOException io ? io : new IOException(e);
      }
      appendLock.lock();
      try {
        if (failure != null) {
          // The records stay in the journal, which the next start replays; until then the
          // database cannot be trusted to be complete, so nothing more is taken. A failed sync
          // counts too: after a failed fsync a later one may "succeed" without the pages the
          // kernel dropped, so no segment may be deleted on H2's word from here on.
          failed = failure;
          written.signalAll();
          LOG.log(Level.ERROR, "cannot write journal records into the database; refusing"
              + " further records until the service is restarted (they are replayed then)",
              failure);
          return;
        }
        for (JournalEntry record : batch) {
          behind.removeFirst();
          record.issued().ifPresent(cert -> serialsBehind.remove(cert.serial()));
        }
        writtenUpTo = batch.get(batch.size() - 1).entry().seq() + 1;
        written.signalAll();
      } finally {
        appendLock.unlock();
      }
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
      // Once H2 holds every record of the old segments, the checkpoint makes them durable
      // there and the segments may go.
      awaitApplied();
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
   * One store is done with the journal. The last one lets the writer finish, makes H2 durable
   * and, if that worked, deletes the segments: after a clean stop the H2 file alone holds
   * everything.
   */
  void release(Checkpoint checkpoint) throws IOException {
    synchronized (OPEN) {
      if (--users > 0) {
        return;
      }
      OPEN.remove(directory);
      try {
        try {
          if (failed == null) {
            awaitApplied();
          }
        } finally {
          stopWriter();
        }
        appendLock.lock();
        try {
          if (failed == null) {
            checkpoint.run();
            journal.delete(journal.segments());
          }
        } finally {
          appendLock.unlock();
        }
      } finally {
        journal.close();
      }
    }
  }

  private void stopWriter() {
    appendLock.lock();
    try {
      stopping = true;
      queued.signal();
      hurry.signal();
    } finally {
      appendLock.unlock();
    }
    try {
      writerThread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      writer.close();
    }
  }
}
