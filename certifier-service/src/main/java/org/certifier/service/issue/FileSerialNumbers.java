package org.certifier.service.issue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.certifier.files.AtomicFiles;

/**
 * Serial numbers backed by a small file holding the first number not yet reserved. Numbers are
 * reserved in blocks: the file is advanced (atomically, durably) before any number of a block is
 * used, so a crash or kill loses at most the rest of a block and never repeats a number.
 */
public final class FileSerialNumbers implements SerialNumbers {
  private static final long BLOCK = 1000;
  /** The reference's first serial was 11; starting above its range avoids collisions. */
  private static final long FIRST = 1000;

  private final Path file;
  private long next;
  private long reservedUpTo;

  public FileSerialNumbers(Path file) throws IOException {
    this.file = file;
    long start = FIRST;
    try {
      String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
      try {
        start = Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw new IOException("serial number file " + file + " is corrupt: \"" + text + "\"");
      }
      if (start < FIRST) {
        throw new IOException("serial number file " + file + " holds " + start
            + ", below the first serial " + FIRST);
      }
    } catch (NoSuchFileException e) {
      // first start of this service
    }
    this.next = start;
    this.reservedUpTo = start;
  }

  @Override
  public synchronized BigInteger next() throws IOException {
    if (next >= reservedUpTo) {
      long upTo = Math.addExact(next, BLOCK);
      AtomicFiles.write(file, Long.toString(upTo).getBytes(StandardCharsets.US_ASCII));
      reservedUpTo = upTo;
    }
    return BigInteger.valueOf(next++);
  }
}
