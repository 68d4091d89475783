package org.certifier.service;

/**
 * How much the service's log says about a refusal (DESIGN.md §6). The log leaves the service's
 * trust boundary (the host collects it), so in production it carries only the fixed failure
 * code; the explanation (which statement could not be proved) is for development. The audit
 * log records codes in both profiles.
 */
public enum LogProfile {
  /** Refusals are logged with their explanation, e.g. the measurement nobody trusts. */
  DEVELOPMENT,
  /** Refusals are logged with their failure code only. */
  PRODUCTION;

  /**
   * The logger of the one line per admission (refusals go to {@code org.certifier.service}).
   * Admissions have a logger of their own so that a busy service can leave them out of its log
   * ({@code certifier service} does unless {@code --log-admissions}): formatting and writing a
   * line per certification cost about a tenth of the service's throughput
   * (docs/benchmarks.md), and every admission is in the audit log anyway.
   */
  public static final String ADMISSIONS_LOGGER = "org.certifier.service.admissions";
}
