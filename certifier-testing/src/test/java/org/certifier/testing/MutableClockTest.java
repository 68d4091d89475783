package org.certifier.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MutableClockTest {
  private static final Instant START = Instant.parse("2025-01-02T03:04:05Z");

  @Test
  void standsStillUntilAdvanced() {
    MutableClock clock = new MutableClock(START);
    assertEquals(START, clock.instant());
    assertEquals(START.toEpochMilli(), clock.millis());
    clock.advance(Duration.ofHours(25));
    assertEquals(START.plus(Duration.ofHours(25)), clock.instant());
    clock.advance(Duration.ofSeconds(-1));
    assertEquals(START.plus(Duration.ofHours(25)).minusSeconds(1), clock.instant());
  }

  @Test
  void isUtcOnly() {
    MutableClock clock = new MutableClock(START);
    assertEquals(ZoneOffset.UTC, clock.getZone());
    assertThrows(UnsupportedOperationException.class,
        () -> clock.withZone(ZoneId.of("Europe/Paris")));
  }
}
