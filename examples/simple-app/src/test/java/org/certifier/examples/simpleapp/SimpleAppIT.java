package org.certifier.examples.simpleapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
  private static final java.time.Duration WAIT = java.time.Duration.ofSeconds(WAIT_SECONDS);

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

    ProcessOutput service = startService(domain, 0);
    int port = port(service, "listening on [^:]+:(\\d+)");

    Path app1 = provisionApp("app1", domain, measurement);
    Path app2 = provisionApp("app2", domain, measurement);
    for (Path app : List.of(app1, app2)) {
      assertEquals(0, app("cold-init", app, port).exit(), "cold-init " + app);
      ProcessOutput.Finished certified = app("get-certified", app, port);
      assertEquals(0, certified.exit(), certified.output());
      assertTrue(certified.output().contains("O=Measured-"), certified.output());
    }
    String firstSerial = serial(app("get-certified", app1, port).output());

    // The server process is killed with SIGKILL while waiting, then restarted: warm restart
    // from its sealed store, no new certification needed.
    ProcessOutput server = startApp("run-app-as-server", app2, port, "--connections=1");
    port(server, "server: listening on port (\\d+)");
    server.process().destroyForcibly().waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
    server = startApp("run-app-as-server", app2, port, "--connections=1");
    int appPort = port(server, "server: listening on port (\\d+)");

    ProcessOutput.Finished client = app("run-app-as-client", app1, port, "--server-app-port=" + appPort);
    assertEquals(0, client.exit(), client.output());
    assertTrue(client.output().contains("said: Hi from your secret server"), client.output());
    assertTrue(server.process().waitFor(WAIT_SECONDS, TimeUnit.SECONDS));
    assertTrue(server.text().contains("said: Hi from your secret client"), server.text());

    // A program the policy does not trust is refused, with the reason code.
    Path stranger = provisionApp("stranger", domain, domain.resolve("policy.bin"));
    Files.write(stranger.resolve("example_app.measurement"),
        java.security.MessageDigest.getInstance("SHA-256").digest(new byte[] {1}));
    assertEquals(0, app("cold-init", stranger, port).exit());
    ProcessOutput.Finished refused = app("get-certified", stranger, port);
    assertEquals(1, refused.exit(), refused.output());
    assertTrue(refused.output().contains("[unknown-measurement]"), refused.output());

    // The service is killed and restarted on its port (the apps' stores name it): serial
    // numbers keep increasing and never repeat.
    service.process().destroyForcibly().waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
    service = startService(domain, port);
    assertEquals(port, port(service, "listening on [^:]+:(\\d+)"));
    String afterRestart = serial(app("get-certified", app1, port).output());
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

  private ProcessOutput startService(Path domain, int port) throws IOException {
    return start(List.of(java(), "-jar", System.getProperty("certifier.cli.jar"), "service",
        "--policy-key-file", domain.resolve("policy_key_file." + DOMAIN).toString(),
        "--policy-cert-file", domain.resolve("policy_cert_file." + DOMAIN).toString(),
        "--policy-file", domain.resolve("policy.bin").toString(),
        "--host", "127.0.0.1", "--port", Integer.toString(port),
        "--state-dir", dir.resolve("service-state").toString()));
  }

  private ProcessOutput startApp(String operation, Path app, int port, String... extra)
      throws IOException {
    return start(appCommand(operation, app, port, extra));
  }

  private ProcessOutput.Finished app(String operation, Path app, int port, String... extra) throws Exception {
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
    ProcessOutput.Finished r = run(cmd);
    assertEquals(0, r.exit(), String.join(" ", args) + ": " + r.output());
  }

  private ProcessOutput.Finished run(List<String> cmd) throws Exception {
    return ProcessOutput.run(cmd, WAIT);
  }

  private ProcessOutput start(List<String> cmd) throws IOException {
    ProcessOutput p = ProcessOutput.start(new ProcessBuilder(cmd));
    started.add(p.process());
    return p;
  }

  private static int port(ProcessOutput p, String regex) throws InterruptedException {
    return Integer.parseInt(p.await(Pattern.compile(regex), WAIT).group(1));
  }

  private static String java() {
    return ProcessOutput.java();
  }
}
