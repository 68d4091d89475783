package org.certifier.service.operator;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.certifier.json.JsonReader;
import org.certifier.json.JsonReader.MalformedJsonException;

/**
 * The operator API's JSON (RFC 8259), both ways. Parsing is the strict {@link JsonReader}'s,
 * since request bodies come from the network: one value and nothing after it, no duplicate
 * member names, no comments, trailing commas, leading zeros, unescaped control characters or
 * lone surrogates, and a bounded nesting depth. Values are {@code Map<String, Object>} (member
 * order kept), {@code List<Object>}, {@code String}, {@code BigDecimal}, {@code Boolean} and
 * {@link #NULL}.
 */
public final class Json {
  /** JSON's {@code null}, as a value that can sit in maps and lists. */
  public static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  private Json() {}

  /**
   * The one JSON value in {@code text}, read by the strict {@link JsonReader} and given as the
   * types above.
   */
  public static Object parse(String text) throws MalformedJsonException {
    return plain(JsonReader.parse(text));
  }

  /** The JSON text of {@code value} (the types above; any Number, and null for NULL). */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value);
    return out.toString();
  }

  private static Object plain(JsonReader.Value value) {
    return switch (value) {
      case JsonReader.Obj o -> {
        Map<String, Object> members = new LinkedHashMap<>();
        o.members().forEach((name, member) -> members.put(name, plain(member)));
        yield Collections.unmodifiableMap(members);
      }
      case JsonReader.Arr a -> a.elements().stream().map(Json::plain).toList();
      case JsonReader.Str s -> s.value();
      case JsonReader.Num n -> new BigDecimal(n.text());
      case JsonReader.Bool b -> b.value();
      case JsonReader.Null n -> NULL;
    };
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
