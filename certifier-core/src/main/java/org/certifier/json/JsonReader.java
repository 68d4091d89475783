package org.certifier.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 reader. The JDK has no JSON parser, and what we read comes from the network
 * or from a vendor's signed documents, so this small one refuses everything that is not exactly
 * one JSON value: text after the value, duplicate member names (two readers could otherwise see
 * two different documents under one signature), comments, trailing commas, leading zeros,
 * unescaped control characters, lone surrogates, numbers longer than {@link #MAX_NUMBER_LENGTH}
 * characters and nesting deeper than {@link #MAX_DEPTH}.
 *
 * <p>Objects remember where their text starts and ends, because Intel signs the exact text of
 * the inner {@code tcbInfo}/{@code enclaveIdentity} object; numbers are kept exactly as written,
 * so each caller decides which forms it accepts.
 */
public final class JsonReader {
  /** Far above the depth of any document we read (about 6), far below a stack overflow. */
  public static final int MAX_DEPTH = 32;
  /** Longer numbers are refused before anyone turns them into a BigDecimal. */
  public static final int MAX_NUMBER_LENGTH = 64;

  /** A parsed value. */
  public sealed interface Value permits Obj, Arr, Str, Num, Bool, Null {}

  /**
   * An object with its members in document order; {@code start} and {@code end} delimit its
   * text (from the opening brace to just after the closing one) in the parsed string.
   */
  public record Obj(Map<String, Value> members, int start, int end) implements Value {}

  /** An array, its elements in document order. */
  public record Arr(List<Value> elements) implements Value {}

  /** A string, its escapes resolved. */
  public record Str(String value) implements Value {}

  /** A number exactly as written; callers decide which forms they accept. */
  public record Num(String text) implements Value {}

  /** {@code true} or {@code false}. */
  public record Bool(boolean value) implements Value {}

  /** {@code null}. */
  public record Null() implements Value {}

  /** Input that is not strict JSON; the message says where and why. */
  public static final class MalformedJsonException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedJsonException(String message) {
      super(message);
    }
  }

  private final String text;
  private int pos;

  private JsonReader(String text) {
    this.text = text;
  }

  /** Parses a whole document: one value, optionally surrounded by whitespace. */
  public static Value parse(String text) throws MalformedJsonException {
    JsonReader reader = new JsonReader(text);
    reader.whitespace();
    Value value = reader.value(0);
    reader.whitespace();
    if (reader.pos != text.length()) {
      throw reader.error("text after the JSON value");
    }
    return value;
  }

  private Value value(int depth) throws MalformedJsonException {
    if (depth >= MAX_DEPTH) {
      throw error("nested deeper than " + MAX_DEPTH);
    }
    if (pos >= text.length()) {
      throw error("unexpected end of input");
    }
    char c = text.charAt(pos);
    return switch (c) {
      case '{' -> object(depth);
      case '[' -> array(depth);
      case '"' -> new Str(string());
      case 't' -> literal("true", new Bool(true));
      case 'f' -> literal("false", new Bool(false));
      case 'n' -> literal("null", new Null());
      default -> {
        if (c == '-' || c >= '0' && c <= '9') {
          yield number();
        }
        throw error("unexpected character");
      }
    };
  }

  private Obj object(int depth) throws MalformedJsonException {
    int start = pos;
    pos++; // '{'
    Map<String, Value> members = new LinkedHashMap<>();
    whitespace();
    if (peek('}')) {
      pos++;
      return new Obj(Collections.unmodifiableMap(members), start, pos);
    }
    while (true) {
      whitespace();
      if (!peek('"')) {
        throw error("expected a member name");
      }
      String name = string();
      whitespace();
      expect(':');
      whitespace();
      Value value = value(depth + 1);
      if (members.putIfAbsent(name, value) != null) {
        throw error("duplicate member \"" + printable(name) + "\"");
      }
      whitespace();
      if (peek(',')) {
        pos++;
        continue;
      }
      expect('}');
      return new Obj(Collections.unmodifiableMap(members), start, pos);
    }
  }

  private Arr array(int depth) throws MalformedJsonException {
    pos++; // '['
    List<Value> elements = new ArrayList<>();
    whitespace();
    if (peek(']')) {
      pos++;
      return new Arr(List.copyOf(elements));
    }
    while (true) {
      whitespace();
      elements.add(value(depth + 1));
      whitespace();
      if (peek(',')) {
        pos++;
        continue;
      }
      expect(']');
      return new Arr(List.copyOf(elements));
    }
  }

  private String string() throws MalformedJsonException {
    pos++; // '"'
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        break;
      }
      if (c < 0x20) {
        throw error("unescaped control character in a string");
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (pos >= text.length()) {
        throw error("unterminated escape");
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> out.append(hex4());
        default -> throw error("unknown escape \\" + printable(String.valueOf(e)));
      }
    }
    String s = out.toString();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw error("lone surrogate in a string");
      }
    }
    return s;
  }

  private char hex4() throws MalformedJsonException {
    if (pos + 4 > text.length()) {
      throw error("truncated \\u escape");
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int d = Character.digit(text.charAt(pos++), 16);
      if (d < 0) {
        throw error("bad \\u escape");
      }
      v = v << 4 | d;
    }
    return (char) v;
  }

  // RFC 8259 §6: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  private Num number() throws MalformedJsonException {
    int start = pos;
    if (peek('-')) {
      pos++;
    }
    if (peek('0')) {
      pos++;
    } else if (!digits()) {
      throw error("malformed number");
    }
    if (peek('.')) {
      pos++;
      if (!digits()) {
        throw error("malformed number: no digits after the decimal point");
      }
    }
    if (peek('e') || peek('E')) {
      pos++;
      if (peek('+') || peek('-')) {
        pos++;
      }
      if (!digits()) {
        throw error("malformed number: no exponent digits");
      }
    }
    if (pos - start > MAX_NUMBER_LENGTH) {
      throw error("number longer than " + MAX_NUMBER_LENGTH + " characters");
    }
    return new Num(text.substring(start, pos));
  }

  private boolean digits() {
    int start = pos;
    while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
      pos++;
    }
    return pos > start;
  }

  private Value literal(String word, Value value) throws MalformedJsonException {
    if (!text.startsWith(word, pos)) {
      throw error("unexpected character");
    }
    pos += word.length();
    return value;
  }

  private void whitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private boolean peek(char c) {
    return pos < text.length() && text.charAt(pos) == c;
  }

  private void expect(char c) throws MalformedJsonException {
    if (!peek(c)) {
      throw error(pos >= text.length() ? "unexpected end of input" : "expected '" + c + "'");
    }
    pos++;
  }

  private MalformedJsonException error(String what) {
    return new MalformedJsonException("malformed JSON at offset " + pos + ": " + what);
  }

  /** A name from the input, safe to put in an error message. */
  private static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    s.codePoints().limit(64).forEach(cp -> sb.append(cp < 0x20 || cp == 0x7f ? "?"
        : Character.toString(cp)));
    return sb.toString();
  }
}
