package org.certifier.verifiers.dcap.collateral;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;

/**
 * A strict RFC 8259 reader for Intel's collateral documents. The JDK has no JSON parser and the
 * only one in the build (snakeyaml-engine) belongs to the CLI, so this small one reads exactly
 * what the collateral needs: objects remember where their text starts and ends, because Intel
 * signs the exact text of the inner {@code tcbInfo}/{@code enclaveIdentity} object. Duplicate
 * member names are refused (two readers could otherwise see two different documents under one
 * signature), as are lone surrogates, control characters, trailing text and nesting deeper than
 * {@link #MAX_DEPTH}.
 */
final class Json {
  /** Far above the depth of any Intel document (about 6), far below a stack overflow. */
  static final int MAX_DEPTH = 32;

  /** A parsed value. */
  sealed interface Value permits Obj, Arr, Str, Num, Bool, Null {}

  /**
   * An object with its members in document order; {@code start} and {@code end} delimit its
   * text (from the opening brace to just after the closing one) in the parsed string.
   */
  record Obj(Map<String, Value> members, int start, int end) implements Value {}

  record Arr(List<Value> elements) implements Value {}

  record Str(String value) implements Value {}

  /** A number exactly as written; callers decide which forms they accept. */
  record Num(String text) implements Value {}

  record Bool(boolean value) implements Value {}

  record Null() implements Value {}

  private final String text;
  private int pos;

  private Json(String text) {
    this.text = text;
  }

  /** Parses a whole document: one value, optionally surrounded by whitespace. */
  static Value parse(String text) throws VerificationException {
    Json json = new Json(text);
    json.skipWhitespace();
    Value value = json.value(0);
    json.skipWhitespace();
    if (json.pos != text.length()) {
      throw json.error("text after the JSON value");
    }
    return value;
  }

  private Value value(int depth) throws VerificationException {
    if (depth >= MAX_DEPTH) {
      throw error("nested deeper than " + MAX_DEPTH);
    }
    if (pos >= text.length()) {
      throw error("unexpected end of text");
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

  private Obj object(int depth) throws VerificationException {
    int start = pos;
    pos++; // '{'
    Map<String, Value> members = new LinkedHashMap<>();
    skipWhitespace();
    if (peek('}')) {
      pos++;
      return new Obj(Collections.unmodifiableMap(members), start, pos);
    }
    while (true) {
      skipWhitespace();
      if (!peek('"')) {
        throw error("expected a member name");
      }
      String name = string();
      skipWhitespace();
      expect(':');
      skipWhitespace();
      Value value = value(depth + 1);
      if (members.putIfAbsent(name, value) != null) {
        throw error("duplicate member \"" + name + "\"");
      }
      skipWhitespace();
      if (peek(',')) {
        pos++;
        continue;
      }
      expect('}');
      return new Obj(Collections.unmodifiableMap(members), start, pos);
    }
  }

  private Arr array(int depth) throws VerificationException {
    pos++; // '['
    List<Value> elements = new ArrayList<>();
    skipWhitespace();
    if (peek(']')) {
      pos++;
      return new Arr(List.copyOf(elements));
    }
    while (true) {
      skipWhitespace();
      elements.add(value(depth + 1));
      skipWhitespace();
      if (peek(',')) {
        pos++;
        continue;
      }
      expect(']');
      return new Arr(List.copyOf(elements));
    }
  }

  private String string() throws VerificationException {
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
        throw error("control character in a string");
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
        default -> throw error("unknown escape \\" + e);
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

  private char hex4() throws VerificationException {
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
  private Num number() throws VerificationException {
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
        throw error("malformed fraction");
      }
    }
    if (peek('e') || peek('E')) {
      pos++;
      if (peek('+') || peek('-')) {
        pos++;
      }
      if (!digits()) {
        throw error("malformed exponent");
      }
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

  private Value literal(String word, Value value) throws VerificationException {
    if (!text.startsWith(word, pos)) {
      throw error("unexpected character");
    }
    pos += word.length();
    return value;
  }

  private void skipWhitespace() {
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

  private void expect(char c) throws VerificationException {
    if (!peek(c)) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private VerificationException error(String what) {
    return new VerificationException(Failure.MALFORMED_EVIDENCE,
        "malformed JSON at offset " + pos + ": " + what);
  }
}
