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
  PRODUCTION
}
