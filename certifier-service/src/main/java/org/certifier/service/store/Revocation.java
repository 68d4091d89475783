package org.certifier.service.store;

import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * An operator's revocation of one admission certificate (by serial) or of every certificate for
 * a measured program (by measurement, lowercase hex). Times are kept to the millisecond, as the
 * store keeps them.
 */
public record Revocation(Optional<BigInteger> serial, Optional<String> measurement,
    String reason, Instant revokedAt) {
  static final int MAX_REASON = 1024;

  public Revocation {
    if (serial.isPresent() == measurement.isPresent()) {
      throw new IllegalArgumentException("a revocation names a serial or a measurement");
    }
    serial.ifPresent(s -> Hex.requireSerial(s));
    measurement.ifPresent(m -> Hex.require(m, "measurement"));
    Objects.requireNonNull(reason, "reason");
    if (reason.isBlank() || reason.length() > MAX_REASON) {
      throw new IllegalArgumentException("a revocation reason has 1 to " + MAX_REASON
          + " characters");
    }
    revokedAt = revokedAt.truncatedTo(ChronoUnit.MILLIS);
  }

  public static Revocation ofSerial(BigInteger serial, String reason, Instant revokedAt) {
    return new Revocation(Optional.of(serial), Optional.empty(), reason, revokedAt);
  }

  public static Revocation ofMeasurement(String measurementHex, String reason,
      Instant revokedAt) {
    return new Revocation(Optional.empty(), Optional.of(measurementHex), reason, revokedAt);
  }
}
