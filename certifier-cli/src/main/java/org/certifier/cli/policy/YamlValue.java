package org.certifier.cli.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.certifier.cli.InputException;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * A value of a policy file (YAML 1.2, so JSON too) together with where it is: its path such as
 * {@code platforms[0].properties[1].value} and its line. Every accessor checks the type it
 * promises and fails with an error naming both, so a mistake in the file is reported as
 * {@code policy.yaml:12: platforms[0].type: ...} and never as a stack trace.
 */
final class YamlValue {
  /** Policy files are small; a bound keeps a hostile file from exhausting memory. */
  private static final int MAX_CODE_POINTS = 4 << 20;
  private static final int MAX_ALIASES = 50;

  private final Node node;
  private final String path;
  private final String file;

  private YamlValue(Node node, String path, String file) {
    this.node = node;
    this.path = path;
    this.file = file;
  }

  /**
   * The document of {@code text}. The core schema types plain {@code 12} and {@code 0x1f} as
   * integers and {@code no} as text (YAML 1.2, unlike 1.1's booleans).
   */
  static YamlValue parse(String text, String file) throws InputException {
    LoadSettings settings = LoadSettings.builder()
        .setLabel(file)
        .setSchema(new CoreSchema())
        .setCodePointLimit(MAX_CODE_POINTS)
        .setMaxAliasesForCollections(MAX_ALIASES)
        .setAllowRecursiveKeys(false)
        .build();
    Optional<Node> root;
    try {
      root = new Compose(settings).composeString(text);
    } catch (MarkedYamlEngineException e) {
      // The library's parse errors are unchecked; turn them into input errors with the line.
      int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
      throw new InputException(file + ":" + line + ": not valid YAML or JSON: "
          + e.getProblem(), e);
    } catch (YamlEngineException e) {
      throw new InputException(file + ": not valid YAML or JSON: " + e.getMessage(), e);
    }
    if (root.isEmpty()) {
      throw new InputException(file + ": the policy file is empty");
    }
    return new YamlValue(root.get(), "", file);
  }

  /** An error about this value: {@code file:line: path: problem}. */
  InputException error(String problem) {
    int line = node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    return new InputException(file + ":" + line + ": " + (path.isEmpty() ? "" : path + ": ")
        + problem);
  }

  String path() {
    return path;
  }

  boolean isMap() {
    return node instanceof MappingNode;
  }

  boolean isScalar() {
    return node instanceof ScalarNode s && !Tag.NULL.equals(s.getTag());
  }

  /** An integer in the YAML sense: plain {@code 12}, {@code 0x1f}. */
  boolean isInteger() {
    return isScalar() && Tag.INT.equals(node.getTag());
  }

  /** A mapping whose keys must all be among {@code allowed}. */
  Fields fields(Set<String> allowed) throws InputException {
    if (!(node instanceof MappingNode m)) {
      throw error("expected a mapping with the fields " + new TreeSet<>(allowed) + ", got "
          + kind());
    }
    Map<String, YamlValue> values = new HashMap<>();
    for (NodeTuple t : m.getValue()) {
      YamlValue key = new YamlValue(t.getKeyNode(), path, file);
      if (!(t.getKeyNode() instanceof ScalarNode k) || !Tag.STR.equals(k.getTag())) {
        throw key.error("field names must be text");
      }
      String name = k.getValue();
      if (!allowed.contains(name)) {
        throw key.error("unknown field \"" + name + "\"; expected one of "
            + new TreeSet<>(allowed));
      }
      if (values.containsKey(name)) {
        throw key.error("field \"" + name + "\" given twice");
      }
      values.put(name, new YamlValue(t.getValueNode(), child(name), file));
    }
    return new Fields(this, values);
  }

  /** A sequence. */
  List<YamlValue> list() throws InputException {
    if (!(node instanceof SequenceNode s)) {
      throw error("expected a list, got " + kind());
    }
    List<YamlValue> items = new ArrayList<>();
    for (Node item : s.getValue()) {
      items.add(new YamlValue(item, path + "[" + items.size() + "]", file));
    }
    return items;
  }

  /** Text, quoted or plain; a number, true/false or nothing is an error. */
  String string() throws InputException {
    if (!isScalar() || !Tag.STR.equals(node.getTag())) {
      throw error("expected text, got " + kind());
    }
    return ((ScalarNode) node).getValue();
  }

  /**
   * The characters of a scalar as written, text or number alike: hex such as {@code 1234}
   * reads as a YAML integer but must keep its digits.
   */
  String raw() throws InputException {
    if (!isScalar() || Tag.BOOL.equals(node.getTag())) {
      throw error("expected a value, got " + kind());
    }
    return ((ScalarNode) node).getValue();
  }

  /** A non-negative integer (decimal or 0x hex) no larger than {@code max}. */
  long integer(long max) throws InputException {
    if (!isInteger()) {
      throw error("expected a number, got " + kind());
    }
    String text = raw().replace("_", "");
    try {
      long v = text.startsWith("0x") ? Long.parseLong(text.substring(2), 16)
          : Long.parseLong(text);
      if (v < 0 || v > max) {
        throw error("must be between 0 and " + max + ", got " + text);
      }
      return v;
    } catch (NumberFormatException e) {
      throw error("must be between 0 and " + max + ", got " + text);
    }
  }

  private String child(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private String kind() {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    Tag tag = node.getTag();
    if (Tag.NULL.equals(tag)) {
      return "nothing";
    }
    if (Tag.INT.equals(tag) || Tag.FLOAT.equals(tag)) {
      return "the number " + ((ScalarNode) node).getValue();
    }
    if (Tag.BOOL.equals(tag)) {
      return ((ScalarNode) node).getValue();
    }
    return "text";
  }

  /** The fields of a mapping, checked against the allowed names. */
  static final class Fields {
    private final YamlValue owner;
    private final Map<String, YamlValue> values;

    private Fields(YamlValue owner, Map<String, YamlValue> values) {
      this.owner = owner;
      this.values = values;
    }

    Optional<YamlValue> get(String name) {
      return Optional.ofNullable(values.get(name));
    }

    boolean has(String name) {
      return values.containsKey(name);
    }

    YamlValue require(String name) throws InputException {
      YamlValue v = values.get(name);
      if (v == null) {
        throw owner.error("missing field \"" + name + "\"");
      }
      return v;
    }

    /** Exactly one of {@code names} is present; returns its name. */
    String oneOf(String... names) throws InputException {
      String found = null;
      for (String n : names) {
        if (values.containsKey(n)) {
          if (found != null) {
            throw owner.error("give only one of " + String.join(", ", names) + " (got \""
                + found + "\" and \"" + n + "\")");
          }
          found = n;
        }
      }
      if (found == null) {
        throw owner.error("give one of " + String.join(", ", names));
      }
      return found;
    }

    YamlValue owner() {
      return owner;
    }
  }
}
