package org.certifier.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 *   <li>a string template with comparator {@value #IN} (ours; the reference has only
 *       {@code =} and {@code >=}) holds a comma-separated set of accepted values; the observed
 *       value, itself a comma-separated list (possibly empty), satisfies it when each of its
 *       elements is in that set: {@code tcb-status in UpToDate,SWHardeningNeeded} accepts
 *       either status, {@code advisory-ids in INTEL-SA-00615} a platform affected by that
 *       advisory or by none;</li>
 *   <li>anything else (unknown comparator or value type, type mismatch, missing value) is a
 *       mismatch;</li>
 *   <li>a platform that reports a guarded property ({@value #DEBUG}, {@value #TCB_STATUS},
 *       {@value #ADVISORY_IDS}) with anything but its safe value satisfies only a template
 *       that names that property itself (see {@link #DEBUG}, {@link #TCB_STATUS},
 *       {@link #ADVISORY_IDS}).</li>
 * </ul>
 * A template without properties is satisfied by any platform of its type that cannot be
 * debugged and whose graded TCB, if it reports one, is up to date with no advisories: that is
 * the policy author's explicit choice (C++ agrees; Go rejects it).
 *
 * <p>The failure is {@link Failure#DEBUG_NOT_ALLOWED} when the only unmet requirement is that
 * the platform be not debuggable, {@link Failure#TCB_STATUS_NOT_ACCEPTED} when every unmet
 * requirement concerns the vendor's graded TCB ({@value #TCB_STATUS}, {@value #ADVISORY_IDS}),
 * otherwise {@link Failure#PLATFORM_PROPERTY_MISMATCH}.
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
  /**
   * The vendor's graded TCB status, by Intel's JSON name (Intel TDX and SGX platforms). Only
   * {@code UpToDate} is accepted unless the policy says otherwise: a template that does not
   * name this property admits only platforms reporting {@code UpToDate}; one that accepts more
   * says so, e.g. {@code tcb-status in UpToDate,SWHardeningNeeded}.
   */
  public static final String TCB_STATUS = "tcb-status";
  /**
   * The security advisories (e.g. {@code INTEL-SA-00615}) the vendor lists for the platform's
   * TCB, comma-separated, empty if none. A template that does not name this property admits
   * only platforms affected by none; {@code advisory-ids in A,B} admits those affected by some
   * of A and B only.
   */
  public static final String ADVISORY_IDS = "advisory-ids";
  /** The string comparator for set membership; see the class comment. */
  public static final String IN = "in";
  /** Guarded properties, in the order they are checked, and their safe values. */
  private static final List<Map.Entry<String, String>> SAFE_VALUES = List.of(
      Map.entry(DEBUG, "no"), Map.entry(TCB_STATUS, "UpToDate"), Map.entry(ADVISORY_IDS, ""));
  private static final Set<String> GRADED_TCB = Set.of(TCB_STATUS, ADVISORY_IDS);

  private PlatformProperties() {}

  /**
   * Returns normally if {@code observed} satisfies {@code template}.
   *
   * @throws VerificationException with {@link Failure#DEBUG_NOT_ALLOWED} if only debugging is
   *     refused, {@link Failure#TCB_STATUS_NOT_ACCEPTED} if only the graded TCB is, otherwise
   *     {@link Failure#PLATFORM_PROPERTY_MISMATCH}, and every
   *     unmet requirement in readable form, e.g. {@code tcb-version 68 < 115 required}
   */
  public static void check(platform template, platform observed) throws VerificationException {
    if (template == null || observed == null) {
      throw new VerificationException(Failure.PLATFORM_PROPERTY_MISMATCH,
          "no platform to compare");
    }
    Unmet unmet = new Unmet();
    String type = template.getPlatformType();
    if (type.isEmpty()) {
      unmet.add("the policy platform has no type", Failure.PLATFORM_PROPERTY_MISMATCH);
    } else if (!type.equals(observed.getPlatformType())) {
      unmet.add("platform type: observed " + text(observed.getPlatformType())
          + ", policy requires " + Statements.printable(type), Failure.PLATFORM_PROPERTY_MISMATCH);
    }
    if (template.getHasKey() && !(observed.getHasKey() && template.hasAttestKey()
        && observed.hasAttestKey()
        && Equality.sameKey(template.getAttestKey(), observed.getAttestKey()))) {
      unmet.add("platform key: observed "
          + (observed.getHasKey() ? Statements.describe(observed.getAttestKey()) : "none")
          + ", policy requires " + Statements.describe(template.getAttestKey()), Failure.PLATFORM_PROPERTY_MISMATCH);
    }
    for (property p : observed.getProps().getPropsList()) {
      if (p.getPropertyName().isEmpty()) {
        unmet.add("the observed platform has a property without a name", Failure.PLATFORM_PROPERTY_MISMATCH);
        break;
      }
    }
    Set<String> named = new HashSet<>();
    for (property required : template.getProps().getPropsList()) {
      checkProperty(required, observed.getProps().getPropsList(), unmet);
      named.add(required.getPropertyName());
    }
    for (Map.Entry<String, String> guarded : SAFE_VALUES) {
      if (!named.contains(guarded.getKey())) {
        checkGuarded(guarded.getKey(), guarded.getValue(), observed, unmet);
      }
    }
    unmet.throwIfAny();
  }

  /** The elements of a comma-separated list, as {@value #IN} reads it; "" is the empty list. */
  public static List<String> elements(String list) {
    return list.isEmpty() ? List.of() : List.of(list.split(",", -1));
  }

  /** A template silent about a guarded property admits only its safe value. */
  private static void checkGuarded(String name, String safe, platform observed, Unmet unmet) {
    for (property p : observed.getProps().getPropsList()) {
      if (name.equals(p.getPropertyName()) && !isString(p, safe)) {
        unmet.add(switch (name) {
          case DEBUG -> "debug: the host can debug this platform (" + Statements.describe(p)
              + "); only a policy template that names debug, e.g. debug: yes, accepts that";
          case TCB_STATUS -> "tcb-status: observed " + Statements.describe(p) + "; a policy"
              + " template that does not name tcb-status accepts only UpToDate";
          default -> Statements.printable(name) + ": observed " + Statements.describe(p)
              + "; a policy template that does not name " + Statements.printable(name)
              + " accepts none";
        }, guardedFailure(name));
        return;
      }
    }
  }

  private static void checkProperty(property required, List<property> observed, Unmet unmet) {
    if (required.getPropertyName().isEmpty()) {
      unmet.add("the policy platform has a property without a name", Failure.PLATFORM_PROPERTY_MISMATCH);
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
          + Statements.describe(required), Failure.PLATFORM_PROPERTY_MISMATCH);
      return;
    }
    if (found.size() > 1) {
      unmet.add(name + ": reported " + found.size() + " times", Failure.PLATFORM_PROPERTY_MISMATCH);
      return;
    }
    property seen = found.get(0);
    String valueType = required.getValueType();
    if (!valueType.equals(seen.getValueType())) {
      unmet.add(name + ": observed a value of type " + text(seen.getValueType())
          + ", policy requires type " + text(valueType), Failure.PLATFORM_PROPERTY_MISMATCH);
      return;
    }
    switch (valueType) {
      case "string" -> checkString(name, required, seen,
          DEBUG.equals(required.getPropertyName()) && isString(seen, "no")
              ? Failure.PLATFORM_PROPERTY_MISMATCH : guardedFailure(required.getPropertyName()),
          unmet);
      case "int" -> checkInt(name, required, seen, unmet);
      default -> unmet.add(name + ": unknown value type " + text(valueType), Failure.PLATFORM_PROPERTY_MISMATCH);
    }
  }

  private static void checkString(String name, property required, property seen,
      Failure mismatch, Unmet unmet) {
    boolean in = IN.equals(required.getComparator());
    if (!(in || isEquality(required.getComparator())) || !isEquality(seen.getComparator())) {
      unmet.add(name + ": strings can only be compared with \"=\" or \"in\"", Failure.PLATFORM_PROPERTY_MISMATCH);
    } else if (!required.hasStringValue() || !seen.hasStringValue()) {
      unmet.add(name + ": missing string value", Failure.PLATFORM_PROPERTY_MISMATCH);
    } else if (in) {
      List<String> accepted = elements(required.getStringValue());
      List<String> refused = new ArrayList<>(elements(seen.getStringValue()));
      refused.removeAll(accepted);
      if (!refused.isEmpty()) {
        unmet.add(name + ": observed " + Statements.printable(String.join(",", refused))
            + ", policy accepts only " + Statements.printable(required.getStringValue()),
            mismatch);
      }
    } else if (!required.getStringValue().equals(seen.getStringValue())) {
      unmet.add(name + ": observed " + text(seen.getStringValue()) + ", policy requires "
          + text(required.getStringValue()), mismatch);
    }
  }

  private static void checkInt(String name, property required, property seen, Unmet unmet) {
    if (!required.hasIntValue() || !seen.hasIntValue()) {
      unmet.add(name + ": missing int value", Failure.PLATFORM_PROPERTY_MISMATCH);
      return;
    }
    if (!"=".equals(seen.getComparator())) {
      unmet.add(name + ": the observed value has comparator " + text(seen.getComparator())
          + " instead of \"=\"", Failure.PLATFORM_PROPERTY_MISMATCH);
      return;
    }
    long want = required.getIntValue();
    long have = seen.getIntValue();
    switch (required.getComparator()) {
      case "=" -> {
        if (have != want) {
          unmet.add(name + ": observed " + Long.toUnsignedString(have) + ", policy requires "
              + Long.toUnsignedString(want), Failure.PLATFORM_PROPERTY_MISMATCH);
        }
      }
      case ">=" -> {
        // uint64 on the wire: values above 2^63 are large, not negative.
        if (Long.compareUnsigned(have, want) < 0) {
          unmet.add(name + " " + Long.toUnsignedString(have) + " < "
              + Long.toUnsignedString(want) + " required", Failure.PLATFORM_PROPERTY_MISMATCH);
        }
      }
      default -> unmet.add(name + ": unknown comparator " + text(required.getComparator()),
          Failure.PLATFORM_PROPERTY_MISMATCH);
    }
  }

  private static boolean isString(property p, String value) {
    return "string".equals(p.getValueType()) && isEquality(p.getComparator())
        && p.hasStringValue() && value.equals(p.getStringValue());
  }

  /** C++ writes "=" for string properties, Go leaves the comparator unset (§1.3). */
  private static boolean isEquality(String comparator) {
    return comparator.isEmpty() || "=".equals(comparator);
  }

  private static String text(String s) {
    return s.isEmpty() ? "(none)" : Statements.printable(s);
  }

  /**
   * What refusing a guarded property means: a debuggable platform is {@link
   * Failure#DEBUG_NOT_ALLOWED}, a graded TCB or its advisories {@link
   * Failure#TCB_STATUS_NOT_ACCEPTED}; anything else a plain property mismatch.
   */
  private static Failure guardedFailure(String name) {
    return DEBUG.equals(name) ? Failure.DEBUG_NOT_ALLOWED
        : GRADED_TCB.contains(name) ? Failure.TCB_STATUS_NOT_ACCEPTED
        : Failure.PLATFORM_PROPERTY_MISMATCH;
  }

  /**
   * The unmet requirements, and their one specific failure if they all share it (only debug,
   * or only the graded TCB); a mix is a plain property mismatch.
   */
  private static final class Unmet {
    private final List<String> reasons = new ArrayList<>();
    private Failure failure;

    void add(String reason, Failure kind) {
      reasons.add(reason);
      failure = failure == null || failure == kind ? kind : Failure.PLATFORM_PROPERTY_MISMATCH;
    }

    void throwIfAny() throws VerificationException {
      if (!reasons.isEmpty()) {
        throw new VerificationException(failure, String.join("; ", reasons));
      }
    }
  }
}
