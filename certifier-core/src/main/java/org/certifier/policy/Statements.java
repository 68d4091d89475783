package org.certifier.policy;

import com.google.protobuf.ByteString;
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
  private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();
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
    return key(new StringBuilder(64), key).toString();
  }

  /**
   * {@code Measurement[<hex>]} (with {@code  using (7, 8)} for TPM registers),
   * {@code platform[...]}, {@code environment[platform[...], measurement: <hex>]} or the key form.
   */
  public static String describe(entity_message entity) {
    return entity(new StringBuilder(96), entity).toString();
  }

  /** {@code subject verb}, {@code subject verb object} or {@code subject says clause}. */
  public static String describe(vse_clause clause) {
    return clause(new StringBuilder(160), clause, 0).toString();
  }

  /** One line per step: {@code 3. rule 5: <s1> and <s2> => <conclusion>}. */
  public static String describe(proof p) {
    if (p == null) {
      return "";
    }
    // The proof of an admission is the service's longest text per request: one buffer for it
    // all, sized for the usual few steps of a few clauses each.
    StringBuilder sb = new StringBuilder(512 * Math.max(1, p.getStepsCount()));
    int i = 1;
    for (proof_step step : p.getStepsList()) {
      if (i > 1) {
        sb.append('\n');
      }
      sb.append(i++).append(". rule ").append(step.getRuleApplied()).append(": ");
      optionalClause(sb, step.hasS1(), step.getS1()).append(" and ");
      optionalClause(sb, step.hasS2(), step.getS2()).append(" => ");
      optionalClause(sb, step.hasConclusion(), step.getConclusion());
    }
    return sb.toString();
  }

  static String describe(platform p) {
    return platform(new StringBuilder(96), p).toString();
  }

  /**
   * {@code debug: no}, {@code api-major: 3}, {@code tcb-version: >= 115},
   * {@code tcb-status: in UpToDate,SWHardeningNeeded}.
   */
  static String describe(property q) {
    return property(new StringBuilder(32), q).toString();
  }

  /**
   * Untrusted text made safe for one log line: control characters become {@code ?} and long
   * text is cut, so that a key name cannot forge log lines or flood them.
   */
  static String printable(String s) {
    return printable(new StringBuilder(s == null ? 1 : Math.min(s.length(), MAX_TEXT + 3)), s)
        .toString();
  }

  /**
   * Lowercase hex (measurements print in full, §3.1); cut after 128 bytes so that an oversized
   * field in hostile input cannot blow up a log line.
   */
  static String hex(ByteString bytes) {
    return hex(new StringBuilder(2 * Math.min(bytes.size(), MAX_HEX_BYTES) + 3), bytes, 0,
        bytes.size()).toString();
  }

  private static StringBuilder key(StringBuilder sb, key_message key) {
    if (key == null) {
      return sb.append("Key[?]");
    }
    String type = key.getKeyType();
    String name = key.getKeyName();
    if (Equality.isRsa(type)) {
      sb.append("Key[rsa, ");
      if (!name.isEmpty()) {
        printable(sb, name).append(", ");
      }
      return prefix(sb, key.getRsaKey().getPublicModulus()).append(']');
    }
    if (Equality.isEcc(type)) {
      printable(sb.append("Key[ecc-"), key.getEccKey().getCurveName()).append(", ");
      if (!name.isEmpty()) {
        printable(sb, name).append(", ");
      }
      return prefix(sb, key.getEccKey().getPublicPoint().getX()).append(']');
    }
    sb.append("Key[");
    if (type.isEmpty()) {
      sb.append('?');
    } else {
      printable(sb, type);
    }
    if (!name.isEmpty()) {
      printable(sb.append(", "), name);
    }
    return sb.append(']');
  }

  private static StringBuilder entity(StringBuilder sb, entity_message entity) {
    if (entity == null) {
      return sb.append('?');
    }
    return switch (entity.getEntityType()) {
      case Entities.KEY -> key(sb, entity.getKey());
      case Entities.MEASUREMENT -> measurement(sb, entity);
      case Entities.PLATFORM -> platform(sb, entity.getPlatformEnt());
      case Entities.ENVIRONMENT -> environment(sb, entity.getEnvironmentEnt());
      default -> {
        sb.append("entity[");
        if (entity.getEntityType().isEmpty()) {
          sb.append('?');
        } else {
          printable(sb, entity.getEntityType());
        }
        yield sb.append(']');
      }
    };
  }

  private static StringBuilder optionalClause(StringBuilder sb, boolean present, vse_clause c) {
    return present ? clause(sb, c, 0) : sb.append('?');
  }

  private static StringBuilder clause(StringBuilder sb, vse_clause c, int depth) {
    if (c == null) {
      return sb.append('?');
    }
    if (depth > Equality.MAX_DEPTH) {
      return sb.append("(...)");
    }
    if (c.hasSubject()) {
      entity(sb, c.getSubject());
    } else {
      sb.append('?');
    }
    sb.append(' ');
    if (c.hasVerb()) {
      printable(sb, c.getVerb());
    } else {
      sb.append('?');
    }
    if (c.hasObject()) {
      entity(sb.append(' '), c.getObject());
    }
    if (c.hasClause()) {
      // "A says B says C" is unambiguous but hard to read: bracket nested assertions only.
      boolean bracket = c.getClause().hasClause();
      sb.append(bracket ? " (" : " ");
      clause(sb, c.getClause(), depth + 1);
      if (bracket) {
        sb.append(')');
      }
    }
    return sb;
  }

  private static StringBuilder platform(StringBuilder sb, platform p) {
    sb.append("platform[");
    if (p.getPlatformType().isEmpty()) {
      sb.append('?');
    } else {
      printable(sb, p.getPlatformType());
    }
    if (p.getHasKey()) {
      key(sb.append(", key: "), p.getAttestKey());
    } else {
      sb.append(", no key");
    }
    for (property q : p.getProps().getPropsList()) {
      property(sb.append(", "), q);
    }
    return sb.append(']');
  }

  private static StringBuilder property(StringBuilder sb, property q) {
    printable(sb, q.getPropertyName()).append(": ");
    switch (q.getValueType()) {
      case "string":
        if (PlatformProperties.IN.equals(q.getComparator())) {
          sb.append("in ");
        }
        return printable(sb, q.getStringValue());
      case "int":
        String comparator = q.getComparator();
        if (!"=".equals(comparator)) {
          printable(sb, comparator).append(' ');
        }
        return sb.append(Long.toUnsignedString(q.getIntValue()));
      default:
        return sb.append('?');
    }
  }

  private static StringBuilder printable(StringBuilder sb, String s) {
    if (s == null) {
      return sb.append('?');
    }
    for (int i = 0; i < s.length() && i < MAX_TEXT; i++) {
      char ch = s.charAt(i);
      sb.append(Character.isISOControl(ch) || Character.isSurrogate(ch) ? '?' : ch);
    }
    if (s.length() > MAX_TEXT) {
      sb.append("...");
    }
    return sb;
  }

  /** Bytes {@code from} to {@code to} of {@code bytes} in hex, cut after 128 of them. */
  private static StringBuilder hex(StringBuilder sb, ByteString bytes, int from, int to) {
    int end = Math.min(to, from + MAX_HEX_BYTES);
    for (int i = from; i < end; i++) {
      int b = bytes.byteAt(i) & 0xff;
      sb.append(HEX_DIGITS[b >>> 4]).append(HEX_DIGITS[b & 0xf]);
    }
    if (to > end) {
      sb.append("...");
    }
    return sb;
  }

  private static StringBuilder environment(StringBuilder sb, environment e) {
    platform(sb.append("environment["), e.getThePlatform()).append(", measurement: ");
    ByteString measurement = e.getTheMeasurement();
    return hex(sb, measurement, 0, measurement.size()).append(']');
  }

  private static StringBuilder measurement(StringBuilder sb, entity_message m) {
    ByteString measurement = m.getMeasurement();
    hex(sb.append("Measurement["), measurement, 0, measurement.size()).append(']');
    if (m.hasRegisters()) {
      sb.append(" using (");
      ByteString registers = m.getRegisters();
      for (int i = 0; i < registers.size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        sb.append(Byte.toUnsignedInt(registers.byteAt(i)));
      }
      sb.append(')');
    }
    return sb;
  }

  /** First 20 bytes of the number in minimal encoding (Go prints modulus[0:20], §3.1). */
  private static StringBuilder prefix(StringBuilder sb, ByteString number) {
    int start = 0;
    while (start < number.size() && number.byteAt(start) == 0) {
      start++;
    }
    if (start == number.size()) {
      return sb.append('?');
    }
    return hex(sb, number, start, Math.min(number.size(), start + KEY_PREFIX_BYTES));
  }
}
