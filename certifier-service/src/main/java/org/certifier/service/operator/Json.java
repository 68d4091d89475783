package org.certifier.service.operator;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator API's JSON (RFC 8259), both ways, small enough to read in one sitting. Parsing is
 * strict, since request bodies come from the network: one value and nothing after it, no
 * duplicate member names, no comments, trailing commas, leading zeros, unescaped control
 * characters or lone surrogates, and a bounded nesting depth. Values are {@code Map<String,
 * Object>} (member order kept), {@code List<Object>}, {@code String}, {@code BigDecimal},
 * {@code Boolean} and {@link #NULL}.
 */
public final class Json {
  /** JSON's {@code null}, as a value that can sit in maps and lists. */
  public static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };
  private static final int MAX_DEPTH = 32;

  /** Input that is not strict JSON; the message says where and why. */
  public static final class JsonException extends Exception {
    private static final long serialVersionUID = 1L;

    JsonException(String message) {
      super(message);
    }
  }

  private final String text;
  private int pos;

  private Json(String text) {
    this.text = text;
  }

  /** The one JSON value in {@code text}. */
  public static Object parse(String text) throws JsonException {
    Json parser = new Json(text);
    parser.whitespace();
    Object value = parser.value(0);
    parser.whitespace();
    if (parser.pos != text.length()) {
      throw parser.error("unexpected content after the JSON value");
    }
    return value;
  }

  /** The JSON text of {@code value} (the types above; any Number, and null for NULL). */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value);
    return out.toString();
  }

  private Object value(int depth) throws JsonException {
    if (depth > MAX_DEPTH) {
      throw error("nested deeper than " + MAX_DEPTH);
    }
    if (pos >= text.length()) {
      throw error("unexpected end of input");
    }
    char c = text.charAt(pos);
    return switch (c) {
      case '{' -> object(depth);
      case '[' -> array(depth);
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", NULL);
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          yield number();
        }
        throw error("unexpected character");
      }
    };
  }

  private Map<String, Object> object(int depth) throws JsonException {
    pos++;
    Map<String, Object> members = new LinkedHashMap<>();
    whitespace();
    if (peek('}')) {
      pos++;
      return Collections.unmodifiableMap(members);
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
      Object value = value(depth + 1);
      if (members.put(name, value) != null) {
        throw error("duplicate member \"" + printable(name) + "\"");
      }
      whitespace();
      if (peek(',')) {
        pos++;
        continue;
      }
      expect('}');
      return Collections.unmodifiableMap(members);
    }
  }

  private List<Object> array(int depth) throws JsonException {
    pos++;
    List<Object> items = new ArrayList<>();
    whitespace();
    if (peek(']')) {
      pos++;
      return Collections.unmodifiableList(items);
    }
    while (true) {
      whitespace();
      items.add(value(depth + 1));
      whitespace();
      if (peek(',')) {
        pos++;
        continue;
      }
      expect(']');
      return Collections.unmodifiableList(items);
    }
  }

  private String string() throws JsonException {
    pos++;
    StringBuilder sb = new StringBuilder();
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
        sb.append(c);
        continue;
      }
      if (pos >= text.length()) {
        throw error("unterminated escape");
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> sb.append(unicodeEscape());
        default -> throw error("unknown escape \\" + printable(String.valueOf(e)));
      }
    }
    String s = sb.toString();
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

  private char unicodeEscape() throws JsonException {
    if (pos + 4 > text.length()) {
      throw error("truncated \\u escape");
    }
    int value = 0;
    for (int i = 0; i < 4; i++) {
      int digit = Character.digit(text.charAt(pos++), 16);
      if (digit < 0) {
        throw error("bad \\u escape");
      }
      value = value * 16 + digit;
    }
    return (char) value;
  }

  private BigDecimal number() throws JsonException {
    int start = pos;
    if (peek('-')) {
      pos++;
    }
    if (peek('0')) {
      pos++;
    } else if (!digits()) {
      throw error("bad number");
    }
    if (peek('.')) {
      pos++;
      if (!digits()) {
        throw error("bad number: no digits after the decimal point");
      }
    }
    if (peek('e') || peek('E')) {
      pos++;
      if (peek('+') || peek('-')) {
        pos++;
      }
      if (!digits()) {
        throw error("bad number: no exponent digits");
      }
    }
    if (pos - start > 64) {
      throw error("number longer than 64 characters");
    }
    return new BigDecimal(text.substring(start, pos));
  }

  private boolean digits() {
    int start = pos;
    while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
      pos++;
    }
    return pos > start;
  }

  private Object literal(String word, Object value) throws JsonException {
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

  private void expect(char c) throws JsonException {
    if (!peek(c)) {
      throw error(pos >= text.length() ? "unexpected end of input" : "expected '" + c + "'");
    }
    pos++;
  }

  private JsonException error(String what) {
    return new JsonException("malformed JSON at character " + pos + ": " + what);
  }

  /** A name from the request, safe to put in an error message. */
  private static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    s.codePoints().limit(64).forEach(cp -> sb.append(cp < 0x20 || cp == 0x7f ? "?"
        : Character.toString(cp)));
    return sb.toString();
  }

  private static void write(StringBuilder out, Object value) {
    switch (value) {
      case null -> out.append("null");
      case String s -> string(out, s);
      case Boolean b -> out.append(b);
      case BigDecimal d -> out.append(d.toString());
      case BigInteger i -> out.append(i);
      case Long l -> out.append(l);
      case Integer i -> out.append(i);
      case Map<?, ?> m -> {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          if (!first) {
            out.append(',');
          }
          first = false;
          string(out, (String) e.getKey());
          out.append(':');
          write(out, e.getValue());
        }
        out.append('}');
      }
      case List<?> l -> {
        out.append('[');
        for (int i = 0; i < l.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          write(out, l.get(i));
        }
        out.append(']');
      }
      default -> {
        if (value == NULL) {
          out.append("null");
        } else {
          throw new IllegalArgumentException("no JSON for " + value.getClass().getName());
        }
      }
    }
  }

  private static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          // Control characters, and the line separators JavaScript once choked on, escaped.
          if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
