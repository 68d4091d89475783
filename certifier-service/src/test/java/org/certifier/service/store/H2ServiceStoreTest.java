package org.certifier.service.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded H2 database, one file per test. */
class H2ServiceStoreTest extends ServiceStoreContract {
  @TempDir
  Path dir;
  private int databases;

  @Override
  Database freshDatabase() {
    return Database.embedded(dir.resolve("state-" + databases++));
  }

  @Test
  void theEmbeddedDatabaseIsOneFileInTheStateDirectory() throws Exception {
    open().close();
    assertEquals(true, Files.isRegularFile(stateDir().resolve("certifier.mv.db")));
  }

  @Test
  void theJournalSitsBesideTheDatabaseAndACleanCloseEmptiesIt() throws Exception {
    JdbcServiceStore store = open();
    store.record(rejected("expired"), Optional.empty());
    assertEquals(1, segments(stateDir()).size(), "a record is in the journal");
    store.close();
    assertEquals(List.of(), segments(stateDir()), "the database holds it after a clean close");
    assertEquals(1, open().auditSize());
  }

  /**
   * A power cut after records were acknowledged: the database file as of its last checkpoint
   * (everything later was only in H2's unforced writes), the journal as forced. Opening replays
   * what the database lost and moves both sequences past it.
   */
  @Test
  void recordsTheDatabaseLostAreReplayedFromTheJournal() throws Exception {
    Crash crash = crashAfterRecords();
    database = Database.embedded(crash.state());
    JdbcServiceStore again = open();

    assertEquals(crash.all().size(), again.auditSize());
    assertEquals(crash.all(), again.auditLog(0, 100));
    for (IssuedCertificate issued : crash.issued()) {
      assertEquals(Optional.of(issued), again.certificate(issued.serial()));
    }
    BigInteger highest = crash.issued().getLast().serial();
    assertTrue(again.next().compareTo(highest) > 0, "no replayed serial is handed out again");
    assertEquals(crash.all().size(), again.record(rejected("expired"), Optional.empty()).seq(),
        "the log goes on after the replayed entries");
  }

  @Test
  void replayIsIdempotent() throws Exception {
    Crash crash = crashAfterRecords();
    database = Database.embedded(crash.state());
    open().close();
    // The database has everything now; the same journal again changes nothing.
    copySegments(crash.journal(), crash.state().resolve("certifier.journal"));
    JdbcServiceStore again = open();
    assertEquals(crash.all(), again.auditLog(0, 100));
    assertEquals(crash.all().size(), again.auditSize());
  }

  @Test
  void aTornLastRecordIsDroppedAndItsNumberReused() throws Exception {
    Crash crash = crashAfterRecords();
    Path segment = segments(crash.state()).getLast();
    long end = recordsEnd(segment); // the segment is preallocated: zeros follow the records
    try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
      f.setLength(end - 3);
    }
    database = Database.embedded(crash.state());
    JdbcServiceStore again = open();
    List<AuditEntry> kept = crash.all().subList(0, crash.all().size() - 1);
    assertEquals(kept, again.auditLog(0, 100), "never forced, so never acknowledged");
    assertEquals(kept.size(), again.record(rejected("expired"), Optional.empty()).seq());
  }

  @Test
  void damageWhereTheDatabaseLacksTheRecordsRefusesToOpen() throws Exception {
    Crash crash = crashAfterRecords();
    damageSecondRecord(crash.state());
    database = Database.embedded(crash.state());
    assertThrows(CorruptJournalException.class, this::open);
    assertThrows(CorruptJournalException.class, this::open, "and keeps refusing");
  }

  @Test
  void damageWhereTheDatabaseHasTheRecordsLosesNothing() throws Exception {
    Crash crash = crashAfterRecords();
    database = Database.embedded(crash.state());
    open().close();
    copySegments(crash.journal(), crash.state().resolve("certifier.journal"));
    damageSecondRecord(crash.state());
    assertEquals(crash.all(), open().auditLog(0, 100));
  }

  @Test
  void aJournalThatContradictsTheDatabaseIsRefused() throws Exception {
    JdbcServiceStore store = open();
    IssuedCertificate issued = certificate(store.next());
    store.record(admitted(issued), Optional.of(issued));
    store.close();
    writeJournal(stateDir(), new JournalEntry(new AuditEntry(0, rejected("expired")),
        Optional.empty()));
    assertThrows(CorruptJournalException.class, this::open);
  }

  @Test
  void aJournalThatSkipsEntriesTheDatabaseLacksIsRefused() throws Exception {
    open().close();
    writeJournal(stateDir(), new JournalEntry(new AuditEntry(1, rejected("expired")),
        Optional.empty()));
    assertThrows(CorruptJournalException.class, this::open, "entry 0 is nowhere");
  }

  /** What a crash left: a state directory, the journal as it was, what had been recorded. */
  private record Crash(Path state, Path journal, List<AuditEntry> all,
      List<IssuedCertificate> issued) {}

  /**
   * One entry recorded and checkpointed (a clean close), then five more acknowledged, four with
   * certificates; the copy holds the database file as of the checkpoint and the journal.
   */
  private Crash crashAfterRecords() throws Exception {
    List<AuditEntry> all = new ArrayList<>();
    List<IssuedCertificate> issued = new ArrayList<>();
    JdbcServiceStore store = open();
    all.add(store.record(rejected("expired"), Optional.empty()));
    store.close();
    byte[] checkpointed = Files.readAllBytes(stateDir().resolve("certifier.mv.db"));
    store = open();
    for (int i = 0; i < 4; i++) {
      IssuedCertificate cert = certificate(store.next());
      issued.add(cert);
      all.add(store.record(admitted(cert), Optional.of(cert)));
    }
    all.add(store.record(rejected("bad-signature"), Optional.empty()));
    Path crashed = dir.resolve("crashed-" + databases++);
    Files.createDirectories(crashed);
    Files.write(crashed.resolve("certifier.mv.db"), checkpointed);
    Path journal = dir.resolve("journal-copy-" + databases++);
    copySegments(stateDir().resolve("certifier.journal"), journal);
    copySegments(journal, crashed.resolve("certifier.journal"));
    return new Crash(crashed, journal, all, issued);
  }

  private Path stateDir() {
    return database.journalDirectory().getParent();
  }

  private static List<Path> segments(Path state) throws IOException {
    Path journal = state.resolve("certifier.journal");
    if (!Files.isDirectory(journal)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(journal)) {
      return files.filter(f -> f.getFileName().toString().startsWith("segment-")).sorted()
          .toList();
    }
  }

  /** Copies the segments of one journal directory into another. */
  private static void copySegments(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith("segment-"))
          .toList()) {
        Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** Where the last record of {@code segment} ends. */
  private static long recordsEnd(Path segment) throws IOException {
    Path copy = Files.createTempDirectory("journal-offsets");
    Files.copy(segment, copy.resolve(segment.getFileName()));
    try (Journal journal = Journal.open(copy, 0)) {
      Journal.Frame last = journal.read().frames().getLast();
      return last.offset() + Journal.HEADER_BYTES + last.payload().length;
    }
  }

  private static void damageSecondRecord(Path state) throws IOException {
    Path segment = segments(state).getFirst();
    long at;
    Path copy = Files.createTempDirectory("journal-offsets");
    Files.copy(segment, copy.resolve(segment.getFileName()));
    try (Journal journal = Journal.open(copy, 0)) {
      at = journal.read().frames().get(1).offset() + Journal.HEADER_BYTES + 10;
    }
    try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 1);
    }
  }

  private static void writeJournal(Path state, JournalEntry entry) throws IOException {
    try (Journal journal = Journal.open(state.resolve("certifier.journal"), 0)) {
      journal.restart();
      journal.append(entry.encode());
      journal.force();
    }
  }
}
