package org.certifier.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the third-party test vectors that stay in {@code ../shared/testvectors} (DESIGN.md §7):
 * {@code CERTIFIER_TESTVECTORS} first, then the build's {@code certifier.testvectors} property.
 * Where they are absent a test is skipped with a visible message, except under {@code CI=true},
 * where a missing vector directory is a failure.
 */
public final class TestVectors {
  private TestVectors() {}

  /** The vector root directory; skips (or fails under CI) when it is not there. */
  public static Path root() {
    String env = System.getenv("CERTIFIER_TESTVECTORS");
    String prop = System.getProperty("certifier.testvectors");
    Path dir = env != null && !env.isBlank() ? Path.of(env)
        : prop != null && !prop.isBlank() ? Path.of(prop)
        : Path.of("..", "shared", "testvectors");
    if (!Files.isDirectory(dir)) {
      String message = "test vectors not found at " + dir.toAbsolutePath()
          + " (set CERTIFIER_TESTVECTORS)";
      if ("true".equals(System.getenv("CI"))) {
        throw new IllegalStateException(message);
      }
      System.err.println("SKIPPED: " + message);
      Assumptions.abort(message);
    }
    return dir;
  }

  /** A file under the vector root, e.g. {@code path("certifier-reference/wire/trust_request.pb")}. */
  public static Path path(String relative) {
    Path p = root().resolve(relative);
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("missing test vector " + p.toAbsolutePath());
    }
    return p;
  }

  /** The bytes of a vector file. */
  public static byte[] bytes(String relative) {
    try {
      return Files.readAllBytes(path(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A file of the reference capture, {@code certifier-reference/<relative>}. */
  public static byte[] reference(String relative) {
    return bytes("certifier-reference/" + relative);
  }
}
