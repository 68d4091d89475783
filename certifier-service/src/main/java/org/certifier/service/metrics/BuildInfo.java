package org.certifier.service.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** What build of the service is running, from the properties Maven writes at build time. */
public final class BuildInfo {
  private static final String VERSION = load();

  private BuildInfo() {}

  /** The project version, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static String version() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
      if (in == null) {
        throw new IllegalStateException("build.properties is missing from the service's jar");
      }
      Properties p = new Properties();
      p.load(in);
      String version = p.getProperty("version", "");
      if (version.isBlank() || version.contains("${")) {
        throw new IllegalStateException("build.properties was not filled in by the build");
      }
      return version;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read build.properties", e);
    }
  }
}
