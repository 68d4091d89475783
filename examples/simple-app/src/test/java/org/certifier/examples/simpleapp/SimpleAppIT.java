package org.certifier.examples.simpleapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end with real processes on loopback: `certifier domain ...` provisions a domain,
 * `certifier service` runs the Certifier Service, and the simple app, as separate client
 * processes, certifies itself and talks over the secure channel; processes are killed with
 * SIGKILL and restarted from their sealed stores.
 */
class SimpleAppIT {
  private static final String DOMAIN = "it-domain";
  private static final long WAIT_SECONDS = 120;

  @TempDir
  Path dir;

  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void killAll() {
    started.forEach(Process::destroyForcibly);
  }

  @Test
  void certifyTalkKillAndRestart() throws Exception {
    Path domain = dir.resolve("domain");
    Path appJar = Path.of(System.getProperty("simple.app.jar"));
    Path measurement = domain.resolve("example_app.measurement");
    cli("domain", "create", "--dir", domain.toString(), "--domain", DOMAIN);
    cli("domain", "measure", appJar.toString(), "--output", measurement.toString());
    cli("domain", "trust", "--dir", domain.toString(), "--domain", DOMAIN,
        "--measurement-file", measurement.toString());

    Running service = startService(domain, 0);
    int port = service.awaitPort(Pattern.compile("listening on [^:]+:(\\d+)"));

    Path app1 = provisionApp("app1", domain, measurement);
    Path app2 = provisionApp("app2", domain, measurement);
    for (Path app : List.of(app1, app2)) {
      assertEquals(0, app("cold-init", app, port).exit, "cold-init " + app);
      Result certified = app("get-certified", app, port);
      assertEquals(0, certified.exit, certified.output);
      assertTrue(certified.output.contains("O=Measured-"), certified.output);
    }
    String firstSerial = serial(app("get-certified", app1, port).output);

    // The server process is killed with SIGKILL while waiting, then restarted: warm restart
    // from its sealed store, no new certification needed.
    Running server = startApp("run-app-as-server", app2, port, "--connections=1");
    server.awaitPort(Pattern.compile("server: listening on port (\\d+)"));
    server.process.destroyForcibly().waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
    server = startApp("run-app-as-server", app2, port, "--connections=1");
    int appPort = server.awaitPort(Pattern.compile("server: listening on port (\\d+)"));

    Result client = app("run-app-as-client", app1, port, "--server-app-port=" + appPort);
    assertEquals(0, client.exit, client.output);
    assertTrue(client.output.contains("said: Hi from your secret server"), client.output);
    assertTrue(server.process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS));
    assertTrue(server.output().contains("said: Hi from your secret client"), server.output());

    // A program the policy does not trust is refused, with the reason code.
    Path stranger = provisionApp("stranger", domain, domain.resolve("policy.bin"));
    Files.write(stranger.resolve("example_app.measurement"),
        java.security.MessageDigest.getInstance("SHA-256").digest(new byte[] {1}));
    assertEquals(0, app("cold-init", stranger, port).exit);
    Result refused = app("get-certified", stranger, port);
    assertEquals(1, refused.exit, refused.output);
    assertTrue(refused.output.contains("[unknown-measurement]"), refused.output);

    // The service is killed and restarted on its port (the apps' stores name it): serial
    // numbers keep increasing and never repeat.
    service.process.destroyForcibly().waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
    service = startService(domain, port);
    assertEquals(port, service.awaitPort(Pattern.compile("listening on [^:]+:(\\d+)")));
    String afterRestart = serial(app("get-certified", app1, port).output);
    assertNotEquals(firstSerial, afterRestart);
    assertTrue(Long.parseLong(afterRestart) > Long.parseLong(firstSerial),
        firstSerial + " then " + afterRestart);
  }

  private Path provisionApp(String name, Path domain, Path measurement) throws IOException {
    Path app = dir.resolve(name);
    Files.createDirectories(app);
    Files.copy(domain.resolve("attest_key_file.bin"), app.resolve("attest_key_file.bin"));
    Files.copy(domain.resolve("platform_attest_endorsement.bin"),
        app.resolve("platform_attest_endorsement.bin"));
    Files.copy(measurement, app.resolve("example_app.measurement"));
    return app;
  }

  private static String serial(String output) {
    Matcher m = Pattern.compile("serial (\\d+)").matcher(output);
    assertTrue(m.find(), output);
    return m.group(1);
  }

  private Running startService(Path domain, int port) throws IOException {
    return start(List.of(java(), "-jar", System.getProperty("certifier.cli.jar"), "service",
        "--policy-key-file", domain.resolve("policy_key_file." + DOMAIN).toString(),
        "--policy-cert-file", domain.resolve("policy_cert_file." + DOMAIN).toString(),
        "--policy-file", domain.resolve("policy.bin").toString(),
        "--host", "127.0.0.1", "--port", Integer.toString(port),
        "--state-dir", dir.resolve("service-state").toString()));
  }

  private Running startApp(String operation, Path app, int port, String... extra)
      throws IOException {
    return start(appCommand(operation, app, port, extra));
  }

  private Result app(String operation, Path app, int port, String... extra) throws Exception {
    return run(appCommand(operation, app, port, extra));
  }

  private List<String> appCommand(String operation, Path app, int port, String... extra) {
    List<String> cmd = new ArrayList<>(List.of(java(), "-jar",
        System.getProperty("simple.app.jar"), "--operation=" + operation,
        "--data-dir=" + app, "--domain-name=" + DOMAIN,
        "--policy-cert-file=" + dir.resolve("domain/policy_cert_file." + DOMAIN),
        "--policy-host=127.0.0.1", "--policy-port=" + port,
        "--server-app-host=127.0.0.1", "--server-app-port=0"));
    cmd.addAll(List.of(extra));
    return cmd;
  }

  private void cli(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(java(), "-jar",
        System.getProperty("certifier.cli.jar")));
    cmd.addAll(List.of(args));
    Result r = run(cmd);
    assertEquals(0, r.exit, String.join(" ", args) + ": " + r.output);
  }

  private record Result(int exit, String output) {}

  private Result run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    started.add(p);
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS), "process did not finish: " + cmd);
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  /** A background process whose output lines are collected as they come. */
  private final class Running {
    final Process process;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final StringBuilder all = new StringBuilder();

    Running(Process process) {
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

    int awaitPort(Pattern pattern) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
      while (System.nanoTime() < deadline) {
        String line = lines.poll(1, TimeUnit.SECONDS);
        if (line != null) {
          Matcher m = pattern.matcher(line);
          if (m.find()) {
            return Integer.parseInt(m.group(1));
          }
        }
      }
      throw new AssertionError("no line matching " + pattern + " in: " + output());
    }

    String output() {
      synchronized (all) {
        return all.toString();
      }
    }
  }

  private Running start(List<String> cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    started.add(p);
    return new Running(p);
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
