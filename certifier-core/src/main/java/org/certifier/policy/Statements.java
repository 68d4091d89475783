package org.certifier.policy;

import com.google.protobuf.ByteString;
import java.util.HexFormat;
import java.util.StringJoiner;
import org.certifier.proto.entity_message;
import org.certifier.proto.environment;
import org.certifier.proto.key_message;
import org.certifier.proto.platform;
import org.certifier.proto.proof;
import org.certifier.proto.proof_step;
import org.certifier.proto.property;
import org.certifier.proto.vse_clause;

/**
 * Human-readable forms of statements in the reference's printable style (§3.1), for the CLI's
 * inspect command, logs and every error message of this package. Total on any input: a
 * malformed statement still prints (with {@code ?} where something is missing), and nothing
 * secret is ever printed (keys show a 20-byte prefix of their public number only).
 */
public final class Statements {
  private static final HexFormat HEX = HexFormat.of();
  private static final int KEY_PREFIX_BYTES = 20;
  private static final int MAX_TEXT = 80;
  private static final int MAX_HEX_BYTES = 128;

  private Statements() {}

  /**
   * {@code Key[rsa, <name>, <first 20 bytes of the modulus>]} or
   * {@code Key[ecc-P-384, <name>, <first 20 bytes of X>]} (Go's descriptor, §3.1); the name is
   * left out when empty, as in Go. Numbers print in minimal encoding, so the Go and C++
   * encodings of one key print alike.
   */
  public static String describe(key_message key) {
    if (key == null) {
      return "Key[?]";
    }
    String type = key.getKeyType();
    String name = key.getKeyName().isEmpty() ? "" : printable(key.getKeyName()) + ", ";
    if (Equality.isRsa(type)) {
      return "Key[rsa, " + name + prefix(key.getRsaKey().getPublicModulus()) + "]";
    }
    if (Equality.isEcc(type)) {
      return "Key[ecc-" + printable(key.getEccKey().getCurveName()) + ", " + name
          + prefix(key.getEccKey().getPublicPoint().getX()) + "]";
    }
    return "Key[" + (type.isEmpty() ? "?" : printable(type))
        + (name.isEmpty() ? "" : ", " + printable(key.getKeyName())) + "]";
  }

  /**
   * {@code Measurement[<hex>]} (with {@code  using (7, 8)} for TPM registers),
   * {@code platform[...]}, {@code environment[platform[...], measurement: <hex>]} or the key form.
   */
  public static String describe(entity_message entity) {
    if (entity == null) {
      return "?";
    }
    return switch (entity.getEntityType()) {
      case Entities.KEY -> describe(entity.getKey());
      case Entities.MEASUREMENT -> describeMeasurement(entity);
      case Entities.PLATFORM -> describe(entity.getPlatformEnt());
      case Entities.ENVIRONMENT -> describe(entity.getEnvironmentEnt());
      default -> "entity[" + (entity.getEntityType().isEmpty() ? "?"
          : printable(entity.getEntityType())) + "]";
    };
  }

  /** {@code subject verb}, {@code subject verb object} or {@code subject says clause}. */
  public static String describe(vse_clause clause) {
    return describe(clause, 0);
  }

  /** One line per step: {@code 3. rule 5: <s1> and <s2> => <conclusion>}. */
  public static String describe(proof p) {
    if (p == null) {
      return "";
    }
    StringJoiner lines = new StringJoiner("\n");
    int i = 1;
    for (proof_step step : p.getStepsList()) {
      lines.add(i++ + ". rule " + step.getRuleApplied() + ": "
          + (step.hasS1() ? describe(step.getS1()) : "?") + " and "
          + (step.hasS2() ? describe(step.getS2()) : "?") + " => "
          + (step.hasConclusion() ? describe(step.getConclusion()) : "?"));
    }
    return lines.toString();
  }

  static String describe(platform p) {
    StringBuilder sb = new StringBuilder("platform[");
    sb.append(p.getPlatformType().isEmpty() ? "?" : printable(p.getPlatformType()));
    sb.append(p.getHasKey() ? ", key: " + describe(p.getAttestKey()) : ", no key");
    for (property q : p.getProps().getPropsList()) {
      sb.append(", ").append(describe(q));
    }
    return sb.append(']').toString();
  }

  /**
   * {@code debug: no}, {@code api-major: 3}, {@code tcb-version: >= 115},
   * {@code tcb-status: in UpToDate,SWHardeningNeeded}.
   */
  static String describe(property q) {
    String name = printable(q.getPropertyName()) + ": ";
    switch (q.getValueType()) {
      case "string":
        return name + (PlatformProperties.IN.equals(q.getComparator()) ? "in " : "")
            + printable(q.getStringValue());
      case "int":
        String value = Long.toUnsignedString(q.getIntValue());
        String comparator = q.getComparator();
        return name + ("=".equals(comparator) ? value : printable(comparator) + " " + value);
      default:
        return name + "?";
    }
  }

  /**
   * Untrusted text made safe for one log line: control characters become {@code ?} and long
   * text is cut, so that a key name cannot forge log lines or flood them.
   */
  static String printable(String s) {
    if (s == null) {
      return "?";
    }
    StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX_TEXT + 3));
    for (int i = 0; i < s.length() && i < MAX_TEXT; i++) {
      char ch = s.charAt(i);
      sb.append(Character.isISOControl(ch) || Character.isSurrogate(ch) ? '?' : ch);
    }
    if (s.length() > MAX_TEXT) {
      sb.append("...");
    }
    return sb.toString();
  }

  /**
   * Lowercase hex (measurements print in full, §3.1); cut after 128 bytes so that an oversized
   * field in hostile input cannot blow up a log line.
   */
  static String hex(ByteString bytes) {
    if (bytes.size() > MAX_HEX_BYTES) {
      return HEX.formatHex(bytes.substring(0, MAX_HEX_BYTES).toByteArray()) + "...";
    }
    return HEX.formatHex(bytes.toByteArray());
  }

  private static String describe(vse_clause c, int depth) {
    if (c == null) {
      return "?";
    }
    if (depth > Equality.MAX_DEPTH) {
      return "(...)";
    }
    StringBuilder sb = new StringBuilder();
    sb.append(c.hasSubject() ? describe(c.getSubject()) : "?");
    sb.append(' ').append(c.hasVerb() ? printable(c.getVerb()) : "?");
    if (c.hasObject()) {
      sb.append(' ').append(describe(c.getObject()));
    }
    if (c.hasClause()) {
      // "A says B says C" is unambiguous but hard to read: bracket nested assertions only.
      String inner = describe(c.getClause(), depth + 1);
      sb.append(' ').append(c.getClause().hasClause() ? "(" + inner + ")" : inner);
    }
    return sb.toString();
  }

  private static String describe(environment e) {
    return "environment[" + describe(e.getThePlatform()) + ", measurement: "
        + hex(e.getTheMeasurement()) + "]";
  }

  private static String describeMeasurement(entity_message m) {
    String s = "Measurement[" + hex(m.getMeasurement()) + "]";
    if (m.hasRegisters()) {
      StringJoiner regs = new StringJoiner(", ", " using (", ")");
      for (byte r : m.getRegisters().toByteArray()) {
        regs.add(Integer.toString(Byte.toUnsignedInt(r)));
      }
      s += regs;
    }
    return s;
  }

  /** First 20 bytes of the number in minimal encoding (Go prints modulus[0:20], §3.1). */
  private static String prefix(ByteString number) {
    int start = 0;
    while (start < number.size() && number.byteAt(start) == 0) {
      start++;
    }
    if (start == number.size()) {
      return "?";
    }
    return hex(number.substring(start, Math.min(number.size(), start + KEY_PREFIX_BYTES)));
  }
}
