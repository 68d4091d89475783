package org.certifier.cli;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Option values and input files as the commands read them, with errors that name the option. */
public final class Inputs {
  private static final Pattern HEX_TEXT = Pattern.compile("(?:[0-9a-fA-F]{2})+");

  private Inputs() {}

  /** {@code --at}-style times, e.g. {@code 2026-01-01T00:00:00Z}; null means now. */
  public static Instant instant(String option, String value) throws InputException {
    if (value == null) {
      return Instant.now();
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new InputException(option + ": not an instant like 2026-01-01T00:00:00Z: " + value);
    }
  }

  /** A hex option value. */
  public static byte[] hex(String option, String value) throws InputException {
    try {
      return HexFormat.of().parseHex(value);
    } catch (IllegalArgumentException e) {
      throw new InputException(option + ": not hex: " + value);
    }
  }

  /**
   * Binary evidence (a report, a quote) as raw bytes, or decoded when the file is its hex text,
   * as vendors and tools often ship it. Raw reports and quotes start with a small binary
   * version number, so they are never mistaken for hex text.
   */
  public static byte[] rawOrHex(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.US_ASCII).replaceAll("\\s+", "");
    if (HEX_TEXT.matcher(text).matches()) {
      return HexFormat.of().parseHex(text);
    }
    return bytes;
  }
}
