package org.certifier.cli.output;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a command found out about a file, as an ordered tree of named values (text, numbers,
 * yes/no, nested facts, lists), rendered either as indented "name: value" lines for people or
 * as JSON for scripts (DESIGN.md §4: one model, {@code --format text|json}). Values come from
 * untrusted files, so the renderers neutralise control characters: a certificate's CN cannot
 * forge output lines.
 */
public final class Facts {
  private final Map<String, Object> entries = new LinkedHashMap<>();

  /** Sets {@code name} to a String, Number, Boolean, Facts or List of those. */
  public Facts put(String name, Object value) {
    entries.put(name, value);
    return this;
  }

  /** A new nested group under {@code name}. */
  public Facts child(String name) {
    Facts child = new Facts();
    entries.put(name, child);
    return child;
  }

  /** A new list under {@code name}, to add Facts or scalars to. */
  public List<Object> list(String name) {
    List<Object> list = new ArrayList<>();
    entries.put(name, list);
    return list;
  }

  /** The value of {@code name}, or null. */
  public Object get(String name) {
    return entries.get(name);
  }

  /** Every entry of {@code other}, in order, added to this. */
  public Facts putAll(Facts other) {
    entries.putAll(other.entries);
    return this;
  }

  /** Indented lines, two spaces per level, list items with "- ", ending with a newline. */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    text(sb, "");
    return sb.toString();
  }

  /** A JSON object, pretty-printed, ending with a newline. */
  public String toJson() {
    StringBuilder sb = new StringBuilder();
    json(sb, this, "");
    return sb.append('\n').toString();
  }

  private void text(StringBuilder sb, String indent) {
    for (Map.Entry<String, Object> e : entries.entrySet()) {
      sb.append(indent).append(clean(e.getKey())).append(':');
      textValue(sb, e.getValue(), indent);
    }
  }

  private static void textValue(StringBuilder sb, Object value, String indent) {
    if (value instanceof Facts f) {
      sb.append('\n');
      f.text(sb, indent + "  ");
    } else if (value instanceof List<?> list) {
      sb.append(list.isEmpty() ? " (none)\n" : "\n");
      for (Object item : list) {
        if (item instanceof Facts f) {
          // The first entry shares the "- " line, the rest align under it, as in YAML.
          String nested = f.toText().indent(indent.length() + 4);
          sb.append(indent).append("  - ").append(nested.substring(indent.length() + 4));
        } else {
          sb.append(indent).append("  - ").append(scalarText(item)).append('\n');
        }
      }
    } else {
      sb.append(' ').append(scalarText(value)).append('\n');
    }
  }

  private static String scalarText(Object value) {
    if (value instanceof Boolean b) {
      return b ? "yes" : "no";
    }
    String s = String.valueOf(value);
    return s.isEmpty() ? "\"\"" : clean(s);
  }

  private static String clean(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(c -> sb.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return sb.toString();
  }

  private static void json(StringBuilder sb, Object value, String indent) {
    String inner = indent + "  ";
    if (value instanceof Facts f) {
      if (f.entries.isEmpty()) {
        sb.append("{}");
        return;
      }
      sb.append("{\n");
      int i = 0;
      for (Map.Entry<String, Object> e : f.entries.entrySet()) {
        sb.append(inner);
        jsonString(sb, e.getKey());
        sb.append(": ");
        json(sb, e.getValue(), inner);
        sb.append(++i < f.entries.size() ? ",\n" : "\n");
      }
      sb.append(indent).append('}');
    } else if (value instanceof List<?> list) {
      if (list.isEmpty()) {
        sb.append("[]");
        return;
      }
      sb.append("[\n");
      for (int i = 0; i < list.size(); i++) {
        sb.append(inner);
        json(sb, list.get(i), inner);
        sb.append(i + 1 < list.size() ? ",\n" : "\n");
      }
      sb.append(indent).append(']');
    } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
      sb.append(value);
    } else {
      jsonString(sb, String.valueOf(value));
    }
  }

  private static void jsonString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
