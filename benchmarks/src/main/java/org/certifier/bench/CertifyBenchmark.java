package org.certifier.bench;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.certifier.crypto.CryptoProviders;
import org.certifier.proto.trust_request_message;
import org.certifier.service.certify.Certifier;
import org.certifier.service.certify.Decision;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One whole certification in-process (verify evidence, select policy, prove, check, issue), no
 * network; {@code policyMeasurements} shows whether the policy's size matters.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CertifyBenchmark {
  @Param({"1", "10000"})
  int policyMeasurements;

  /** The JCA provider: the native one where it loads (the default), or the JDK's. */
  @Param({"auto", "jdk"})
  String crypto;

  private BenchDomain domain;
  private Certifier certifier;
  private List<trust_request_message> requests;
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    System.setProperty("certifier.crypto", crypto);
    CryptoProviders.install();
    domain = BenchDomain.create(policyMeasurements - 1);
    AtomicLong serial = new AtomicLong(1000);
    certifier = domain.certifier(() -> BigInteger.valueOf(serial.incrementAndGet()));
    requests = domain.requests(256, 16);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    domain.close();
  }

  @Benchmark
  public Decision certify() {
    Decision d = certifier.certify(requests.get(next++ & 255), Optional.empty());
    if (!(d instanceof Decision.Admitted)) {
      throw new IllegalStateException("benchmark request refused: " + d);
    }
    return d;
  }
}
