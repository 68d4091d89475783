package org.certifier.service.metrics;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.certifier.evidence.Failure;
import org.certifier.service.certify.Decision;
import org.certifier.service.tcp.CertifierTcpServer;

/**
 * The service's counters, kept with {@link LongAdder}s so that counting costs the certification
 * path no lock and no contention, and rendered in the Prometheus text exposition format 0.0.4
 * for {@code GET /v1/metrics}. Every series exists from the start (at 0): a failure code that
 * never occurred is a 0, not a missing series, so rates and alerts work from the first scrape.
 */
public final class ServiceMetrics implements CertifierTcpServer.Observer {
  /** The content type of {@link #exposition()}. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /**
   * Upper bounds of the latency buckets, in seconds: a simulated-enclave certification takes a
   * few milliseconds, one with vendor chains and an fsync tens; beyond 10 s is the deadline.
   */
  private static final double[] BUCKETS =
      {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  private final LongAdder admitted = new LongAdder();
  private final Map<Failure, LongAdder> rejected = new EnumMap<>(Failure.class);
  /** Per bucket, not cumulative (the last is +Inf); summed up when rendered. */
  private final LongAdder[] buckets = new LongAdder[BUCKETS.length + 1];
  private final LongAdder latencyNanos = new LongAdder();
  private final LongAdder storeErrors = new LongAdder();
  private final LongAdder activeConnections = new LongAdder();
  private final LongAdder refusedConnections = new LongAdder();
  private final LongAdder operatorAuthFailures = new LongAdder();
  private final long startedNanos = System.nanoTime();

  public ServiceMetrics() {
    for (Failure f : Failure.values()) {
      rejected.put(f, new LongAdder());
    }
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new LongAdder();
    }
  }

  @Override
  public void connectionOpened() {
    activeConnections.increment();
  }

  @Override
  public void connectionClosed() {
    activeConnections.decrement();
  }

  @Override
  public void connectionRefused() {
    refusedConnections.increment();
  }

  @Override
  public void answered(Decision decision, long nanos) {
    switch (decision) {
      case Decision.Admitted a -> admitted.increment();
      case Decision.Rejected r -> rejected.get(r.failure()).increment();
    }
    long clamped = Math.max(0, nanos);
    latencyNanos.add(clamped);
    double seconds = clamped / 1e9;
    int bucket = 0;
    while (bucket < BUCKETS.length && seconds > BUCKETS[bucket]) {
      bucket++;
    }
    buckets[bucket].increment();
  }

  @Override
  public void recordingFailed() {
    storeErrors.increment();
  }

  /** A store failure outside certification (e.g. while the operator API read the store). */
  public void storeError() {
    storeErrors.increment();
  }

  /** An operator request refused for missing or wrong credentials. */
  public void operatorAuthFailure() {
    operatorAuthFailures.increment();
  }

  /** Seconds since these metrics (and so the service) started. */
  public long uptimeSeconds() {
    return (System.nanoTime() - startedNanos) / 1_000_000_000L;
  }

  /** Every metric, in the Prometheus text exposition format 0.0.4. */
  public String exposition() {
    StringBuilder out = new StringBuilder(4096);
    header(out, "certifier_certifications_total", "counter",
        "Certification requests answered, by outcome: admitted or the failure code.");
    sample(out, "certifier_certifications_total{outcome=\"admitted\"}", admitted.sum());
    for (Map.Entry<Failure, LongAdder> e : rejected.entrySet()) {
      sample(out, "certifier_certifications_total{outcome=\"" + e.getKey().code() + "\"}",
          e.getValue().sum());
    }
    header(out, "certifier_certification_duration_seconds", "histogram",
        "Time from a complete request to its recorded decision.");
    long cumulative = 0;
    for (int i = 0; i < buckets.length; i++) {
      cumulative += buckets[i].sum();
      String le = i < BUCKETS.length ? number(BUCKETS[i]) : "+Inf";
      sample(out, "certifier_certification_duration_seconds_bucket{le=\"" + le + "\"}",
          cumulative);
    }
    out.append("certifier_certification_duration_seconds_sum ")
        .append(number(latencyNanos.sum() / 1e9)).append('\n');
    sample(out, "certifier_certification_duration_seconds_count", cumulative);
    header(out, "certifier_store_errors_total", "counter",
        "Store operations that failed (a decision that could not be recorded, a failed read).");
    sample(out, "certifier_store_errors_total", storeErrors.sum());
    header(out, "certifier_active_connections", "gauge",
        "Workload connections being served now.");
    sample(out, "certifier_active_connections", activeConnections.sum());
    header(out, "certifier_refused_connections_total", "counter",
        "Workload connections turned away because every slot was busy.");
    sample(out, "certifier_refused_connections_total", refusedConnections.sum());
    header(out, "certifier_operator_auth_failures_total", "counter",
        "Operator API requests refused for missing or wrong credentials.");
    sample(out, "certifier_operator_auth_failures_total", operatorAuthFailures.sum());
    header(out, "certifier_uptime_seconds", "gauge", "Seconds since the service started.");
    sample(out, "certifier_uptime_seconds", uptimeSeconds());
    header(out, "certifier_build_info", "gauge", "The running build; the value is always 1.");
    sample(out, "certifier_build_info{version=\"" + label(BuildInfo.version()) + "\"}", 1);
    return out.toString();
  }

  private static void header(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void sample(StringBuilder out, String series, long value) {
    out.append(series).append(' ').append(value).append('\n');
  }

  private static String number(double value) {
    return String.format(Locale.ROOT, "%s", value);
  }

  /** A label value as the format requires: backslash, quote and newline escaped. */
  private static String label(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
