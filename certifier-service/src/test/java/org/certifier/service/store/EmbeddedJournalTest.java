package org.certifier.service.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Numbering, group commit, rotation, sharing and the write-behind into the database of the
 * embedded store's journal, with a database stand-in that records what it is given.
 */
class EmbeddedJournalTest {
  private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
  private static final EmbeddedJournal.SerialLookup NONE_RECORDED = serial -> false;

  @TempDir
  Path dir;

  /** The database stand-in: keeps the sequence numbers of the records written, in order. */
  private static class RecordingWriter implements EmbeddedJournal.Writer {
    final List<Long> written = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger batches = new AtomicInteger();
    volatile boolean closed;

    @Override
    public void write(List<JournalEntry> batch) throws IOException {
      batches.incrementAndGet();
      batch.forEach(record -> written.add(record.entry().seq()));
    }

    final AtomicInteger syncs = new AtomicInteger();

    @Override
    public void sync() {
      syncs.incrementAndGet();
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  /** A writer that does not write until {@link #release} is counted down. */
  private static final class HeldWriter extends RecordingWriter {
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void write(List<JournalEntry> batch) throws IOException {
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
      super.write(batch);
    }
  }

  private static DecisionRecord rejected(int i) {
    return DecisionRecord.rejected(NOW, "code-" + i, Optional.empty(), Optional.empty(),
        Optional.empty());
  }

  private static IssuedCertificate certificate(long serial) {
    return new IssuedCertificate(BigInteger.valueOf(serial), new byte[] {0x30, 0x00}, "ab",
        "d".repeat(64), Optional.empty(), "authentication", "e".repeat(64), NOW,
        NOW.plusSeconds(3600));
  }

  private static DecisionRecord admitted(IssuedCertificate issued) {
    return DecisionRecord.admitted(NOW, Optional.empty(), Optional.empty(), "authentication",
        "ab", Optional.of(issued.serial()), "f".repeat(64), "e".repeat(64), "proof");
  }

  private EmbeddedJournal acquire(long rotateBytes, long size, EmbeddedJournal.Writer writer)
      throws IOException {
    return EmbeddedJournal.acquire(dir.resolve("j"), rotateBytes, contents -> size,
        () -> writer);
  }

  private List<Path> segmentsOnDisk() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("j"))) {
      return files.filter(f -> f.getFileName().toString().startsWith("segment-")).sorted()
          .toList();
    }
  }

  /** The sequence numbers the segments on disk hold, read from a copy (the journal is locked). */
  private List<Long> copyAndRead() throws IOException {
    Path copy = Files.createDirectories(dir.resolve("copy-" + System.nanoTime()));
    for (Path segment : segmentsOnDisk()) {
      Files.copy(segment, copy.resolve(segment.getFileName()));
    }
    try (Journal journal = Journal.open(copy, 0)) {
      return journal.read().frames().stream()
          .map(frame -> JournalEntry.decode(frame.payload()).entry().seq()).toList();
    }
  }

  private static List<Long> range(long from, long to) {
    return LongStream.range(from, to).boxed().toList();
  }

  @Test
  void recordsAreNumberedFromTheDatabasesSizeAndWrittenIntoItInOrder() throws Exception {
    RecordingWriter writer = new RecordingWriter();
    EmbeddedJournal journal = acquire(EmbeddedJournal.ROTATE_BYTES, 40, writer);
    for (int i = 0; i < 100; i++) {
      assertEquals(40 + i, journal.append(rejected(i), Optional.empty(), NONE_RECORDED).seq());
    }
    journal.awaitDurable();
    journal.awaitApplied();
    assertEquals(range(40, 140), writer.written, "every record, once, in sequence order");
    assertEquals(range(40, 140), copyAndRead());
    journal.release(() -> {});
    assertTrue(writer.closed, "the last release closes the writer");
  }

  @Test
  void theWriterMakesTheDatabaseDurableEveryQuarterSecondUnderLoad() throws Exception {
    RecordingWriter writer = new RecordingWriter();
    EmbeddedJournal journal = acquire(EmbeddedJournal.ROTATE_BYTES, 0, writer);
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1200);
    for (int i = 0; System.nanoTime() < end; i++) {
      journal.append(rejected(i), Optional.empty(), NONE_RECORDED);
      Thread.sleep(2);
    }
    journal.awaitApplied();
    int syncs = writer.syncs.get();
    assertTrue(syncs >= 2 && syncs <= 6, syncs + " syncs in 1.2 s of records");
    journal.release(() -> {});
  }

  @Test
  void aReadWaitsUntilTheDatabaseHasEveryRecordAppendedBeforeIt() throws Exception {
    HeldWriter writer = new HeldWriter();
    EmbeddedJournal journal = acquire(EmbeddedJournal.ROTATE_BYTES, 0, writer);
    journal.append(rejected(0), Optional.empty(), NONE_RECORDED);
    journal.append(rejected(1), Optional.empty(), NONE_RECORDED);
    CompletableFuture<Void> read = CompletableFuture.runAsync(() -> {
      try {
        journal.awaitApplied();
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    assertThrows(TimeoutException.class, () -> read.get(200, TimeUnit.MILLISECONDS),
        "the read waits while the database lacks records");
    writer.release.countDown();
    read.get(10, TimeUnit.SECONDS);
    assertEquals(List.of(0L, 1L), writer.written);
    journal.release(() -> {});
  }

  @Test
  void aSerialIsRefusedWhileQueuedForTheDatabaseAndOnceInIt() throws Exception {
    HeldWriter writer = new HeldWriter();
    EmbeddedJournal journal = acquire(EmbeddedJournal.ROTATE_BYTES, 0, writer);
    IssuedCertificate issued = certificate(7);
    journal.append(admitted(issued), Optional.of(issued), NONE_RECORDED);
    StoreException queued = assertThrows(StoreException.class,
        () -> journal.append(admitted(issued), Optional.of(issued), NONE_RECORDED));
    assertTrue(queued.getMessage().contains("already in the issuance log"));
    writer.release.countDown();
    journal.awaitApplied();
    assertThrows(StoreException.class, () -> journal.append(admitted(issued),
        Optional.of(issued), serial -> serial.equals(issued.serial())),
        "once written, the database's answer counts");
    assertEquals(1, journal.append(rejected(1), Optional.empty(), NONE_RECORDED).seq(),
        "a refused record takes no number");
    journal.awaitApplied();
    assertEquals(List.of(0L, 1L), writer.written);
    assertEquals(List.of(0L, 1L), copyAndRead());
    journal.release(() -> {});
  }

  @Test
  void aSerialHandedOutByTheSequenceIsRecordedWithoutALookUpAndOnlyOnce() throws Exception {
    EmbeddedJournal journal = acquire(EmbeddedJournal.ROTATE_BYTES, 0, new RecordingWriter());
    EmbeddedJournal.SerialLookup mustNotBeAsked = serial -> {
      throw new AssertionError("looked up " + serial);
    };
    IssuedCertificate issued = certificate(9);
    journal.handedOut(issued.serial());
    assertEquals(0, journal.append(admitted(issued), Optional.of(issued), mustNotBeAsked).seq());
    journal.awaitApplied();
    assertThrows(StoreException.class, () -> journal.append(admitted(issued),
        Optional.of(issued), serial -> true), "recorded once, then looked up and refused");
    IssuedCertificate other = certificate(10);
    assertThrows(AssertionError.class, () -> journal.append(admitted(other), Optional.of(other),
        mustNotBeAsked), "a serial not handed out is looked up");
    journal.release(() -> {});
  }

  @Test
  void appendsWaitWhileTheDatabaseIsFarBehind() throws Exception {
    HeldWriter writer = new HeldWriter();
    EmbeddedJournal journal = acquire(EmbeddedJournal.ROTATE_BYTES, 0, writer);
    for (int i = 0; i < EmbeddedJournal.MAX_BEHIND; i++) {
      journal.append(rejected(i), Optional.empty(), NONE_RECORDED);
    }
    // Records leave the queue once written: with the writer held, the queue is at its limit.
    CompletableFuture<Long> blocked = CompletableFuture.supplyAsync(() -> {
      try {
        return journal.append(rejected(-1), Optional.empty(), NONE_RECORDED).seq();
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    assertThrows(TimeoutException.class, () -> blocked.get(300, TimeUnit.MILLISECONDS));
    writer.release.countDown();
    assertEquals((long) EmbeddedJournal.MAX_BEHIND, blocked.get(10, TimeUnit.SECONDS));
    journal.awaitApplied();
    assertEquals(range(0, EmbeddedJournal.MAX_BEHIND + 1L), writer.written);
    journal.release(() -> {});
  }

  @Test
  void aFailedWriteIntoTheDatabaseStopsEveryLaterRecordAndRead() throws Exception {
    EmbeddedJournal.Writer failing = new RecordingWriter() {
      @Override
      public void write(List<JournalEntry> batch) throws IOException {
        throw new StoreException("database gone");
      }
    };
    EmbeddedJournal journal = acquire(EmbeddedJournal.ROTATE_BYTES, 0, failing);
    journal.append(rejected(0), Optional.empty(), NONE_RECORDED);
    StoreException read = assertThrows(StoreException.class, journal::awaitApplied);
    assertTrue(read.getMessage().contains("database gone"), read.getMessage());
    assertThrows(StoreException.class,
        () -> journal.append(rejected(1), Optional.empty(), NONE_RECORDED));
    assertThrows(StoreException.class, journal::awaitDurable);
    AtomicInteger checkpoints = new AtomicInteger();
    journal.release(checkpoints::incrementAndGet);
    assertEquals(0, checkpoints.get(), "no checkpoint over an incomplete database");
    assertEquals(List.of(0L), copyAndRead(), "the record stays in the journal for replay");
  }

  @Test
  void rotationCheckpointsThenDeletesFullSegmentsAndKeepsTheRest() throws Exception {
    AtomicInteger checkpoints = new AtomicInteger();
    RecordingWriter writer = new RecordingWriter();
    // A checkpoint must find every record of the rotated segments in the database.
    List<Integer> writtenAtCheckpoint = new ArrayList<>();
    EmbeddedJournal.Checkpoint checkpoint = () -> {
      checkpoints.incrementAndGet();
      writtenAtCheckpoint.add(writer.written.size());
    };
    EmbeddedJournal journal = acquire(1000, 0, writer);
    List<Integer> appendedAtRotation = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      journal.append(rejected(i), Optional.empty(), NONE_RECORDED);
      journal.awaitDurable();
      int before = checkpoints.get();
      journal.rotateIfFull(checkpoint);
      if (checkpoints.get() > before) {
        appendedAtRotation.add(i + 1);
      }
    }
    assertTrue(checkpoints.get() >= 5, checkpoints.get() + " checkpoints");
    assertEquals(appendedAtRotation, writtenAtCheckpoint);
    assertEquals(1, segmentsOnDisk().size(), "rotated segments are deleted");
    List<Long> kept = copyAndRead();
    assertFalse(kept.isEmpty());
    assertEquals(range(100 - kept.size(), 100), kept,
        "the newest records since the last rotation, in order");
    journal.release(checkpoints::incrementAndGet);
    assertEquals(List.of(), segmentsOnDisk(), "a clean release empties the journal");
    assertEquals(range(0, 100), writer.written);
  }

  @Test
  void aFailedCheckpointKeepsTheSegmentUntilALaterOneSucceeds() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    EmbeddedJournal.Checkpoint failsOnce = () -> {
      if (calls.incrementAndGet() == 1) {
        throw new StoreException("disk full");
      }
    };
    EmbeddedJournal journal = acquire(500, 0, new RecordingWriter());
    List<Integer> checkpointedAt = new ArrayList<>();
    for (int i = 0; i < 40 && checkpointedAt.size() < 2; i++) {
      journal.append(rejected(i), Optional.empty(), NONE_RECORDED);
      journal.awaitDurable();
      int before = calls.get();
      journal.rotateIfFull(failsOnce);
      if (calls.get() > before) {
        checkpointedAt.add(segmentsOnDisk().size());
      }
    }
    assertEquals(List.of(2, 1), checkpointedAt,
        "the segment rotated before the failed checkpoint stays until the next one");
    journal.release(() -> {});
  }

  @Test
  void storesOfOneProcessShareTheJournalAndTheLastOneReleasesIt() throws Exception {
    AtomicInteger replays = new AtomicInteger();
    RecordingWriter writer = new RecordingWriter();
    EmbeddedJournal one = EmbeddedJournal.acquire(dir.resolve("j"), contents -> {
      replays.incrementAndGet();
      return 0;
    }, () -> writer);
    EmbeddedJournal two = EmbeddedJournal.acquire(dir.resolve("j"), contents -> {
      replays.incrementAndGet();
      return 0;
    }, RecordingWriter::new);
    assertSame(one, two);
    assertEquals(1, replays.get(), "only the first store replays");
    assertEquals(0, one.append(rejected(0), Optional.empty(), NONE_RECORDED).seq());
    one.release(() -> {});
    assertFalse(writer.closed, "the writer stays while a store uses the journal");
    assertEquals(1, two.append(rejected(1), Optional.empty(), NONE_RECORDED).seq(),
        "one numbering for all the stores");
    two.awaitDurable();
    assertEquals(List.of(0L, 1L), copyAndRead());
    two.release(() -> {});
    assertEquals(List.of(), segmentsOnDisk());
    assertEquals(List.of(0L, 1L), writer.written);
    assertTrue(writer.closed);
  }

  @Test
  void aFailedAppendStopsEveryLaterRecord() throws Exception {
    EmbeddedJournal journal = acquire(EmbeddedJournal.ROTATE_BYTES, 0, new RecordingWriter());
    DecisionRecord tooLarge = DecisionRecord.rejected(NOW, "code",
        Optional.empty(), Optional.of("x".repeat(Journal.MAX_PAYLOAD)), Optional.empty());
    assertThrows(IllegalArgumentException.class,
        () -> journal.append(tooLarge, Optional.empty(), NONE_RECORDED));
    assertEquals(0, journal.append(rejected(1), Optional.empty(), NONE_RECORDED).seq(),
        "a record refused before anything was written takes no number");
    // An I/O failure is sticky: simulate it by closing the files under the journal.
    journal.release(() -> {});
    assertThrows(StoreException.class,
        () -> journal.append(rejected(2), Optional.empty(), NONE_RECORDED));
    assertThrows(StoreException.class,
        () -> journal.append(rejected(3), Optional.empty(), NONE_RECORDED),
        "nothing is appended after a failure");
    assertThrows(StoreException.class, journal::awaitDurable);
  }
}
