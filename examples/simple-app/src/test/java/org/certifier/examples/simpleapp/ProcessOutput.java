package org.certifier.examples.simpleapp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The output of a process started by an end-to-end test, collected line by line as it comes
 * (stderr merged), so a test can wait for "listening on ..." and still see everything on failure.
 */
final class ProcessOutput {
  /** A finished process: exit code and all it printed. */
  record Finished(int exit, String output) {}

  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final StringBuilder all = new StringBuilder();

  private ProcessOutput(Process process) {
    this.process = process;
    Thread.ofVirtual().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(
          process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          synchronized (all) {
            all.append(line).append('\n');
          }
          lines.add(line);
        }
      } catch (IOException e) {
        // the process ended
      }
    });
  }

  /** Starts {@code builder} with stderr merged into stdout and watches its output. */
  static ProcessOutput start(ProcessBuilder builder) throws IOException {
    return new ProcessOutput(builder.redirectErrorStream(true).start());
  }

  /** Runs a command to its end; its output is read until the process closes it. */
  static Finished run(List<String> command, Duration timeout) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("process did not finish: " + command + "\n" + out);
      }
      return new Finished(p.exitValue(), out);
    } finally {
      p.destroyForcibly();
    }
  }

  /** The test JVM's own java launcher, so child processes run on the same JDK. */
  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  Process process() {
    return process;
  }

  /** Waits for a line matching {@code pattern}; fails with everything printed so far. */
  Matcher await(Pattern pattern, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && (process.isAlive() || !lines.isEmpty())) {
      String line = lines.poll(100, TimeUnit.MILLISECONDS);
      if (line != null) {
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          return m;
        }
      }
    }
    throw new AssertionError("no line matching " + pattern + " in:\n" + text());
  }

  /** Everything printed so far. */
  String text() {
    synchronized (all) {
      return all.toString();
    }
  }
}
