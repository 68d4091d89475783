package org.certifier.bench;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.util.Optional;
import org.certifier.crypto.KeyAlgorithm;
import org.certifier.crypto.CryptoProviders;
import org.certifier.crypto.KeyMessages;
import org.certifier.crypto.Randomness;
import org.certifier.proto.trust_request_message;
import org.certifier.proto.trust_response_message;
import org.certifier.protocol.Framing;
import org.certifier.protocol.Messages;
import org.certifier.service.certify.Certifier;
import org.certifier.service.certify.Decision;

/**
 * Drives a Certifier Service over its real TCP protocol on loopback and reports throughput,
 * latency percentiles, the service's CPU per certification and the crypto floor measured in the
 * same run. The service runs as its own process ({@code certifier service}), so its CPU time is
 * read from {@code /proc/<pid>/stat} and not mixed with the load generator's.
 *
 * <p>Bounded in count and time, loopback only. Flags ({@code --name=value}): connections (2),
 * requests (5000), warmup (1000), max-seconds (60), mode (fresh|replay), distinct (2000
 * pre-built fresh requests, cycled), policy-measurements (1), rate (0 = as fast as possible,
 * else requests/s paced, latency measured from the scheduled send time), service-heap (256m),
 * service-jfr (a file: record a JFR profile of the service), service-jvm (extra JVM options
 * for the service, space-separated; without a -XX:+Use...GC the service gets the launcher's
 * collector, {@link #SERVICE_GC}), cli-jar
 * (certifier-cli/target/certifier.jar), target ({@code service}, or {@code tcp-floor}: the same
 * load against {@link TcpFloorServer}, which answers every request with a prepared admission
 * response and certifies nothing, started with the same JVM options: what the protocol's one
 * connection per request costs by itself).
 */
public final class LoadGenerator {
  private static final Pattern LISTENING = Pattern.compile("^listening on [^:]+:(\\d+)$");
  /** The collector the `certifier` launcher gives the service; --service-jvm may name another. */
  static final String SERVICE_GC = "-XX:+UseParallelGC";

  private LoadGenerator() {}

  /** The measured figures of one run. */
  public record Report(int connections, int requests, long failures, double seconds,
      double throughput, double p50Ms, double p90Ms, double p99Ms, double maxMs,
      double serviceCpuMsPerCert, double cryptoFloorMs, int policyStatements, String mode,
      double rate, double generatorCpuMsPerCert, Map<String, Double> serviceCpuByThreads) {

    public double cpuOverFloor() {
      return serviceCpuMsPerCert / cryptoFloorMs;
    }

    public String text() {
      return String.format(Locale.ROOT, """
          mode %s, %d connections, %s, policy of %d statements
          requests            %d (%d failed) in %.2f s
          throughput          %.0f certifications/s
          latency ms          p50 %.2f  p90 %.2f  p99 %.2f  max %.2f
          service CPU / cert  %.3f ms (%s)
          crypto floor        %.3f ms (1 RSA-2048 sign + 2 verifications, same run, %s)
          CPU / floor         %.2fx
          generator CPU/cert  %.3f ms (the load generator's own process)""", mode, connections,
          rate > 0 ? String.format(Locale.ROOT, "paced at %.0f/s", rate) : "unpaced",
          policyStatements, requests, failures, seconds, throughput, p50Ms, p90Ms, p99Ms, maxMs,
          serviceCpuMsPerCert, breakdown(), cryptoFloorMs, CryptoProviders.install().provider(),
          cpuOverFloor(), generatorCpuMsPerCert);
    }

    private String breakdown() {
      StringBuilder b = new StringBuilder();
      serviceCpuByThreads.entrySet().stream().filter(e -> !e.getKey().equals(KERNEL))
          .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
          .forEach(e -> b.append(b.isEmpty() ? "" : ", ")
              .append(String.format(Locale.ROOT, "%s %.3f", e.getKey(), e.getValue())));
      return b.append(String.format(Locale.ROOT, "; %s %.3f", KERNEL,
          serviceCpuByThreads.getOrDefault(KERNEL, 0.0))).toString();
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> flags = new HashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (!a.startsWith("--") || eq < 0) {
        System.err.println("usage: load [--connections=2] [--requests=5000] [--warmup=1000]"
            + " [--max-seconds=60] [--mode=fresh|replay] [--distinct=2000]"
            + " [--policy-measurements=1] [--rate=0] [--service-heap=256m]"
            + " [--service-jvm='OPTIONS'] [--service-jfr=FILE] [--cli-jar=PATH]"
            + " [--target=service|tcp-floor]");
        System.exit(2);
      }
      flags.put(a.substring(2, eq), a.substring(eq + 1));
    }
    Report r = run(flags);
    System.out.println(r.text());
  }

  /** Provisions a domain, starts the service, runs the load, stops the service. */
  public static Report run(Map<String, String> flags) throws Exception {
    // The floor is timed on the provider the service uses (both start the same way).
    CryptoProviders.install();
    int connections = Integer.parseInt(flags.getOrDefault("connections", "2"));
    int requests = Integer.parseInt(flags.getOrDefault("requests", "5000"));
    int warmup = Integer.parseInt(flags.getOrDefault("warmup", "1000"));
    long maxSeconds = Long.parseLong(flags.getOrDefault("max-seconds", "60"));
    String mode = flags.getOrDefault("mode", "fresh");
    int distinct = "replay".equals(mode) ? 1
        : Integer.parseInt(flags.getOrDefault("distinct", "2000"));
    int extra = Integer.parseInt(flags.getOrDefault("policy-measurements", "1")) - 1;
    double rate = Double.parseDouble(flags.getOrDefault("rate", "0"));
    Path cliJar = Path.of(flags.getOrDefault("cli-jar", "certifier-cli/target/certifier.jar"));
    String target = flags.getOrDefault("target", "service");
    if (!target.equals("service") && !target.equals("tcp-floor")) {
      throw new IllegalArgumentException("--target is service or tcp-floor, not " + target);
    }
    if (!Files.isRegularFile(cliJar)) {
      throw new IllegalArgumentException("no CLI jar at " + cliJar + " (build first, or"
          + " pass --cli-jar=)");
    }
    try (BenchDomain domain = BenchDomain.create(Math.max(0, extra))) {
      List<byte[]> frames = new ArrayList<>();
      for (trust_request_message m : domain.requests(distinct, Math.min(distinct, 50))) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Framing.write(out, m.toByteArray());
        frames.add(out.toByteArray());
      }
      List<String> jvm = serviceJvm(flags.getOrDefault("service-heap", "256m"),
          flags.get("service-jfr"), flags.getOrDefault("service-jvm", ""));
      Process service = target.equals("service") ? startService(domain, cliJar, jvm)
          : startFloorServer(domain, jvm);
      try {
        int port = awaitPort(service);
        drive(port, frames, connections, warmup, 0, maxSeconds);
        long cpuBefore = processCpuNanos(service.pid());
        Map<String, Long> threadsBefore = threadCpuNanos(service.pid());
        long ownBefore = processCpuNanos(ProcessHandle.current().pid());
        Result measured = drive(port, frames, connections, requests, rate, maxSeconds);
        long ownAfter = processCpuNanos(ProcessHandle.current().pid());
        long cpuAfter = processCpuNanos(service.pid());
        Map<String, Long> threadsAfter = threadCpuNanos(service.pid());
        long[] lat = measured.latencies();
        Arrays.sort(lat);
        int done = lat.length;
        double cpuPerCert = (cpuAfter - cpuBefore) / 1e6 / Math.max(1, done);
        Map<String, Double> byThreads = new HashMap<>();
        threadsAfter.forEach((group, after) -> byThreads.put(group,
            (after - threadsBefore.getOrDefault(group, 0L)) / 1e6 / Math.max(1, done)));
        return new Report(connections, done, measured.failures(), measured.seconds(),
            done / measured.seconds(), pct(lat, 0.50), pct(lat, 0.90), pct(lat, 0.99),
            done == 0 ? 0 : lat[done - 1] / 1e6, cpuPerCert, cryptoFloorMillis(),
            2 + Math.max(0, extra),
            target.equals("service") ? mode : mode + ", TCP floor server (no certification)",
            rate,
            (ownAfter - ownBefore) / 1e6 / Math.max(1, done), byThreads);
      } finally {
        service.destroy();
        if (!service.waitFor(10, TimeUnit.SECONDS)) {
          service.destroyForcibly();
        }
      }
    }
  }

  private record Result(long[] latencies, long failures, double seconds) {}

  private static Result drive(int port, List<byte[]> frames, int connections, int count,
      double rate, long maxSeconds) throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    AtomicLong failures = new AtomicLong();
    long[] latencies = new long[count];
    Arrays.fill(latencies, -1);
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(maxSeconds);
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < connections; w++) {
      workers.add(Thread.ofPlatform().start(() -> {
        for (int i; (i = next.getAndIncrement()) < count; ) {
          long scheduled = rate > 0 ? start + (long) (i * 1e9 / rate) : System.nanoTime();
          long now = System.nanoTime();
          if (now > deadline) {
            return;
          }
          if (scheduled > now) {
            java.util.concurrent.locks.LockSupport.parkNanos(scheduled - now);
          }
          try {
            if (!certify(port, frames.get(i % frames.size()))) {
              failures.incrementAndGet();
            }
          } catch (IOException e) {
            failures.incrementAndGet();
          }
          latencies[i] = System.nanoTime() - scheduled;
        }
      }));
    }
    for (Thread t : workers) {
      t.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long[] done = Arrays.stream(latencies).filter(l -> l >= 0).toArray();
    return new Result(done, failures.get(), seconds);
  }

  private static boolean certify(int port, byte[] frame) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      s.setSoTimeout(30_000);
      s.setTcpNoDelay(true);
      s.getOutputStream().write(frame);
      s.getOutputStream().flush();
      byte[] body = Framing.read(s.getInputStream(), Framing.MAX_FRAME);
      return "succeeded".equals(Messages.parse(trust_response_message.parser(), body,
          "response").getStatus());
    } catch (org.certifier.protocol.MalformedMessageException e) {
      return false;
    }
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1e6;
  }

  /** One RSA-2048 signature and two verifications, as the service does per certification. */
  static double cryptoFloorMillis() throws Exception {
    KeyPair key = KeyMessages.generate(KeyAlgorithm.RSA_2048, Randomness.secureRandom());
    byte[] data = new byte[1200];
    Randomness.secureRandom().nextBytes(data);
    Signature signer = Signature.getInstance("SHA256withRSA");
    Signature verifier = Signature.getInstance("SHA256withRSA");
    byte[] sig = null;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (int round = 0; round < 2; round++) {
      int n = round == 0 ? 300 : 1000;
      long t0 = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) {
        signer.initSign(key.getPrivate());
        signer.update(data);
        sig = signer.sign();
      }
      long t1 = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < 2 * n; i++) {
        verifier.initVerify(key.getPublic());
        verifier.update(data);
        if (!verifier.verify(sig)) {
          throw new IllegalStateException("signature did not verify");
        }
      }
      long t2 = threads.getCurrentThreadCpuTime();
      if (round == 1) {
        return ((t1 - t0) + (t2 - t1)) / 1e6 / n;
      }
    }
    throw new IllegalStateException("unreachable");
  }

  private static Process startService(BenchDomain domain, Path cliJar, List<String> jvm)
      throws IOException {
    List<String> cmd = new ArrayList<>(jvm);
    cmd.addAll(List.of("-jar", cliJar.toString(), "service",
        "--policy-key-file", domain.layout().policyKey().toString(),
        "--policy-cert-file", domain.layout().policyCert().toString(),
        "--policy-file", domain.layout().policy().toString(),
        "--host", "127.0.0.1", "--port", "0",
        "--state-dir", domain.dir().resolve("service-state").toString()));
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  /**
   * {@link TcpFloorServer} on this generator's class path, answering with the response the
   * service gives the domain's first request (certified once, in this process): the same bytes
   * on the wire as a real admission.
   */
  private static Process startFloorServer(BenchDomain domain, List<String> jvm)
      throws Exception {
    Certifier certifier = domain.certifier(() -> BigInteger.ONE);
    trust_request_message request = domain.requests(1, 1).get(0);
    if (!(certifier.certify(request, Optional.empty()) instanceof Decision.Admitted admitted)) {
      throw new IllegalStateException("the sample request was not admitted");
    }
    Path response = domain.dir().resolve("floor-response.bin");
    Files.write(response, trust_response_message.newBuilder()
        .setRequestingEnclaveTag(request.getRequestingEnclaveTag())
        .setProvidingEnclaveTag(request.getProvidingEnclaveTag())
        .setStatus("succeeded").setArtifact(ByteString.copyFrom(admitted.artifact()))
        .build().toByteArray());
    List<String> cmd = new ArrayList<>(jvm);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
        TcpFloorServer.class.getName(), response.toString()));
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  /** The JVM and its options, as the `certifier` launcher starts the service. */
  private static List<String> serviceJvm(String heap, String jfrFile, String jvmOptions) {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap));
    if (!jvmOptions.matches(".*-XX:\\+Use\\w*GC.*")) {
      cmd.add(SERVICE_GC); // as the `certifier` launcher starts the service
    }
    for (String option : jvmOptions.trim().split("\\s+")) {
      if (!option.isEmpty()) {
        cmd.add(option); // e.g. a GC or an AOT cache to compare; space-separated
      }
    }
    if (jfrFile != null) {
      // A profile of the service under this load, for `jfr view hot-methods FILE`.
      cmd.add("-XX:StartFlightRecording=filename=" + jfrFile + ",settings=profile");
    }
    return cmd;
  }

  private static int awaitPort(Process service) throws IOException {
    BufferedReader r = new BufferedReader(new InputStreamReader(service.getInputStream(),
        StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line; (line = r.readLine()) != null; ) {
      seen.append(line).append('\n');
      Matcher m = LISTENING.matcher(line);
      if (m.matches()) {
        int port = Integer.parseInt(m.group(1));
        // Keep draining the service's log so it never blocks on a full pipe.
        Thread.ofVirtual().start(() -> {
          try {
            while (r.readLine() != null) {
              // discarded: the service logs one line per decision
            }
          } catch (IOException e) {
            // the service ended
          }
        });
        return port;
      }
    }
    throw new IOException("the service did not start:\n" + seen);
  }

  /** utime + stime of a process, from /proc (Linux), in nanoseconds. */
  static long processCpuNanos(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    return ticks * (1_000_000_000L / clockTicksPerSecond());
  }

  /**
   * CPU time of a process's live threads by group (request handlers, JIT, GC, the store's own
   * threads, the rest) and, under {@link #KERNEL}, how much of all of it was kernel time, from
   * /proc/PID/task/TID/stat. Threads that ended in between are missing
   * from the groups but not from {@link #processCpuNanos}, so the groups can sum to less.
   */
  static Map<String, Long> threadCpuNanos(long pid) throws IOException {
    Map<String, Long> groups = new HashMap<>();
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks.toList()) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException e) {
          continue; // the thread ended
        }
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long tick = 1_000_000_000L / clockTicksPerSecond();
        long system = Long.parseLong(f[12]);
        groups.merge(threadGroup(name), (Long.parseLong(f[11]) + system) * tick, Long::sum);
        groups.merge(KERNEL, system * tick, Long::sum);
      }
    }
    return groups;
  }

  /** Not a group: the part of all threads' time spent in the kernel (stime). */
  static final String KERNEL = "of which kernel";

  /** Linux shows the first 15 characters of a Java thread's name. */
  private static String threadGroup(String name) {
    if (name.startsWith("ForkJoinPool-")) {
      return "requests"; // carriers of the service's virtual threads
    }
    if (name.startsWith("certifier-journ")) {
      return "journal"; // the embedded store's writer into H2
    }
    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
      return "jit";
    }
    if (name.startsWith("GC ") || name.startsWith("G1 ") || name.startsWith("VM Thread")) {
      return "gc+vm";
    }
    if (name.startsWith("H2") || name.startsWith("MVStore")) {
      return "h2";
    }
    return "other";
  }

  private static long clockTicksPerSecond() {
    // USER_HZ is 100 on every Linux architecture this runs on (x86-64, arm64).
    return 100;
  }
}
