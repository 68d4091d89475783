package org.certifier.service.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * The files of a write-ahead journal: a directory of append-only segments holding framed,
 * checksummed records, and the lock that gives the directory to one process. What a record
 * means is up to its user ({@link JournalEntry}); this class only frames, appends, forces,
 * reads back and rotates. It is not thread-safe except {@link #force()}, which may run while
 * another thread appends: callers order appends and rotations themselves.
 *
 * <p>Layout (this project's own): segments are named {@code segment-<generation>} with a
 * 20-digit decimal generation, read in generation order; {@code next-<generation>} is a
 * segment prepared for the next rotation and not yet in use (never read); {@code lock} is the
 * lock file. A
 * segment is a sequence of frames: the magic bytes {@code C J N 1}, the payload's length (4
 * bytes, big-endian), the CRC32C (RFC 3720, appendix B.4) of the length's 4 bytes followed by
 * the payload (4 bytes, big-endian), then the payload. The checksum covers the length, so a
 * damaged length is caught before it is trusted.
 *
 * <p>Segments may be preallocated: written full of zeros and forced when they are started, so
 * that forcing a record later only writes data blocks. On ext4 a force that also has to record
 * a longer file (a journal commit of the inode) took 40% longer per record on this project's
 * machine (docs/benchmarks.md). Zeros after the last frame of a segment are therefore its
 * unused end, not damage: nothing was written there, or nothing that was ever forced.
 *
 * <p>Reading tells a torn end from damage. A crash while appending leaves a frame cut short:
 * the last frame of the last segment fails its checks and nothing valid follows it; it was
 * never forced, so never acknowledged, and is dropped. A frame that fails its checks with valid
 * frames after it is damage: the records it held may have been acknowledged, so it is reported
 * to the caller, which refuses to go on unless it can prove nothing was lost.
 */
final class Journal implements Closeable {
  static final int MAGIC = 0x434a4e31; // "CJN1"
  static final int HEADER_BYTES = 12;
  /** Far above any record the service writes (a certificate and a proof are a few KiB). */
  static final int MAX_PAYLOAD = 16 << 20;
  private static final Pattern SEGMENT = Pattern.compile("segment-(\\d{20})");
  /**
   * A segment prepared for the next rotation: it only becomes a segment, by being renamed,
   * when the journal switches to it. Under its own name it is never read, so after a crash it
   * cannot stand behind the current segment and make that one's torn end look like damage.
   */
  private static final Pattern PREPARED = Pattern.compile("next-(\\d{20})");
  private static final String LOCK = "lock";

  /** A valid frame as read: where it starts and its payload. */
  record Frame(Path segment, long offset, byte[] payload) {}

  /**
   * Bytes that are not valid frames: {@code length} bytes from {@code offset} of
   * {@code segment}, found after the first {@code framesBefore} frames.
   */
  record Damage(Path segment, long offset, long length, int framesBefore) {
    @Override
    public String toString() {
      return segment + " bytes " + offset + " to " + (offset + length);
    }
  }

  /**
   * Everything the journal holds, in order. {@code tornEnd} is the unforced end of the last
   * segment that a crash cut short, already left out; {@code damage} lists every other stretch
   * of bad bytes.
   */
  record Contents(List<Frame> frames, List<Damage> damage, Optional<Damage> tornEnd) {}

  private final Path directory;
  private final long preallocateBytes;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final List<Path> segments;
  /** Prepared segments a previous process left unused; deleted by {@link #restart()}. */
  private final List<Path> unusedPrepared;
  private volatile FileChannel current;
  private Path currentPath;
  /** The next segment, started and preallocated ahead of a rotation ({@link #prepareNext}). */
  private FileChannel next;
  private Path nextPath;
  private volatile long currentSize;
  private long generation;

  private Journal(Path directory, long preallocateBytes, FileChannel lockChannel, FileLock lock,
      List<Path> segments, List<Path> unusedPrepared, long generation) {
    this.directory = directory;
    this.preallocateBytes = preallocateBytes;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.segments = new ArrayList<>(segments);
    this.unusedPrepared = new ArrayList<>(unusedPrepared);
    this.generation = generation;
  }

  /**
   * Opens the journal in {@code directory} (created, owner-only, if missing) for this process
   * alone. Nothing is appended until {@link #restart()}. Segments it starts are preallocated
   * to {@code preallocateBytes} (0: not at all); a segment still grows past that if it must.
   *
   * @throws StoreException if another process (or store in this one) holds the journal, or the
   *     directory holds files that are not the journal's
   */
  static Journal open(Path directory, long preallocateBytes) throws IOException {
    if (!Files.isDirectory(directory)) {
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.createDirectories(directory,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectories(directory);
      }
    }
    FileChannel lockChannel = FileChannel.open(directory.resolve(LOCK),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      lockChannel.close();
      throw new StoreException("the journal " + directory + " is in use by another process");
    }
    try {
      List<Path> segments = new ArrayList<>();
      List<Path> prepared = new ArrayList<>();
      long newest = 0;
      try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
        for (Path file : files) {
          String name = file.getFileName().toString();
          Matcher m = SEGMENT.matcher(name);
          Matcher p = PREPARED.matcher(name);
          if (m.matches()) {
            segments.add(file);
            newest = Math.max(newest, Long.parseLong(m.group(1)));
          } else if (p.matches()) {
            prepared.add(file);
            newest = Math.max(newest, Long.parseLong(p.group(1)));
          } else if (!name.equals(LOCK)) {
            throw new StoreException("unexpected file " + file + " in the journal directory;"
                + " move it elsewhere (docs/operations.md, \"The journal\")");
          }
        }
      }
      segments.sort(null); // fixed-width names: lexical order is generation order
      return new Journal(directory, preallocateBytes, lockChannel, lock, segments, prepared,
          newest);
    } catch (IOException | RuntimeException e) {
      lockChannel.close();
      throw e;
    }
  }

  /** Reads every segment; see the class comment for how a torn end and damage are told apart. */
  Contents read() throws IOException {
    List<Frame> frames = new ArrayList<>();
    List<Damage> damage = new ArrayList<>();
    for (Path segment : segments) {
      try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
        long size = channel.size();
        if (size > Integer.MAX_VALUE) {
          throw new StoreException("journal segment " + segment + " is larger than 2 GiB;"
              + " the journal never writes one that large");
        }
        MappedByteBuffer bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
        int pos = 0;
        while (pos < size) {
          int length = frameAt(bytes, pos);
          if (length >= 0) {
            byte[] payload = new byte[length];
            bytes.get(pos + HEADER_BYTES, payload);
            frames.add(new Frame(segment, pos, payload));
            pos += HEADER_BYTES + length;
            continue;
          }
          if (zerosFrom(bytes, pos)) {
            break; // the segment's unused (preallocated or never written) end
          }
          int next = nextFrame(bytes, pos + 1);
          damage.add(new Damage(segment, pos, next - pos, frames.size()));
          pos = next;
        }
      }
    }
    // Bad bytes at the end of the last segment with no frame after them are a torn end.
    Optional<Damage> tornEnd = Optional.empty();
    if (!damage.isEmpty() && damage.getLast().framesBefore() == frames.size()
        && damage.getLast().segment().equals(segments.getLast())) {
      tornEnd = Optional.of(damage.removeLast());
    }
    return new Contents(frames, damage, tornEnd);
  }

  /** The payload length of a valid frame at {@code pos}, or -1. */
  private static int frameAt(ByteBuffer bytes, int pos) {
    int limit = bytes.limit();
    if (limit - pos < HEADER_BYTES || bytes.getInt(pos) != MAGIC) {
      return -1;
    }
    int length = bytes.getInt(pos + 4);
    if (length < 0 || length > MAX_PAYLOAD || length > limit - pos - HEADER_BYTES) {
      return -1;
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes.slice(pos + 4, 4));
    crc.update(bytes.slice(pos + HEADER_BYTES, length));
    return (int) crc.getValue() == bytes.getInt(pos + 8) ? length : -1;
  }

  private static boolean zerosFrom(ByteBuffer bytes, int from) {
    for (int pos = from; pos < bytes.limit(); pos++) {
      if (bytes.get(pos) != 0) {
        return false;
      }
    }
    return true;
  }

  /** The offset of the next valid frame from {@code from} on, or the end. */
  private static int nextFrame(ByteBuffer bytes, int from) {
    int limit = bytes.limit();
    for (int pos = from; pos <= limit - HEADER_BYTES; pos++) {
      if (bytes.get(pos) == (byte) (MAGIC >>> 24) && frameAt(bytes, pos) >= 0) {
        return pos;
      }
    }
    return limit;
  }

  /**
   * Starts afresh once every record read has been made durable elsewhere: deletes the existing
   * segments and starts a new one. Both are made durable (the directory is forced) before
   * anything is appended, so a crash can never bring back a deleted segment behind new ones.
   */
  void restart() throws IOException {
    for (Path segment : segments) {
      Files.deleteIfExists(segment);
    }
    segments.clear();
    for (Path unused : unusedPrepared) {
      Files.deleteIfExists(unused);
    }
    unusedPrepared.clear();
    forceDirectory();
    startSegment();
  }

  /** Appends one frame holding {@code payload}; durable only after a later {@link #force()}. */
  void append(byte[] payload) throws IOException {
    if (payload.length > MAX_PAYLOAD) {
      throw new IllegalArgumentException("a journal record holds at most " + MAX_PAYLOAD
          + " bytes");
    }
    ByteBuffer frame = ByteBuffer.allocate(HEADER_BYTES + payload.length);
    frame.putInt(MAGIC).putInt(payload.length).putInt(0).put(payload);
    CRC32C crc = new CRC32C();
    crc.update(frame.array(), 4, 4);
    crc.update(payload);
    frame.putInt(8, (int) crc.getValue());
    frame.flip();
    while (frame.hasRemaining()) {
      current.write(frame);
    }
    currentSize += HEADER_BYTES + payload.length;
  }

  /** The bytes in the segment being appended to. */
  long currentSize() {
    return currentSize;
  }

  /**
   * Forces every frame appended before this call to the device (data, and the file's length if
   * it grew: {@code fdatasync}). Safe while another thread appends or {@link #rotate()}s: a segment
   * rotated away was forced before it was closed.
   */
  void force() throws IOException {
    FileChannel channel = current;
    try {
      channel.force(false);
    } catch (ClosedChannelException e) {
      if (channel == current) {
        throw e;
      }
    }
  }

  /**
   * Creates and preallocates the segment the next {@link #rotate()} continues in, so that the
   * rotation itself, which appends wait for, only switches files. May run while another thread
   * appends, but not with another rotation or preparation. Until then the file is a segment of
   * zeros: read, it holds nothing.
   */
  void prepareNext() throws IOException {
    if (next == null) {
      generation++;
      Path path = directory.resolve("next-%020d".formatted(generation));
      FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
      try {
        preallocate(channel);
      } catch (IOException e) {
        channel.close();
        Files.deleteIfExists(path);
        throw e;
      }
      nextPath = path;
      next = channel;
    }
  }

  /**
   * Forces the current segment and continues in a new one (the one {@link #prepareNext}
   * prepared, if any); returns the old one, to delete once everything it holds is durable
   * elsewhere ({@link #delete}).
   */
  Path rotate() throws IOException {
    current.force(false);
    FileChannel old = current;
    Path oldPath = currentPath;
    startSegment();
    old.close();
    return oldPath;
  }

  /** Deletes segments whose records are durable elsewhere. */
  void delete(List<Path> retired) throws IOException {
    for (Path segment : retired) {
      Files.deleteIfExists(segment);
      segments.remove(segment);
    }
    forceDirectory();
  }

  /** Continues in the prepared segment, preparing one first if there is none. */
  private void startSegment() throws IOException {
    prepareNext();
    Path path = directory.resolve(nextPath.getFileName().toString()
        .replace("next-", "segment-"));
    Files.move(nextPath, path, StandardCopyOption.ATOMIC_MOVE);
    // The segment's name must be durable before any record in it is acknowledged.
    forceDirectory();
    use(path, next);
    next = null;
  }

  private void use(Path path, FileChannel channel) {
    segments.add(path);
    currentPath = path;
    currentSize = 0;
    current = channel;
  }

  /** Writes the segment full of zeros and forces it, length included; appends start at 0. */
  private void preallocate(FileChannel channel) throws IOException {
    if (preallocateBytes <= 0) {
      return;
    }
    ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(preallocateBytes, 1 << 20));
    for (long written = 0; written < preallocateBytes; ) {
      zeros.clear().limit((int) Math.min(zeros.capacity(), preallocateBytes - written));
      written += channel.write(zeros);
      // A megabyte at a time: the records' own forces queue behind this one on the disk, and
      // one force of the whole segment held them up for tens of milliseconds.
      channel.force(false);
    }
    channel.force(true);
    channel.position(0);
  }

  private void forceDirectory() throws IOException {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }

  /** Every segment, oldest first. */
  List<Path> segments() {
    return List.copyOf(segments);
  }

  Path directory() {
    return directory;
  }

  /** Closes the files and releases the directory; the segments stay. */
  @Override
  public void close() throws IOException {
    try {
      if (current != null) {
        current.close();
      }
      if (next != null) {
        next.close();
        Files.deleteIfExists(nextPath); // prepared, never used: nothing in it
      }
    } finally {
      try {
        lock.release();
      } finally {
        lockChannel.close();
      }
    }
  }
}
