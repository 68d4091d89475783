package org.certifier.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The load generator works end to end against a real service process (a functional check with a
 * tiny load; performance itself is measured with `benchmarks/run`, never asserted in tests).
 */
class LoadGeneratorIT {
  @Test
  void drivesARealServiceAndReportsEveryFigure() throws Exception {
    LoadGenerator.Report r = LoadGenerator.run(Map.of(
        "cli-jar", System.getProperty("certifier.cli.jar"),
        "connections", "2", "requests", "40", "warmup", "10", "distinct", "8",
        "max-seconds", "60"));
    assertEquals(40, r.requests(), r.text());
    assertEquals(0, r.failures(), r.text());
    assertTrue(r.serviceCpuMsPerCert() > 0, r.text());
    assertTrue(r.cryptoFloorMs() > 0, r.text());
    assertTrue(r.generatorCpuMsPerCert() > 0, r.text());
    assertTrue(r.serviceCpuByThreads().containsKey("requests"), r.text());
    assertTrue(r.p50Ms() > 0 && r.p50Ms() <= r.p99Ms() && r.p99Ms() <= r.maxMs(), r.text());
  }
}
