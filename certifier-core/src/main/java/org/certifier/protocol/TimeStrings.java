package org.certifier.protocol;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reference's two textual time formats (reference-certifier.md §1.6). We emit the C++ form
 * {@code 2026-11-22T05:14: 7.00000Z} (seconds width 8, five decimals, space padded) and parse
 * both it and the Go form {@code 2026:11:22T05:14:7Z}. Unlike the reference, parsing reads every
 * field (Go reads only the year of a C++ string) and rejects impossible dates such as
 * February 30 instead of comparing them field by field. Both are read as UTC; the Go service
 * writes local time under a "Z", which only a UTC-configured Go host gets right.
 */
public final class TimeStrings {
  // C++ printf("%04d-%02d-%02dT%02d:%02d:%8.5lfZ"): seconds may carry leading spaces.
  private static final Pattern CPP = Pattern.compile(
      "(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}): *(\\d{1,2}(?:\\.\\d{1,9})?)Z");
  // Go "%04d:%02d:%02dT%02d:%02d:%vZ": %v prints a float64 without padding, e.g. 7 or 7.25.
  private static final Pattern GO = Pattern.compile(
      "(\\d{4}):(\\d{1,2}):(\\d{1,2})T(\\d{1,2}):(\\d{1,2}):(\\d{1,2}(?:\\.\\d{1,9})?)Z");

  private TimeStrings() {}

  /** The C++ form of an instant, truncated to whole seconds as the reference writes it. */
  public static String format(Instant instant) {
    LocalDateTime t = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    if (t.getYear() < 1 || t.getYear() > 9999) {
      throw new DateTimeException("year " + t.getYear() + " does not fit a time string");
    }
    return String.format(Locale.ROOT, "%04d-%02d-%02dT%02d:%02d:%8.5fZ", t.getYear(),
        t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute(),
        (double) t.getSecond());
  }

  /** Parses either format; anything else, or an impossible date, is malformed. */
  public static Instant parse(String text) throws MalformedMessageException {
    if (text == null) {
      throw new MalformedMessageException("time string missing");
    }
    Matcher m = CPP.matcher(text);
    if (!m.matches()) {
      m = GO.matcher(text);
      if (!m.matches()) {
        throw new MalformedMessageException("not a time string: \"" + abbreviate(text) + "\"");
      }
    }
    int year = Integer.parseInt(m.group(1));
    int month = Integer.parseInt(m.group(2));
    int day = Integer.parseInt(m.group(3));
    int hour = Integer.parseInt(m.group(4));
    int minute = Integer.parseInt(m.group(5));
    String[] sec = m.group(6).split("\\.");
    int second = Integer.parseInt(sec[0]);
    int nanos = sec.length > 1 ? Integer.parseInt((sec[1] + "00000000").substring(0, 9)) : 0;
    try {
      return LocalDateTime.of(year, month, day, hour, minute, second, nanos)
          .toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      throw new MalformedMessageException("impossible date in \"" + text + "\": "
          + e.getMessage(), e);
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
