package org.certifier.service.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit, rotation and sharing of the embedded store's journal, without a database. */
class EmbeddedJournalTest {
  @TempDir
  Path dir;

  private static byte[] payload(int i) {
    return ("record " + i).repeat(10).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private List<Path> segmentsOnDisk() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("j"))) {
      return files.filter(f -> f.getFileName().toString().startsWith("segment-")).sorted()
          .toList();
    }
  }

  /** What the segments on disk hold, read from a copy (the journal itself is locked). */
  private List<byte[]> copyAndRead() throws IOException {
    Path copy = Files.createDirectories(dir.resolve("copy-" + System.nanoTime()));
    for (Path segment : segmentsOnDisk()) {
      Files.copy(segment, copy.resolve(segment.getFileName()));
    }
    try (Journal journal = Journal.open(copy, 0)) {
      return journal.read().frames().stream().map(Journal.Frame::payload).toList();
    }
  }

  @Test
  void rotationCheckpointsThenDeletesFullSegmentsAndKeepsTheRest() throws Exception {
    AtomicInteger checkpoints = new AtomicInteger();
    EmbeddedJournal journal = EmbeddedJournal.acquire(dir.resolve("j"), 1000, contents -> {});
    for (int i = 0; i < 100; i++) {
      int n = i;
      journal.append(() -> n, committed -> payload(committed));
      journal.awaitDurable();
      journal.rotateIfFull(checkpoints::incrementAndGet);
    }
    assertTrue(checkpoints.get() >= 5, checkpoints.get() + " checkpoints");
    assertEquals(1, segmentsOnDisk().size(), "rotated segments are deleted");
    List<byte[]> kept = copyAndRead();
    assertTrue(!kept.isEmpty() && kept.size() < 100);
    for (int i = 0; i < kept.size(); i++) {
      assertArrayEquals(payload(100 - kept.size() + i), kept.get(i),
          "the newest records since the last rotation, in order");
    }
    journal.release(checkpoints::incrementAndGet);
    assertEquals(List.of(), segmentsOnDisk(), "a clean release empties the journal");
  }

  @Test
  void aFailedCheckpointKeepsTheSegmentUntilALaterOneSucceeds() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    EmbeddedJournal.Checkpoint failsOnce = () -> {
      if (calls.incrementAndGet() == 1) {
        throw new StoreException("disk full");
      }
    };
    EmbeddedJournal journal = EmbeddedJournal.acquire(dir.resolve("j"), 500, contents -> {});
    List<Integer> checkpointedAt = new ArrayList<>();
    for (int i = 0; i < 20 && checkpointedAt.size() < 2; i++) {
      int n = i;
      journal.append(() -> n, committed -> payload(committed));
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
    EmbeddedJournal one = EmbeddedJournal.acquire(dir.resolve("j"), contents -> replays.incrementAndGet());
    EmbeddedJournal two = EmbeddedJournal.acquire(dir.resolve("j"), contents -> replays.incrementAndGet());
    assertSame(one, two);
    assertEquals(1, replays.get(), "only the first store replays");
    one.append(() -> 1, committed -> payload(committed));
    one.release(() -> {});
    two.append(() -> 2, committed -> payload(committed));
    two.awaitDurable();
    assertEquals(2, copyAndRead().size(), "the journal stays open while a store uses it");
    two.release(() -> {});
    assertEquals(List.of(), segmentsOnDisk());
  }

  @Test
  void aFailedAppendStopsEveryLaterRecord() throws Exception {
    EmbeddedJournal journal = EmbeddedJournal.acquire(dir.resolve("j"), contents -> {});
    assertThrows(IllegalArgumentException.class, () -> journal.append(() -> 1,
        committed -> new byte[Journal.MAX_PAYLOAD + 1]));
    journal.append(() -> 1, committed -> payload(committed));
    // An I/O failure is sticky: simulate it by closing the files under the journal.
    journal.release(() -> {});
    assertThrows(StoreException.class, () -> journal.append(() -> 2,
        committed -> payload(committed)));
    assertThrows(StoreException.class, () -> journal.append(() -> 3,
        committed -> payload(committed)), "nothing is appended after a failure");
    assertThrows(StoreException.class, journal::awaitDurable);
  }
}
