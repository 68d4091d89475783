package org.certifier.policy;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Set;
import org.certifier.proto.ecc_message;
import org.certifier.proto.entity_message;
import org.certifier.proto.environment;
import org.certifier.proto.key_message;
import org.certifier.proto.platform;
import org.certifier.proto.point_message;
import org.certifier.proto.property;
import org.certifier.proto.vse_clause;

/**
 * Structural equality of statements and their parts. There is no canonical form in the
 * reference (§3.2, §3.8): statements are compared field by field, never as serialized bytes,
 * because C++ and Go serialize the same statement differently.
 *
 * <p>The rules are Go's {@code Same*} functions of §3.2 with these deliberate fixes (§8.2):
 * <ul>
 *   <li>key material is compared as unsigned numbers, so a Go key padded to 49 bytes and a C++
 *       key in minimal encoding are the same key (§1.5), and ECC compares the curve and the
 *       public point (the base point is implied by the curve);</li>
 *   <li>platforms compare {@code platform_type} and every property's name, type, comparator and
 *       value, in both directions (Go compares property names only, one way).</li>
 * </ul>
 * Every method is null-safe and total: malformed input is simply "not equal".
 */
public final class Equality {
  /** Nesting beyond this is treated as unequal; parsed clauses cannot get near it. */
  static final int MAX_DEPTH = 64;

  private static final Set<String> RSA_TYPES = Set.of(
      "rsa-1024-public", "rsa-1024-private", "rsa-2048-public", "rsa-2048-private",
      "rsa-3072-public", "rsa-3072-private", "rsa-4096-public", "rsa-4096-private");
  private static final Set<String> ECC_TYPES = Set.of(
      "ecc-256-public", "ecc-256-private", "ecc-384-public", "ecc-384-private");

  private Equality() {}

  /**
   * Same key for trust purposes: equal {@code key_type} and equal public material. Names,
   * format, certificate and validity times are ignored (§1.5: key_name is not identity).
   * Symmetric and unknown key types are never equal: they cannot be principals.
   */
  public static boolean sameKey(key_message a, key_message b) {
    if (a == null || b == null || !a.hasKeyType() || !b.hasKeyType()
        || !a.getKeyType().equals(b.getKeyType())) {
      return false;
    }
    if (isRsa(a.getKeyType())) {
      return a.hasRsaKey() && b.hasRsaKey()
          && sameNumber(a.getRsaKey().getPublicModulus(), b.getRsaKey().getPublicModulus())
          && sameNumber(a.getRsaKey().getPublicExponent(), b.getRsaKey().getPublicExponent());
    }
    if (isEcc(a.getKeyType())) {
      if (!a.hasEccKey() || !b.hasEccKey()) {
        return false;
      }
      ecc_message x = a.getEccKey();
      ecc_message y = b.getEccKey();
      return x.hasCurveName() && y.hasCurveName() && x.getCurveName().equals(y.getCurveName())
          && x.hasPublicPoint() && y.hasPublicPoint()
          && samePoint(x.getPublicPoint(), y.getPublicPoint());
    }
    return false;
  }

  /** Same entity: same {@code entity_type}, then the comparison for that type. */
  public static boolean sameEntity(entity_message a, entity_message b) {
    if (a == null || b == null || !a.hasEntityType() || !b.hasEntityType()
        || !a.getEntityType().equals(b.getEntityType())) {
      return false;
    }
    return switch (a.getEntityType()) {
      case Entities.KEY -> a.hasKey() && b.hasKey() && sameKey(a.getKey(), b.getKey());
      case Entities.MEASUREMENT -> sameMeasurement(a, b);
      case Entities.PLATFORM -> a.hasPlatformEnt() && b.hasPlatformEnt()
          && samePlatform(a.getPlatformEnt(), b.getPlatformEnt());
      case Entities.ENVIRONMENT -> a.hasEnvironmentEnt() && b.hasEnvironmentEnt()
          && sameEnvironment(a.getEnvironmentEnt(), b.getEnvironmentEnt());
      default -> false;
    };
  }

  /**
   * Same platform: equal type, equal {@code has_key} (absent reads as false) and, with a key,
   * the same attestation key, and the same set of properties by value (fixes of §8.2).
   */
  public static boolean samePlatform(platform a, platform b) {
    if (a == null || b == null || !a.hasPlatformType() || !b.hasPlatformType()
        || !a.getPlatformType().equals(b.getPlatformType())
        || a.getHasKey() != b.getHasKey()) {
      return false;
    }
    if (a.getHasKey() && !(a.hasAttestKey() && b.hasAttestKey()
        && sameKey(a.getAttestKey(), b.getAttestKey()))) {
      return false;
    }
    List<property> pa = a.getProps().getPropsList();
    List<property> pb = b.getProps().getPropsList();
    return containsAll(pa, pb) && containsAll(pb, pa);
  }

  /** Same environment: equal measurement bytes and the same platform. */
  public static boolean sameEnvironment(environment a, environment b) {
    return a != null && b != null
        && a.hasTheMeasurement() && b.hasTheMeasurement()
        && a.getTheMeasurement().equals(b.getTheMeasurement())
        && a.hasThePlatform() && b.hasThePlatform()
        && samePlatform(a.getThePlatform(), b.getThePlatform());
  }

  /**
   * Same clause: same subject, verb, object (if any) and inner clause (if any); presence of
   * object and clause must match (§3.2 SameVseClause).
   */
  public static boolean sameClause(vse_clause a, vse_clause b) {
    return sameClause(a, b, 0);
  }

  private static boolean sameClause(vse_clause a, vse_clause b, int depth) {
    if (a == null || b == null || depth > MAX_DEPTH) {
      return false;
    }
    if (!a.hasSubject() || !b.hasSubject() || !sameEntity(a.getSubject(), b.getSubject())) {
      return false;
    }
    if (!a.hasVerb() || !b.hasVerb() || !a.getVerb().equals(b.getVerb())) {
      return false;
    }
    if (a.hasObject() != b.hasObject()
        || (a.hasObject() && !sameEntity(a.getObject(), b.getObject()))) {
      return false;
    }
    return a.hasClause() == b.hasClause()
        && (!a.hasClause() || sameClause(a.getClause(), b.getClause(), depth + 1));
  }

  /**
   * Same property by value. A string property's missing comparator means "=" (C++ writes "=",
   * Go leaves it unset, §1.3), so the two spellings of one template are equal.
   */
  static boolean sameProperty(property a, property b) {
    return a.hasPropertyName() && b.hasPropertyName()
        && a.getPropertyName().equals(b.getPropertyName())
        && a.getValueType().equals(b.getValueType())
        && comparatorOf(a).equals(comparatorOf(b))
        && a.getStringValue().equals(b.getStringValue())
        && a.getIntValue() == b.getIntValue();
  }

  static String comparatorOf(property p) {
    if ("string".equals(p.getValueType()) && p.getComparator().isEmpty()) {
      return "=";
    }
    return p.getComparator();
  }

  static boolean isRsa(String keyType) {
    return RSA_TYPES.contains(keyType);
  }

  static boolean isEcc(String keyType) {
    return ECC_TYPES.contains(keyType);
  }

  /**
   * Hash of an unsigned big-endian number that ignores leading zero bytes, consistent with
   * {@link #sameNumber}: its significant length and its last {@value #HASHED_TAIL} bytes.
   * Equal numbers agree on both; key moduli and points differ in their low bytes, so the tail
   * separates them as well as the whole number would. Hashing every byte of a 2048-bit modulus
   * each time a statement is indexed or looked up was the prover's largest cost.
   */
  static int numberHash(ByteString bytes) {
    int size = bytes.size();
    int first = firstNonZero(bytes);
    int h = size - first;
    for (int i = Math.max(first, size - HASHED_TAIL); i < size; i++) {
      h = 31 * h + bytes.byteAt(i);
    }
    return h;
  }

  private static final int HASHED_TAIL = 16;

  private static boolean sameMeasurement(entity_message a, entity_message b) {
    return a.hasMeasurement() && b.hasMeasurement()
        && a.getMeasurement().equals(b.getMeasurement())
        && a.hasRegisters() == b.hasRegisters()
        && a.getRegisters().equals(b.getRegisters());
  }

  private static boolean samePoint(point_message a, point_message b) {
    return sameNumber(a.getX(), b.getX()) && sameNumber(a.getY(), b.getY());
  }

  /**
   * Equal as unsigned big-endian numbers (leading zero bytes do not count). Absent or empty
   * material never matches: an empty modulus is not "the number zero".
   */
  private static boolean sameNumber(ByteString a, ByteString b) {
    if (a.isEmpty() || b.isEmpty()) {
      return false;
    }
    if (a.size() == b.size() && a.byteAt(0) != 0 && b.byteAt(0) != 0) {
      return a.equals(b); // the usual case: both minimal, compared in bulk
    }
    int i = firstNonZero(a);
    int j = firstNonZero(b);
    if (a.size() - i != b.size() - j) {
      return false;
    }
    for (; i < a.size(); i++, j++) {
      if (a.byteAt(i) != b.byteAt(j)) {
        return false;
      }
    }
    return true;
  }

  private static int firstNonZero(ByteString bytes) {
    int i = 0;
    while (i < bytes.size() && bytes.byteAt(i) == 0) {
      i++;
    }
    return i;
  }

  private static boolean containsAll(List<property> haystack, List<property> needles) {
    for (property needle : needles) {
      boolean found = false;
      for (property p : haystack) {
        if (sameProperty(p, needle)) {
          found = true;
          break;
        }
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }
}
