/**
 * Jazzer fuzz targets for every parser of untrusted bytes (DESIGN.md §6), run by
 * {@code fuzz/run} outside the default build. Each target catches only the exceptions its code
 * under test documents for bad input; anything else (a runtime exception, an internal-error
 * decision, a hang) is a finding. Each target names its seed files under the test-vector root in
 * a {@code SEEDS} field; {@link org.certifier.fuzz.Seeds} copies them into the corpus.
 */
package org.certifier.fuzz;
