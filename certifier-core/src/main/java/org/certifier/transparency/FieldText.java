package org.certifier.transparency;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The text form of tree heads and proofs: a header line naming the format and version, then one
 * {@code name value} line per field in a fixed order, each line ending in {@code \n}. Readable
 * with any pager, and parsed strictly: fields in order, each exactly once unless repeatable,
 * lowercase hex, decimal numbers without sign or leading zeros, nothing else. One spelling per
 * value means a file that parses is the file that was written.
 */
public final class FieldText {
  private static final HexFormat HEX = HexFormat.of();

  private FieldText() {}

  /** Builds a file: the header, then fields in the order they are put. */
  public static final class Writer {
    private final StringBuilder text = new StringBuilder();

    public Writer(String header) {
      text.append(requireLine(header)).append('\n');
    }

    public Writer put(String name, String value) {
      text.append(requireLine(name)).append(' ').append(requireLine(value)).append('\n');
      return this;
    }

    public Writer put(String name, long value) {
      return put(name, Long.toString(value));
    }

    public Writer put(String name, byte[] value) {
      return put(name, HEX.formatHex(value));
    }

    @Override
    public String toString() {
      return text.toString();
    }

    private static String requireLine(String s) {
      if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
        throw new IllegalArgumentException("a field cannot span lines");
      }
      return s;
    }
  }

  /** Reads a file's fields in order; every mistake is {@link LogFailure#MALFORMED}. */
  public static final class Reader {
    private final String what;
    private final String[] lines;
    private int next = 1;

    /** @param what names the input in messages, e.g. "tree head file head.txt" */
    public Reader(String text, String header, String what) throws LogVerificationException {
      this.what = what;
      if (text.isEmpty() || text.charAt(text.length() - 1) != '\n') {
        throw malformed("does not end with a line break");
      }
      this.lines = text.substring(0, text.length() - 1).split("\n", -1);
      if (!lines[0].equals(header)) {
        throw malformed("does not start with \"" + header + "\"");
      }
    }

    /** The value of the next line, which must be the field {@code name}. */
    public String value(String name) throws LogVerificationException {
      if (next >= lines.length) {
        throw malformed("ends before its field " + name);
      }
      String line = lines[next];
      if (!line.startsWith(name + " ")) {
        throw malformed("line " + (next + 1) + ": expected the field " + name);
      }
      next++;
      return line.substring(name.length() + 1);
    }

    /** The values of the field {@code name} on the lines from here on, maybe none. */
    public List<String> values(String name) {
      List<String> values = new ArrayList<>();
      while (next < lines.length && lines[next].startsWith(name + " ")) {
        values.add(lines[next++].substring(name.length() + 1));
      }
      return values;
    }

    /** A count or size: a decimal number from 0 to 2^63 - 1, written without a sign. */
    public long number(String name) throws LogVerificationException {
      return number(name, value(name));
    }

    public long number(String name, String value) throws LogVerificationException {
      return FieldText.number(what + ": " + name, value);
    }

    /** A hash of the tree: 64 lowercase hex digits. */
    public byte[] hash(String name) throws LogVerificationException {
      return hash(name, value(name));
    }

    public byte[] hash(String name, String value) throws LogVerificationException {
      return FieldText.hash(what + ": " + name, value);
    }

    /** Bytes as lowercase hex, an even number of digits, maybe none. */
    public byte[] hex(String name) throws LogVerificationException {
      return FieldText.hex(what + ": " + name, value(name));
    }

    /** Refuses anything after the last field. */
    public void end() throws LogVerificationException {
      if (next != lines.length) {
        throw malformed("line " + (next + 1) + " is not a field of this format");
      }
    }

    public LogVerificationException malformed(String detail) {
      return new LogVerificationException(LogFailure.MALFORMED, what + ": " + detail);
    }
  }

  /** A decimal number from 0 to 2^63 - 1 without sign or leading zeros; {@code what} names it. */
  public static long number(String what, String value) throws LogVerificationException {
    if (value.isEmpty() || value.length() > 19
        || !value.chars().allMatch(c -> c >= '0' && c <= '9')
        || (value.length() > 1 && value.charAt(0) == '0')) {
      throw malformed(what + " is not a number: " + quote(value));
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw malformed(what + " is out of range: " + quote(value));
    }
  }

  /** A hash of the tree: 64 lowercase hex digits. */
  public static byte[] hash(String what, String value) throws LogVerificationException {
    if (value.length() != 2 * MerkleHash.SIZE) {
      throw malformed(what + " is not a SHA-256 hash (64 hex digits)");
    }
    return hex(what, value);
  }

  /** Bytes as lowercase hex: an even number of digits, maybe none. */
  public static byte[] hex(String what, String value) throws LogVerificationException {
    if (value.length() % 2 != 0 || !value.chars().allMatch(FieldText::isLowerHex)) {
      throw malformed(what + " is not lowercase hex");
    }
    return HEX.parseHex(value);
  }

  private static LogVerificationException malformed(String detail) {
    return new LogVerificationException(LogFailure.MALFORMED, detail);
  }

  private static String quote(String value) {
    String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
    return "\"" + shown.replaceAll("\\p{Cntrl}", "?") + "\"";
  }

  private static boolean isLowerHex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  }
}
