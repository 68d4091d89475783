package org.certifier.testing.tsm;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A path of a {@link FakeConfigfsTsm} file system: names separated by "/". */
final class FakePath implements Path {
  private final FakeConfigfsTsm.FakeFileSystem fs;
  private final List<String> names;
  private final boolean absolute;

  FakePath(FakeConfigfsTsm.FakeFileSystem fs, List<String> names, boolean absolute) {
    this.fs = fs;
    this.names = List.copyOf(names);
    this.absolute = absolute;
  }

  static FakePath parse(FakeConfigfsTsm.FakeFileSystem fs, String first, String... more) {
    StringBuilder joined = new StringBuilder(first);
    for (String m : more) {
      joined.append('/').append(m);
    }
    List<String> names = new ArrayList<>();
    for (String n : joined.toString().split("/")) {
      if (!n.isEmpty()) {
        names.add(n);
      }
    }
    return new FakePath(fs, names, joined.toString().startsWith("/"));
  }

  List<String> names() {
    return names;
  }

  @Override
  public FileSystem getFileSystem() {
    return fs;
  }

  @Override
  public boolean isAbsolute() {
    return absolute;
  }

  @Override
  public Path getRoot() {
    return absolute ? new FakePath(fs, List.of(), true) : null;
  }

  @Override
  public Path getFileName() {
    return names.isEmpty() ? null : new FakePath(fs, List.of(names.get(names.size() - 1)), false);
  }

  @Override
  public Path getParent() {
    if (names.isEmpty() || !absolute && names.size() == 1) {
      return null;
    }
    return new FakePath(fs, names.subList(0, names.size() - 1), absolute);
  }

  @Override
  public int getNameCount() {
    return names.size();
  }

  @Override
  public Path getName(int index) {
    return new FakePath(fs, List.of(names.get(index)), false);
  }

  @Override
  public Path subpath(int beginIndex, int endIndex) {
    return new FakePath(fs, names.subList(beginIndex, endIndex), false);
  }

  @Override
  public boolean startsWith(Path other) {
    FakePath o = cast(other);
    return o.absolute == absolute && o.names.size() <= names.size()
        && names.subList(0, o.names.size()).equals(o.names);
  }

  @Override
  public boolean endsWith(Path other) {
    FakePath o = cast(other);
    if (o.absolute) {
      return equals(o);
    }
    return o.names.size() <= names.size()
        && names.subList(names.size() - o.names.size(), names.size()).equals(o.names);
  }

  @Override
  public Path normalize() {
    List<String> out = new ArrayList<>();
    for (String n : names) {
      if (n.equals("..") && !out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
        out.remove(out.size() - 1);
      } else if (!n.equals(".") && !(n.equals("..") && absolute)) {
        out.add(n);
      }
    }
    return new FakePath(fs, out, absolute);
  }

  @Override
  public Path resolve(Path other) {
    FakePath o = cast(other);
    if (o.absolute) {
      return o;
    }
    List<String> joined = new ArrayList<>(names);
    joined.addAll(o.names);
    return new FakePath(fs, joined, absolute);
  }

  @Override
  public Path relativize(Path other) {
    FakePath o = cast(other);
    if (o.absolute != absolute) {
      throw new IllegalArgumentException("cannot relativize between absolute and relative");
    }
    int common = 0;
    while (common < names.size() && common < o.names.size()
        && names.get(common).equals(o.names.get(common))) {
      common++;
    }
    List<String> out = new ArrayList<>();
    for (int i = common; i < names.size(); i++) {
      out.add("..");
    }
    out.addAll(o.names.subList(common, o.names.size()));
    return new FakePath(fs, out, false);
  }

  @Override
  public URI toUri() {
    try {
      return new URI(FakeConfigfsTsm.SCHEME, null, toAbsolutePath().toString(), null);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Path toAbsolutePath() {
    return absolute ? this : new FakePath(fs, names, true);
  }

  @Override
  public Path toRealPath(LinkOption... options) throws IOException {
    Path real = toAbsolutePath().normalize();
    fs.provider().checkAccess(real);
    return real;
  }

  @Override
  public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events,
      WatchEvent.Modifier... modifiers) {
    throw new UnsupportedOperationException("configfs cannot be watched");
  }

  @Override
  public int compareTo(Path other) {
    return toString().compareTo(cast(other).toString());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FakePath o && o.fs == fs && o.absolute == absolute
        && o.names.equals(names);
  }

  @Override
  public int hashCode() {
    return Objects.hash(names, absolute);
  }

  @Override
  public String toString() {
    return (absolute ? "/" : "") + String.join("/", names);
  }

  private FakePath cast(Path other) {
    if (!(other instanceof FakePath o) || o.fs != fs) {
      throw new ProviderMismatchException("not a path of this fake configfs");
    }
    return o;
  }
}
