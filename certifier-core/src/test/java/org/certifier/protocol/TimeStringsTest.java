package org.certifier.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimeStringsTest {

  @Test
  void emitsTheCppFormatWithSpacePaddedSeconds() {
    assertEquals("2026-11-22T05:14: 7.00000Z",
        TimeStrings.format(Instant.parse("2026-11-22T05:14:07Z")));
    assertEquals("2026-11-22T05:13:43.00000Z",
        TimeStrings.format(Instant.parse("2026-11-22T05:13:43.750Z")));
  }

  @Test
  void parsesBothReferenceFormats() throws MalformedMessageException {
    Instant expected = Instant.parse("2026-11-22T05:14:07Z");
    assertEquals(expected, TimeStrings.parse("2026-11-22T05:14: 7.00000Z"));
    assertEquals(expected, TimeStrings.parse("2026-11-22T05:14:07.00000Z"));
    assertEquals(expected, TimeStrings.parse("2026:11:22T05:14:7Z"));
    assertEquals(Instant.parse("2025-05-28T23:29:16.25Z"),
        TimeStrings.parse("2025:05:28T23:29:16.25Z"));
  }

  @Test
  void readsTheStringsOfTheReferenceCapture() throws MalformedMessageException {
    assertEquals(Instant.parse("2027-12-01T05:13:43Z"),
        TimeStrings.parse("2027-12-01T05:13:43.00000Z"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2027-02-30T27:75:01.00000Z", "2027-13-01T00:00:00.00000Z",
      "2027-02-29T00:00:00.00000Z", "2026-11-22T24:00:00.00000Z", "2026-11-22T05:60:00.00000Z",
      "2026-11-22T05:14:60.00000Z", "2026:02:30T01:01:1Z", "", "2026-11-22", "garbage",
      "2026-11-22T05:14:07.00000", "2026-11-22T05:14:07.0000000000Z", "-001-01-01T00:00:00.0Z"})
  void rejectsMalformedAndImpossibleDates(String text) {
    assertThrows(MalformedMessageException.class, () -> TimeStrings.parse(text));
  }

  @Test
  void rejectsMissingStrings() {
    assertThrows(MalformedMessageException.class, () -> TimeStrings.parse(null));
  }

  @Property(tries = 500)
  void formatThenParseIsIdentityOnWholeSeconds(
      @ForAll @LongRange(min = -62135596800L, max = 253402300799L) long epochSecond)
      throws MalformedMessageException {
    Instant t = Instant.ofEpochSecond(epochSecond);
    assertEquals(t, TimeStrings.parse(TimeStrings.format(t)));
  }

  @Property(tries = 200)
  void orderingOfStringsFollowsTime(
      @ForAll @LongRange(min = 0, max = 4102444800L) long a,
      @ForAll @LongRange(min = 0, max = 4102444800L) long b) throws MalformedMessageException {
    Instant ta = Instant.ofEpochSecond(a).truncatedTo(ChronoUnit.SECONDS);
    Instant tb = Instant.ofEpochSecond(b);
    assertEquals(Integer.signum(ta.compareTo(tb)), Integer.signum(
        TimeStrings.parse(TimeStrings.format(ta)).compareTo(
            TimeStrings.parse(TimeStrings.format(tb)))));
  }
}
