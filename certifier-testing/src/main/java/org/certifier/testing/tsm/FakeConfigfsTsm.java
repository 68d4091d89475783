package org.certifier.testing.tsm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardOpenOption;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Linux configfs-tsm (Documentation/ABI/testing/configfs-tsm, drivers/virt/coco/tsm.c) as a
 * file system of its own, so that an attester written against {@code java.nio.file} can be
 * tested without a confidential VM. It behaves like the kernel where an attester can tell:
 *
 * <ul>
 *   <li>{@code /sys/kernel/config/tsm/report} exists; {@code mkdir} of a child creates a report
 *       entry with the attributes {@code inblob}, {@code privlevel} (write-only),
 *       {@code outblob}, {@code auxblob}, {@code generation}, {@code provider} and
 *       {@code privlevel_floor} (read-only); nothing else can be created;</li>
 *   <li>each write of {@code inblob} (at most 64 bytes) or {@code privlevel} (0 to 3, not below
 *       the floor) increments {@code generation};</li>
 *   <li>reading {@code outblob} or {@code auxblob} before {@code inblob} was written fails
 *       ("Invalid argument"); otherwise the report is made by the {@link ReportSource} when the
 *       configuration changed since the last one, and cached until it changes again;</li>
 *   <li>{@code rmdir} of an entry removes it with its attributes; attributes cannot be
 *       removed.</li>
 * </ul>
 *
 * <p>{@link #raceNextInblobWith} imitates another process writing into the same entry right
 * after us, the race that {@code generation} exists to detect.
 */
public final class FakeConfigfsTsm {
  /** Where the kernel mounts the report directory. */
  public static final String REPORT_ROOT = "/sys/kernel/config/tsm/report";
  static final String SCHEME = "fake-configfs-tsm";
  private static final int INBLOB_MAX = 64;
  private static final int PRIVLEVEL_MAX = 3;

  /** What the TSM driver answers: the report and, if the host supplied any, the auxblob. */
  public record Blobs(byte[] outblob, byte[] auxblob) {
    public Blobs {
      outblob = outblob.clone();
      auxblob = auxblob.clone();
    }
  }

  /** The confidential-computing firmware behind the driver. */
  @FunctionalInterface
  public interface ReportSource {
    /**
     * A report binding {@code inblob} at privilege level {@code privlevel}.
     *
     * @throws IOException as the driver fails, e.g. when the firmware refuses
     */
    Blobs report(byte[] inblob, int privlevel) throws IOException;
  }

  private enum Attribute {
    INBLOB("inblob", false),
    PRIVLEVEL("privlevel", false),
    OUTBLOB("outblob", true),
    AUXBLOB("auxblob", true),
    GENERATION("generation", true),
    PROVIDER("provider", true),
    PRIVLEVEL_FLOOR("privlevel_floor", true);

    private final String fileName;
    private final boolean readable;

    Attribute(String fileName, boolean readable) {
      this.fileName = fileName;
      this.readable = readable;
    }

    static Attribute named(String name) {
      for (Attribute a : values()) {
        if (a.fileName.equals(name)) {
          return a;
        }
      }
      return null;
    }
  }

  /** One report entry, as struct tsm_report_state keeps it. */
  private static final class Entry {
    byte[] inblob;
    int privlevel;
    long writeGeneration;
    long readGeneration;
    Blobs blobs;
  }

  private final String provider;
  private final int privlevelFloor;
  private final ReportSource source;
  private final FakeFileSystem fileSystem = new FakeFileSystem();
  private final List<String> reportRoot = FakePath.parse(fileSystem, REPORT_ROOT).names();
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private byte[] racingInblob;
  private int reportsMade;

  /**
   * @param provider what the {@code provider} attribute says, e.g. {@code sev_guest} or
   *     {@code tdx_guest}
   * @param privlevelFloor the lowest privilege level the driver accepts
   * @param source makes the reports
   */
  public FakeConfigfsTsm(String provider, int privlevelFloor, ReportSource source) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.privlevelFloor = privlevelFloor;
    this.source = Objects.requireNonNull(source, "source");
  }

  /** {@value #REPORT_ROOT} in this fake file system. */
  public Path reportRoot() {
    return fileSystem.getPath(REPORT_ROOT);
  }

  /** The report entries that exist now, e.g. to check that an attester removed its own. */
  public synchronized Set<String> entryNames() {
    return Set.copyOf(entries.keySet());
  }

  /** How many reports the source was asked for. */
  public synchronized int reportsMade() {
    return reportsMade;
  }

  /**
   * After the next write of {@code inblob}, another writer writes {@code othersInblob} into
   * the same entry before anyone reads the report.
   */
  public synchronized void raceNextInblobWith(byte[] othersInblob) {
    racingInblob = othersInblob.clone();
  }

  private enum Kind { DIRECTORY, ENTRY, ATTRIBUTE, ABSENT }

  private record Resolved(Kind kind, String entry, Attribute attribute) {}

  private synchronized Resolved resolve(Path path) {
    List<String> names = ((FakePath) path.toAbsolutePath().normalize()).names();
    int root = reportRoot.size();
    if (names.size() <= root) {
      return names.equals(reportRoot.subList(0, names.size()))
          ? new Resolved(Kind.DIRECTORY, null, null) : new Resolved(Kind.ABSENT, null, null);
    }
    if (!names.subList(0, root).equals(reportRoot) || !entries.containsKey(names.get(root))) {
      return new Resolved(Kind.ABSENT, null, null);
    }
    if (names.size() == root + 1) {
      return new Resolved(Kind.ENTRY, names.get(root), null);
    }
    Attribute attribute = names.size() == root + 2 ? Attribute.named(names.get(root + 1)) : null;
    return attribute == null ? new Resolved(Kind.ABSENT, null, null)
        : new Resolved(Kind.ATTRIBUTE, names.get(root), attribute);
  }

  private synchronized byte[] read(String name, Attribute attribute) throws IOException {
    Entry entry = entry(name);
    return switch (attribute) {
      case GENERATION -> (entry.writeGeneration + "\n").getBytes(StandardCharsets.US_ASCII);
      case PROVIDER -> (provider + "\n").getBytes(StandardCharsets.US_ASCII);
      case PRIVLEVEL_FLOOR -> (privlevelFloor + "\n").getBytes(StandardCharsets.US_ASCII);
      case OUTBLOB -> report(entry).outblob();
      case AUXBLOB -> report(entry).auxblob();
      case INBLOB, PRIVLEVEL -> throw new IllegalStateException("write-only");
    };
  }

  private Blobs report(Entry entry) throws IOException {
    if (entry.inblob == null) {
      throw new IOException("Invalid argument: no inblob written yet");
    }
    if (entry.blobs == null || entry.readGeneration != entry.writeGeneration) {
      entry.blobs = source.report(entry.inblob.clone(), entry.privlevel);
      entry.readGeneration = entry.writeGeneration;
      reportsMade++;
    }
    return entry.blobs;
  }

  private synchronized void write(String name, Attribute attribute, byte[] value)
      throws IOException {
    Entry entry = entry(name);
    switch (attribute) {
      case INBLOB -> {
        if (value.length > INBLOB_MAX) {
          throw new IOException("File too large: inblob takes at most 64 bytes");
        }
        entry.inblob = value;
        entry.writeGeneration++;
        if (racingInblob != null) {
          entry.inblob = racingInblob;
          entry.writeGeneration++;
          racingInblob = null;
        }
      }
      case PRIVLEVEL -> {
        int level;
        try {
          level = Integer.parseInt(new String(value, StandardCharsets.US_ASCII).strip());
        } catch (NumberFormatException e) {
          throw new IOException("Invalid argument: privlevel is not a number", e);
        }
        if (level < privlevelFloor || level > PRIVLEVEL_MAX) {
          throw new IOException("Invalid argument: privlevel " + level);
        }
        entry.privlevel = level;
        entry.writeGeneration++;
      }
      default -> throw new IllegalStateException("read-only");
    }
  }

  private Entry entry(String name) throws IOException {
    Entry entry = entries.get(name);
    if (entry == null) {
      throw new IOException("No such device: entry " + name + " was removed");
    }
    return entry;
  }

  /** The file system; it has one provider instance, this fake's. */
  final class FakeFileSystem extends FileSystem {
    private final FakeProvider fakeProvider = new FakeProvider();

    @Override
    public FileSystemProvider provider() {
      return fakeProvider;
    }

    @Override
    public void close() {
      // Nothing to release: the fake lives as long as the test holds it.
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public boolean isReadOnly() {
      return false;
    }

    @Override
    public String getSeparator() {
      return "/";
    }

    @Override
    public Iterable<Path> getRootDirectories() {
      return List.of(getPath("/"));
    }

    @Override
    public Iterable<FileStore> getFileStores() {
      return List.of();
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
      return Set.of("basic");
    }

    @Override
    public Path getPath(String first, String... more) {
      return FakePath.parse(this, first, more);
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
      throw new UnsupportedOperationException("no path matchers in the fake configfs");
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
      throw new UnsupportedOperationException("no users in the fake configfs");
    }

    @Override
    public WatchService newWatchService() {
      throw new UnsupportedOperationException("configfs cannot be watched");
    }
  }

  private final class FakeProvider extends FileSystemProvider {
    @Override
    public String getScheme() {
      return SCHEME;
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
      throw new UnsupportedOperationException("make a FakeConfigfsTsm instead");
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
      throw new UnsupportedOperationException("use FakeConfigfsTsm.reportRoot()");
    }

    @Override
    public Path getPath(URI uri) {
      throw new UnsupportedOperationException("use FakeConfigfsTsm.reportRoot()");
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options,
        FileAttribute<?>... attrs) throws IOException {
      Resolved r = resolve(path);
      boolean writing = options.contains(StandardOpenOption.WRITE)
          || options.contains(StandardOpenOption.APPEND);
      if (r.kind() == Kind.ABSENT) {
        if (options.contains(StandardOpenOption.CREATE)
            || options.contains(StandardOpenOption.CREATE_NEW)) {
          throw new AccessDeniedException(path.toString(), null, "configfs creates no files");
        }
        throw new NoSuchFileException(path.toString());
      }
      if (r.kind() != Kind.ATTRIBUTE) {
        throw new IOException(path + ": Is a directory");
      }
      if (writing == r.attribute().readable) {
        throw new AccessDeniedException(path.toString(), null,
            r.attribute().readable ? "read-only attribute" : "write-only attribute");
      }
      return writing ? new WriteChannel(r.entry(), r.attribute())
          : new ReadChannel(read(r.entry(), r.attribute()));
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir,
        DirectoryStream.Filter<? super Path> filter) {
      throw new UnsupportedOperationException("list entries with FakeConfigfsTsm.entryNames()");
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
      Resolved r = resolve(dir);
      if (r.kind() != Kind.ABSENT) {
        throw new FileAlreadyExistsException(dir.toString());
      }
      List<String> names = ((FakePath) dir.toAbsolutePath().normalize()).names();
      if (names.size() != reportRoot.size() + 1
          || !names.subList(0, reportRoot.size()).equals(reportRoot)) {
        throw new AccessDeniedException(dir.toString(), null,
            "only report entries can be made in configfs-tsm");
      }
      synchronized (FakeConfigfsTsm.this) {
        entries.put(names.get(names.size() - 1), new Entry());
      }
    }

    @Override
    public void delete(Path path) throws IOException {
      Resolved r = resolve(path);
      switch (r.kind()) {
        case ABSENT -> throw new NoSuchFileException(path.toString());
        case ENTRY -> {
          synchronized (FakeConfigfsTsm.this) {
            entries.remove(r.entry());
          }
        }
        default -> throw new AccessDeniedException(path.toString(), null,
            "only report entries can be removed");
      }
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) {
      throw new UnsupportedOperationException("configfs attributes cannot be copied");
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) {
      throw new UnsupportedOperationException("configfs attributes cannot be moved");
    }

    @Override
    public boolean isSameFile(Path path, Path path2) {
      return path.toAbsolutePath().normalize().equals(path2.toAbsolutePath().normalize());
    }

    @Override
    public boolean isHidden(Path path) {
      return false;
    }

    @Override
    public FileStore getFileStore(Path path) {
      throw new UnsupportedOperationException("no file stores in the fake configfs");
    }

    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
      if (resolve(path).kind() == Kind.ABSENT) {
        throw new NoSuchFileException(path.toString());
      }
    }

    @Override
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type,
        LinkOption... options) {
      return null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type,
        LinkOption... options) throws IOException {
      if (type != BasicFileAttributes.class) {
        throw new UnsupportedOperationException("only basic attributes");
      }
      Resolved r = resolve(path);
      if (r.kind() == Kind.ABSENT) {
        throw new NoSuchFileException(path.toString());
      }
      return (A) new Attributes(r.kind() != Kind.ATTRIBUTE);
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes,
        LinkOption... options) {
      throw new UnsupportedOperationException("only basic attributes");
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) {
      throw new UnsupportedOperationException("configfs attributes have fixed modes");
    }
  }

  private record Attributes(boolean isDirectory) implements BasicFileAttributes {
    @Override
    public FileTime lastModifiedTime() {
      return FileTime.fromMillis(0);
    }

    @Override
    public FileTime lastAccessTime() {
      return FileTime.fromMillis(0);
    }

    @Override
    public FileTime creationTime() {
      return FileTime.fromMillis(0);
    }

    @Override
    public boolean isRegularFile() {
      return !isDirectory;
    }

    @Override
    public boolean isSymbolicLink() {
      return false;
    }

    @Override
    public boolean isOther() {
      return false;
    }

    @Override
    public long size() {
      return isDirectory ? 0 : 4096;
    }

    @Override
    public Object fileKey() {
      return null;
    }
  }

  /** Reads a snapshot of an attribute, as a read of a configfs file returns one. */
  private static final class ReadChannel implements SeekableByteChannel {
    private final byte[] content;
    private int position;
    private boolean open = true;

    ReadChannel(byte[] content) {
      this.content = content.clone();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      checkOpen();
      if (position >= content.length) {
        return -1;
      }
      int n = Math.min(dst.remaining(), content.length - position);
      dst.put(content, position, n);
      position += n;
      return n;
    }

    @Override
    public int write(ByteBuffer src) {
      throw new NonWritableChannelException();
    }

    @Override
    public long position() throws IOException {
      checkOpen();
      return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
      checkOpen();
      position = (int) Math.min(newPosition, content.length);
      return this;
    }

    @Override
    public long size() throws IOException {
      checkOpen();
      return content.length;
    }

    @Override
    public SeekableByteChannel truncate(long size) {
      throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close() {
      open = false;
    }

    private void checkOpen() throws ClosedChannelException {
      if (!open) {
        throw new ClosedChannelException();
      }
    }
  }

  /**
   * Collects what is written and hands it to the attribute on close, as configfs does for
   * binary attributes; the attester writes each value in one call anyway.
   */
  private final class WriteChannel implements SeekableByteChannel {
    private final String entry;
    private final Attribute attribute;
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private boolean open = true;

    WriteChannel(String entry, Attribute attribute) {
      this.entry = entry;
      this.attribute = attribute;
    }

    @Override
    public int read(ByteBuffer dst) {
      throw new UnsupportedOperationException("write-only attribute");
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      if (!open) {
        throw new ClosedChannelException();
      }
      int n = src.remaining();
      byte[] bytes = new byte[n];
      src.get(bytes);
      written.writeBytes(bytes);
      return n;
    }

    @Override
    public long position() {
      return written.size();
    }

    @Override
    public SeekableByteChannel position(long newPosition) {
      throw new UnsupportedOperationException("configfs attributes are written from the start");
    }

    @Override
    public long size() {
      return written.size();
    }

    @Override
    public SeekableByteChannel truncate(long size) {
      // Opening with TRUNCATE_EXISTING is harmless on configfs; nothing is kept to cut.
      return this;
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close() throws IOException {
      if (open) {
        open = false;
        FakeConfigfsTsm.this.write(entry, attribute, written.toByteArray());
      }
    }
  }
}
