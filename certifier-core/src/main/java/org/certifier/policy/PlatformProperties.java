package org.certifier.policy;

import java.util.ArrayList;
import java.util.List;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.proto.platform;
import org.certifier.proto.property;

/**
 * Does an observed platform satisfy a policy template (§3.3)? Fail closed, unlike Go's
 * {@code SatisfyingProperties} (§8.2):
 * <ul>
 *   <li>{@code platform_type} must match (Go ignores it in rule 8);</li>
 *   <li>a template with an attestation key requires the observed platform to have that key
 *       (as C++ {@code satisfying_platform});</li>
 *   <li>every template property must be reported by the observed platform exactly once (Go
 *       silently skips missing ones, e.g. {@code key-share} for SEV, §7.1 item 6);</li>
 *   <li>strings must be equal; an int template with {@code "="} needs an equal value, with
 *       {@code ">="} an observed value at least as large, compared as unsigned 64-bit numbers
 *       ({@code int_value} is a {@code uint64}). Observed int values carry {@code "="}, as in
 *       the reference's observed platforms;</li>
 *   <li>anything else (unknown comparator or value type, type mismatch, missing value) is a
 *       mismatch;</li>
 *   <li>a platform that reports {@value #DEBUG} with any value but {@code no} satisfies only a
 *       template that names {@value #DEBUG} itself (see {@link #DEBUG}).</li>
 * </ul>
 * A template without properties is satisfied by any platform of its type that cannot be
 * debugged: that is the policy author's explicit choice (C++ agrees; Go rejects it).
 */
public final class PlatformProperties {
  /**
   * The property by which a platform says whether its host may debug it, e.g. SEV-SNP guest
   * policy bit 19 (reference-certifier.md §6.1). A debuggable TEE has no confidentiality or
   * integrity against its host, so debugging is forbidden unless the policy explicitly allows
   * it: a template that does not name this property never admits a platform that reports
   * anything but {@code debug: no}, and a policy that accepts debuggable platforms says so with
   * a template containing {@code debug: yes}. A template that names {@code debug} is checked
   * like any other property.
   */
  public static final String DEBUG = "debug";
  private static final String NOT_DEBUGGABLE = "no";

  private PlatformProperties() {}

  /**
   * Returns normally if {@code observed} satisfies {@code template}.
   *
   * @throws VerificationException with {@link Failure#PLATFORM_PROPERTY_MISMATCH} and every
   *     unmet requirement in readable form, e.g. {@code tcb-version 68 < 115 required}
   */
  public static void check(platform template, platform observed) throws VerificationException {
    if (template == null || observed == null) {
      throw mismatch(List.of("no platform to compare"));
    }
    List<String> unmet = new ArrayList<>();
    String type = template.getPlatformType();
    if (type.isEmpty()) {
      unmet.add("the policy platform has no type");
    } else if (!type.equals(observed.getPlatformType())) {
      unmet.add("platform type: observed " + text(observed.getPlatformType())
          + ", policy requires " + Statements.printable(type));
    }
    if (template.getHasKey() && !(observed.getHasKey() && template.hasAttestKey()
        && observed.hasAttestKey()
        && Equality.sameKey(template.getAttestKey(), observed.getAttestKey()))) {
      unmet.add("platform key: observed "
          + (observed.getHasKey() ? Statements.describe(observed.getAttestKey()) : "none")
          + ", policy requires " + Statements.describe(template.getAttestKey()));
    }
    for (property p : observed.getProps().getPropsList()) {
      if (p.getPropertyName().isEmpty()) {
        unmet.add("the observed platform has a property without a name");
        break;
      }
    }
    boolean debugNamed = false;
    for (property required : template.getProps().getPropsList()) {
      checkProperty(required, observed.getProps().getPropsList(), unmet);
      debugNamed |= DEBUG.equals(required.getPropertyName());
    }
    if (!debugNamed) {
      for (property p : observed.getProps().getPropsList()) {
        if (DEBUG.equals(p.getPropertyName()) && !isNotDebuggable(p)) {
          unmet.add("debug: the host can debug this platform (" + Statements.describe(p)
              + "); only a policy template that names debug, e.g. debug: yes, accepts that");
          break;
        }
      }
    }
    if (!unmet.isEmpty()) {
      throw mismatch(unmet);
    }
  }

  private static void checkProperty(property required, List<property> observed,
      List<String> unmet) {
    if (required.getPropertyName().isEmpty()) {
      unmet.add("the policy platform has a property without a name");
      return;
    }
    String name = Statements.printable(required.getPropertyName());
    List<property> found = new ArrayList<>(1);
    for (property p : observed) {
      if (p.getPropertyName().equals(required.getPropertyName())) {
        found.add(p);
      }
    }
    if (found.isEmpty()) {
      unmet.add(name + ": not reported by the platform, policy requires "
          + Statements.describe(required));
      return;
    }
    if (found.size() > 1) {
      unmet.add(name + ": reported " + found.size() + " times");
      return;
    }
    property seen = found.get(0);
    String valueType = required.getValueType();
    if (!valueType.equals(seen.getValueType())) {
      unmet.add(name + ": observed a value of type " + text(seen.getValueType())
          + ", policy requires type " + text(valueType));
      return;
    }
    switch (valueType) {
      case "string" -> checkString(name, required, seen, unmet);
      case "int" -> checkInt(name, required, seen, unmet);
      default -> unmet.add(name + ": unknown value type " + text(valueType));
    }
  }

  private static void checkString(String name, property required, property seen,
      List<String> unmet) {
    if (!isEquality(required.getComparator()) || !isEquality(seen.getComparator())) {
      unmet.add(name + ": strings can only be compared with \"=\"");
    } else if (!required.hasStringValue() || !seen.hasStringValue()) {
      unmet.add(name + ": missing string value");
    } else if (!required.getStringValue().equals(seen.getStringValue())) {
      unmet.add(name + ": observed " + text(seen.getStringValue()) + ", policy requires "
          + text(required.getStringValue()));
    }
  }

  private static void checkInt(String name, property required, property seen,
      List<String> unmet) {
    if (!required.hasIntValue() || !seen.hasIntValue()) {
      unmet.add(name + ": missing int value");
      return;
    }
    if (!"=".equals(seen.getComparator())) {
      unmet.add(name + ": the observed value has comparator " + text(seen.getComparator())
          + " instead of \"=\"");
      return;
    }
    long want = required.getIntValue();
    long have = seen.getIntValue();
    switch (required.getComparator()) {
      case "=" -> {
        if (have != want) {
          unmet.add(name + ": observed " + Long.toUnsignedString(have) + ", policy requires "
              + Long.toUnsignedString(want));
        }
      }
      case ">=" -> {
        // uint64 on the wire: values above 2^63 are large, not negative.
        if (Long.compareUnsigned(have, want) < 0) {
          unmet.add(name + " " + Long.toUnsignedString(have) + " < "
              + Long.toUnsignedString(want) + " required");
        }
      }
      default -> unmet.add(name + ": unknown comparator " + text(required.getComparator()));
    }
  }

  private static boolean isNotDebuggable(property p) {
    return "string".equals(p.getValueType()) && isEquality(p.getComparator())
        && p.hasStringValue() && NOT_DEBUGGABLE.equals(p.getStringValue());
  }

  /** C++ writes "=" for string properties, Go leaves the comparator unset (§1.3). */
  private static boolean isEquality(String comparator) {
    return comparator.isEmpty() || "=".equals(comparator);
  }

  private static String text(String s) {
    return s.isEmpty() ? "(none)" : Statements.printable(s);
  }

  private static VerificationException mismatch(List<String> unmet) {
    return new VerificationException(Failure.PLATFORM_PROPERTY_MISMATCH, String.join("; ", unmet));
  }
}
