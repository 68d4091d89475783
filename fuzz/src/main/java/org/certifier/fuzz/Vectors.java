package org.certifier.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared test vectors (DESIGN.md §7): {@code CERTIFIER_TESTVECTORS}, else
 * {@code ../shared/testvectors} beside the checkout, which fuzz/run passes in.
 */
final class Vectors {
  private Vectors() {}

  static Path root() {
    String env = System.getenv("CERTIFIER_TESTVECTORS");
    Path dir = env != null && !env.isBlank() ? Path.of(env) : Path.of("..", "shared",
        "testvectors");
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("test vectors not found at " + dir.toAbsolutePath()
          + " (set CERTIFIER_TESTVECTORS)");
    }
    return dir;
  }

  static byte[] bytes(String relative) {
    try {
      return Files.readAllBytes(root().resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
