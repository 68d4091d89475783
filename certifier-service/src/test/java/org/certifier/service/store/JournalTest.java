package org.certifier.service.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal's files: framing, reading back, torn ends, damage, rotation, the lock. */
class JournalTest {
  @TempDir
  Path dir;

  private static byte[] payload(int i) {
    return ("record " + i + " " + "x".repeat(i % 50)).getBytes(StandardCharsets.UTF_8);
  }

  /** A journal in {@code dir} with {@code n} records appended, closed. */
  private static List<Path> write(Path dir, int n) throws IOException {
    try (Journal journal = Journal.open(dir, 0)) {
      journal.restart();
      for (int i = 0; i < n; i++) {
        journal.append(payload(i));
      }
      journal.force();
      return journal.segments();
    }
  }

  private static Journal.Contents read(Path dir) throws IOException {
    try (Journal journal = Journal.open(dir, 0)) {
      return journal.read();
    }
  }

  private static void assertPayloads(List<Integer> expected, Journal.Contents contents) {
    assertEquals(expected.size(), contents.frames().size(), "frames read");
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(payload(expected.get(i)), contents.frames().get(i).payload());
    }
  }

  private static List<Integer> range(int from, int to) {
    return Stream.iterate(from, i -> i + 1).limit(to - from).toList();
  }

  /** Offsets of the frames of {@code n} records written as above. */
  private static List<Long> offsets(int n) {
    List<Long> offsets = new ArrayList<>();
    long at = 0;
    for (int i = 0; i < n; i++) {
      offsets.add(at);
      at += Journal.HEADER_BYTES + payload(i).length;
    }
    return offsets;
  }

  private static void flip(Path file, long offset) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(offset);
      int b = f.read();
      f.seek(offset);
      f.write(b ^ 0x20);
    }
  }

  @Test
  void recordsComeBackInOrderAcrossSegments() throws Exception {
    try (Journal journal = Journal.open(dir, 0)) {
      journal.restart();
      for (int i = 0; i < 5; i++) {
        journal.append(payload(i));
      }
      Path old = journal.rotate();
      for (int i = 5; i < 8; i++) {
        journal.append(payload(i));
      }
      journal.force();
      assertEquals(2, journal.segments().size());
      assertEquals(old, journal.segments().get(0));
    }
    Journal.Contents contents = read(dir);
    assertPayloads(range(0, 8), contents);
    assertEquals(List.of(), contents.damage());
    assertEquals(Optional.empty(), contents.tornEnd());
  }

  @Test
  void restartDeletesWhatWasReadAndStartsANewerSegment() throws Exception {
    Path first = write(dir, 3).getFirst();
    try (Journal journal = Journal.open(dir, 0)) {
      journal.restart();
      assertEquals(1, journal.segments().size());
      assertTrue(journal.segments().getFirst().getFileName().toString()
          .compareTo(first.getFileName().toString()) > 0, "generations only grow");
    }
    assertTrue(Files.notExists(first));
    assertPayloads(List.of(), read(dir));
  }

  @Test
  void aRecordCutShortAtTheEndIsATornEndAndDropped() throws Exception {
    Path segment = write(dir, 5).getFirst();
    long size = Files.size(segment);
    for (long cut : new long[] {size - 1, offsets(5).get(4) + 5, offsets(5).get(4) + 1}) {
      try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
        f.setLength(cut);
      }
      Journal.Contents contents = read(dir);
      assertPayloads(range(0, 4), contents);
      assertEquals(List.of(), contents.damage());
      assertEquals(offsets(5).get(4), contents.tornEnd().orElseThrow().offset());
    }
  }

  @Test
  void zerosAfterTheLastRecordAreTheSegmentsUnusedEnd() throws Exception {
    // Where the file grew but its data was never written, or preallocated space: no record
    // was ever forced there, so it is neither damage nor a torn record.
    Path segment = write(dir, 3).getFirst();
    long end = Files.size(segment);
    try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
      f.setLength(end + 4096);
    }
    Journal.Contents contents = read(dir);
    assertPayloads(range(0, 3), contents);
    assertEquals(List.of(), contents.damage());
    assertEquals(Optional.empty(), contents.tornEnd());
  }

  @Test
  void preallocatedSegmentsAreZeroFilledForcedAndReadBackExactly() throws Exception {
    long preallocated = 64 << 10;
    Path older;
    try (Journal journal = Journal.open(dir, preallocated)) {
      journal.restart();
      assertEquals(preallocated, Files.size(journal.segments().getFirst()),
          "written out in full before any record");
      for (int i = 0; i < 5; i++) {
        journal.append(payload(i));
      }
      assertEquals(offsets(5).getLast() + Journal.HEADER_BYTES + payload(4).length,
          journal.currentSize(), "the records' bytes, not the file's");
      older = journal.rotate();
      for (int i = 5; i < 8; i++) {
        journal.append(payload(i));
      }
      journal.append(new byte[(int) preallocated]); // past the preallocated end: it grows
      journal.force();
      long written = 0;
      for (int i = 5; i < 8; i++) {
        written += Journal.HEADER_BYTES + payload(i).length;
      }
      assertEquals(written + Journal.HEADER_BYTES + preallocated,
          Files.size(journal.segments().getLast()), "appends start at the segment's beginning");
    }
    assertEquals(preallocated, Files.size(older));
    Journal.Contents contents = read(dir);
    assertEquals(9, contents.frames().size());
    assertPayloads(range(0, 8), new Journal.Contents(contents.frames().subList(0, 8),
        contents.damage(), contents.tornEnd()));
    assertEquals(List.of(), contents.damage(), "an older segment's zero end is not damage");
    assertEquals(Optional.empty(), contents.tornEnd());
    assertEquals(0L, contents.frames().getFirst().offset());
  }

  @Test
  void aSegmentPreparedForTheNextRotationIsUsedByItAndHoldsNothingBefore() throws Exception {
    long preallocated = 64 << 10;
    Path current;
    Path prepared;
    try (Journal journal = Journal.open(dir, preallocated)) {
      journal.restart();
      for (int i = 0; i < 3; i++) {
        journal.append(payload(i));
      }
      journal.prepareNext();
      journal.force();
      current = journal.segments().getFirst();
      try (var files = Files.list(dir)) {
        prepared = files.filter(f -> f.getFileName().toString().startsWith("next-"))
            .findFirst().orElseThrow();
      }
      assertEquals(preallocated, Files.size(prepared), "prepared in full ahead of time");
    }
    // A crash here: the last record of the current segment is torn. The prepared one is not a
    // segment yet, so that is still a torn end, not damage with nothing after it.
    long end = offsets(3).get(2) + Journal.HEADER_BYTES + payload(2).length;
    try (RandomAccessFile f = new RandomAccessFile(current.toFile(), "rw")) {
      f.seek(end - 3);
      f.write(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe});
    }
    Journal.Contents contents = read(dir);
    assertPayloads(range(0, 2), contents);
    assertEquals(List.of(), contents.damage());
    assertEquals(offsets(3).get(2), contents.tornEnd().orElseThrow().offset());

    try (Journal journal = Journal.open(dir, preallocated)) {
      journal.restart();
      assertTrue(Files.notExists(prepared), "a restart deletes what was prepared and unused");
      journal.append(payload(0));
      journal.prepareNext();
      Path first = journal.segments().getFirst();
      journal.rotate();
      assertEquals(2, journal.segments().size());
      assertTrue(journal.segments().getLast().getFileName().toString()
          .compareTo(first.getFileName().toString()) > 0, "the prepared one, renamed, newer");
      assertEquals(preallocated, Files.size(journal.segments().getLast()));
      journal.append(payload(1));
      journal.force();
      journal.prepareNext(); // never used: closing removes it
    }
    assertPayloads(range(0, 2), read(dir));
    try (var files = Files.list(dir)) {
      assertEquals(List.of("lock", "segment-", "segment-"), files
          .map(f -> f.getFileName().toString().replaceAll("\\d", "")).sorted().toList(),
          "the unused prepared segment went with the close");
    }
  }

  @Test
  void aRecordCutShortInAPreallocatedSegmentIsATornEnd() throws Exception {
    Path segment;
    try (Journal journal = Journal.open(dir, 64 << 10)) {
      journal.restart();
      for (int i = 0; i < 3; i++) {
        journal.append(payload(i));
      }
      journal.force();
      segment = journal.segments().getFirst();
    }
    // The third frame's payload was not all written before the crash: zeros from its middle.
    long cut = offsets(3).get(2) + Journal.HEADER_BYTES + 2;
    try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
      f.seek(cut);
      f.write(new byte[64]);
    }
    Journal.Contents contents = read(dir);
    assertPayloads(range(0, 2), contents);
    assertEquals(List.of(), contents.damage());
    assertEquals(offsets(3).get(2), contents.tornEnd().orElseThrow().offset());
  }

  @Test
  void damageFollowedByIntactRecordsIsReportedNotDropped() throws Exception {
    Path segment = write(dir, 5).getFirst();
    List<Long> offsets = offsets(5);
    for (long at : new long[] {offsets.get(2) + 1, offsets.get(2) + 5,
        offsets.get(2) + Journal.HEADER_BYTES + 3}) {
      flip(segment, at); // the magic, the length, the payload
      Journal.Contents contents = read(dir);
      assertPayloads(List.of(0, 1, 3, 4), contents);
      assertEquals(List.of(new Journal.Damage(segment, offsets.get(2),
          offsets.get(3) - offsets.get(2), 2)), contents.damage());
      assertEquals(Optional.empty(), contents.tornEnd());
      flip(segment, at);
    }
  }

  @Test
  void aBadEndOfAnOlderSegmentIsDamageNotATornEnd() throws Exception {
    Path older;
    try (Journal journal = Journal.open(dir, 0)) {
      journal.restart();
      journal.append(payload(0));
      journal.append(payload(1));
      older = journal.rotate();
    }
    try (RandomAccessFile f = new RandomAccessFile(older.toFile(), "rw")) {
      f.setLength(f.length() - 2);
    }
    Journal.Contents contents = read(dir);
    assertPayloads(List.of(0), contents);
    assertEquals(1, contents.damage().size(), "rotation forced it: its end cannot be torn");
    assertEquals(Optional.empty(), contents.tornEnd());
  }

  @Test
  void oneProcessAtATime() throws Exception {
    try (Journal journal = Journal.open(dir, 0)) {
      assertThrows(StoreException.class, () -> Journal.open(dir, 0));
    }
    Journal.open(dir, 0).close();
  }

  @Test
  void filesThatAreNotTheJournalsAreRefused() throws Exception {
    write(dir, 1);
    Files.writeString(dir.resolve("segment-1.bak"), "copy");
    assertThrows(StoreException.class, () -> Journal.open(dir, 0));
  }

  /**
   * Whatever bytes are changed, reading never fails with anything but an I/O error, never
   * invents a record, and keeps every record that was not touched, in order.
   */
  @Property(tries = 300)
  void damageNeverInventsOrReordersRecords(@ForAll @IntRange(min = 0, max = 4000) int at,
      @ForAll @IntRange(min = 1, max = 255) int xor, @ForAll @IntRange(min = 1, max = 40) int n)
      throws Exception {
    Path dir = Files.createTempDirectory("journal-property");
    try {
      Path segment = write(dir, 8).getFirst();
      long size = Files.size(segment);
      long first = at % size;
      try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
        for (long i = first; i < Math.min(size, first + n); i++) {
          f.seek(i);
          int b = f.read();
          f.seek(i);
          f.write(b ^ xor);
        }
      }
      Journal.Contents contents = read(dir);
      List<Long> offsets = offsets(8);
      int next = 0;
      for (Journal.Frame frame : contents.frames()) {
        int index = offsets.indexOf(frame.offset());
        assertTrue(index >= next, "a frame where none was written, or out of order");
        assertArrayEquals(payload(index), frame.payload());
        next = index + 1;
      }
      for (int i = 0; i < offsets.size(); i++) {
        long start = offsets.get(i);
        long end = start + Journal.HEADER_BYTES + payload(i).length;
        boolean untouched = end <= first || start >= first + n;
        if (untouched) {
          long offset = start;
          assertTrue(contents.frames().stream().anyMatch(f -> f.offset() == offset),
              "record " + i + " was not touched but is missing");
        }
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
