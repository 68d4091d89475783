package org.certifier.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Copies a target's seed vectors into its corpus directory: {@code Seeds <Target> <dir>}. The
 * corpus lives under fuzz/target, never in the repository (DESIGN.md §7).
 */
public final class Seeds {
  private Seeds() {}

  public static void main(String[] args) throws IOException, ReflectiveOperationException {
    if (args.length != 2) {
      System.err.println("usage: Seeds <TargetClass> <corpus-dir>");
      System.exit(2);
    }
    Class<?> target = Class.forName(Seeds.class.getPackageName() + "." + args[0]);
    @SuppressWarnings("unchecked")
    List<String> seeds = (List<String>) target.getDeclaredField("SEEDS").get(null);
    Path dir = Files.createDirectories(Path.of(args[1]));
    for (String seed : seeds) {
      Files.write(dir.resolve("seed-" + seed.replace('/', '_')), Vectors.bytes(seed));
    }
  }
}
