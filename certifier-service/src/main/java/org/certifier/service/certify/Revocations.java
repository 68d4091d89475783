package org.certifier.service.certify;

import java.io.IOException;
import java.util.Optional;

/** Where the certifier learns that an operator revoked a measured program. */
@FunctionalInterface
public interface Revocations {
  /** The revocation reason if the program with this measurement (lowercase hex) is revoked. */
  Optional<String> measurementRevocation(String measurementHex) throws IOException;

  /** No program is ever revoked: for tests and benchmarks without a store. */
  static Revocations none() {
    return measurementHex -> Optional.empty();
  }
}
