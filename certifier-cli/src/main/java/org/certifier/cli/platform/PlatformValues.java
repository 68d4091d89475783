package org.certifier.cli.platform;

import com.google.protobuf.ByteString;
import java.util.List;
import org.certifier.cli.InputException;
import org.certifier.policy.PlatformProperties;
import org.certifier.proto.environment;
import org.certifier.proto.platform;
import org.certifier.proto.properties;
import org.certifier.proto.property;

/**
 * Platform descriptions for has-trusted-platform-property statements (§3.3) in the
 * reference's encoding (make_property, make_platform, make_environment of §5.1), shared by the
 * one-file-at-a-time commands and the policy compiler.
 */
public final class PlatformValues {
  public static final String STRING = "string";
  public static final String INT = "int";
  public static final String EQ = "=";
  public static final String GE = ">=";
  /** Set membership for strings (ours, docs/policy.md): the value is a comma-separated set. */
  public static final String IN = PlatformProperties.IN;

  private PlatformValues() {}

  /**
   * A property. {@code comparator} is {@code =}, {@code >=} (the policy generator's
   * {@code eq} / {@code ge} are accepted) or {@code in}; strings can be compared for equality
   * or with {@code in} against a comma-separated set, ints with {@code =} and {@code >=}. As the
   * reference's make_property, the comparator is always written, also for strings.
   */
  public static property property(String name, String type, String comparator,
      String intValue, String stringValue) throws InputException {
    if (name == null || name.isEmpty()) {
      throw new InputException("a property needs a name");
    }
    String cmp = comparator(comparator);
    property.Builder p = property.newBuilder().setPropertyName(name).setComparator(cmp);
    switch (type == null ? "" : type) {
      case INT -> {
        if (intValue == null || stringValue != null) {
          throw new InputException("property " + name + ": an int property needs an int value"
              + " and no string value");
        }
        return p.setValueType(INT).setIntValue(uint64(intValue)).build();
      }
      case STRING -> {
        if (stringValue == null || intValue != null) {
          throw new InputException("property " + name + ": a string property needs a string"
              + " value and no int value");
        }
        if (GE.equals(cmp)) {
          throw new InputException("property " + name + ": strings can only be compared with"
              + " \"=\" (eq) or in");
        }
        if (IN.equals(cmp) && PlatformProperties.elements(stringValue).stream()
            .anyMatch(String::isEmpty)) {
          throw new InputException("property " + name + ": \"in\" needs a comma-separated"
              + " set of non-empty values, not \"" + stringValue + "\"");
        }
        return p.setValueType(STRING).setStringValue(stringValue).build();
      }
      default -> throw new InputException("property " + name + ": type must be \"string\" or"
          + " \"int\", not \"" + type + "\"");
    }
  }

  /** {@code =} / {@code eq}, {@code >=} / {@code ge} and {@code in} (strings only). */
  public static String comparator(String text) throws InputException {
    return switch (text == null ? "" : text) {
      case EQ, "eq" -> EQ;
      case GE, "ge" -> GE;
      case IN -> IN;
      default -> throw new InputException("comparator must be \"=\" (eq), \">=\" (ge) or in,"
          + " not \"" + text + "\"");
    };
  }

  /**
   * An unsigned 64-bit value, decimal or {@code 0x} hex (int_value is a uint64, §1.3); SEV TCB
   * versions are usually written in hex.
   */
  public static long uint64(String text) throws InputException {
    String t = text.strip().replace("_", "");
    try {
      if (t.startsWith("0x") || t.startsWith("0X")) {
        if (t.length() == 2 || t.length() > 18) {
          throw new NumberFormatException();
        }
        return Long.parseUnsignedLong(t.substring(2), 16);
      }
      if (t.isEmpty() || !Character.isDigit(t.charAt(0))) {
        throw new NumberFormatException();
      }
      return Long.parseUnsignedLong(t);
    } catch (NumberFormatException e) {
      throw new InputException("\"" + text + "\" is not an unsigned 64-bit number (decimal or"
          + " 0x hex)");
    }
  }

  /**
   * A platform without an attestation key, as make_platform writes it: has_key is set to
   * false explicitly, and the property list is present exactly when properties were given.
   */
  public static platform platform(String type, List<property> props) throws InputException {
    if (type == null || type.isEmpty()) {
      throw new InputException("a platform needs a type, e.g. amd-sev-snp");
    }
    platform.Builder p = platform.newBuilder().setPlatformType(type).setHasKey(false);
    if (props != null) {
      p.setProps(properties.newBuilder().addAllProps(props));
    }
    return p.build();
  }

  /** An environment: a platform running a measurement (make_environment). */
  public static environment environment(platform p, byte[] measurement) throws InputException {
    if (measurement.length == 0) {
      throw new InputException("an environment needs a non-empty measurement");
    }
    return environment.newBuilder().setThePlatform(p)
        .setTheMeasurement(ByteString.copyFrom(measurement)).build();
  }

  /** {@code debug = no}, {@code tcb-version >= 0x...} for people. */
  public static String describe(property p) {
    String value = INT.equals(p.getValueType())
        ? Long.toUnsignedString(p.getIntValue()) : "\"" + p.getStringValue() + "\"";
    return p.getPropertyName() + " " + p.getComparator() + " " + value + " (" + p.getValueType()
        + ")";
  }
}
