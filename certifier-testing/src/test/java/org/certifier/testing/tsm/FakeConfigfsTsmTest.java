package org.certifier.testing.tsm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The fake behaves like the kernel's configfs-tsm where an attester can tell. */
class FakeConfigfsTsmTest {
  /** Echoes the inblob as the report, and the privilege level as the auxblob. */
  private final AtomicInteger calls = new AtomicInteger();
  private final FakeConfigfsTsm tsm = new FakeConfigfsTsm("sev_guest", 1, (inblob, level) -> {
    calls.incrementAndGet();
    return new FakeConfigfsTsm.Blobs(inblob, new byte[] {(byte) level});
  });
  private final Path root = tsm.reportRoot();

  @Test
  void anEntryReportsWhatWasWrittenAndCountsTheWrites() throws IOException {
    Path entry = Files.createDirectory(root.resolve("e1"));
    assertEquals("0", read(entry, "generation"));
    assertEquals("sev_guest", read(entry, "provider"));
    assertEquals("1", read(entry, "privlevel_floor"));

    write(entry, "privlevel", ascii("2"));
    write(entry, "inblob", new byte[] {1, 2, 3});

    assertEquals("2", read(entry, "generation"));
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(entry.resolve("outblob")));
    assertArrayEquals(new byte[] {2}, Files.readAllBytes(entry.resolve("auxblob")));
    // One report for both blobs, until the configuration changes.
    assertEquals(1, calls.get());
    write(entry, "inblob", new byte[] {4});
    assertArrayEquals(new byte[] {4}, Files.readAllBytes(entry.resolve("outblob")));
    assertEquals(2, tsm.reportsMade());
  }

  @Test
  void readingTheReportBeforeTheInblobIsInvalid() throws IOException {
    Path entry = Files.createDirectory(root.resolve("e1"));
    IOException e = assertThrows(IOException.class,
        () -> Files.readAllBytes(entry.resolve("outblob")));
    assertTrue(e.getMessage().startsWith("Invalid argument"));
  }

  @Test
  void writesOutsideTheLimitsAreRefused() throws IOException {
    Path entry = Files.createDirectory(root.resolve("e1"));
    assertThrows(IOException.class, () -> write(entry, "inblob", new byte[65]));
    assertThrows(IOException.class, () -> write(entry, "privlevel", ascii("0")));
    assertThrows(IOException.class, () -> write(entry, "privlevel", ascii("4")));
    assertThrows(IOException.class, () -> write(entry, "privlevel", ascii("x")));
    assertEquals("0", read(entry, "generation"));
  }

  @Test
  void attributesHaveTheirModesAndNothingElseCanBeMade() throws IOException {
    Path entry = Files.createDirectory(root.resolve("e1"));
    assertThrows(AccessDeniedException.class, () -> write(entry, "outblob", new byte[1]));
    assertThrows(AccessDeniedException.class, () -> Files.readAllBytes(entry.resolve("inblob")));
    assertThrows(AccessDeniedException.class, () -> Files.write(entry.resolve("new"), new byte[1]));
    assertThrows(NoSuchFileException.class, () -> Files.readAllBytes(entry.resolve("new")));
    assertThrows(AccessDeniedException.class, () -> Files.delete(entry.resolve("inblob")));
    assertThrows(FileAlreadyExistsException.class, () -> Files.createDirectory(entry));
    assertThrows(AccessDeniedException.class,
        () -> Files.createDirectory(entry.resolve("nested")));
    assertTrue(Files.isDirectory(root));
    assertTrue(Files.exists(entry.resolve("outblob")));
  }

  @Test
  void rmdirRemovesTheEntryWithItsAttributes() throws IOException {
    Path entry = Files.createDirectory(root.resolve("e1"));
    write(entry, "inblob", new byte[] {1});
    assertEquals(Set.of("e1"), tsm.entryNames());

    Files.delete(entry);

    assertEquals(Set.of(), tsm.entryNames());
    assertTrue(Files.notExists(entry.resolve("outblob")));
  }

  @Test
  void aRacingWriterBumpsTheGenerationAndWinsTheReport() throws IOException {
    Path entry = Files.createDirectory(root.resolve("e1"));
    tsm.raceNextInblobWith(new byte[] {9});

    write(entry, "inblob", new byte[] {1});

    assertEquals("2", read(entry, "generation"));
    assertArrayEquals(new byte[] {9}, Files.readAllBytes(entry.resolve("outblob")));
  }

  private static void write(Path entry, String attribute, byte[] value) throws IOException {
    try (OutputStream out = Files.newOutputStream(entry.resolve(attribute),
        StandardOpenOption.WRITE)) {
      out.write(value);
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static String read(Path entry, String attribute) throws IOException {
    return new String(Files.readAllBytes(entry.resolve(attribute)), StandardCharsets.US_ASCII)
        .strip();
  }
}
