package org.certifier.verifiers;

import org.certifier.proto.property;

/**
 * The properties platform verifiers observe, in the reference's {@code property} message: how a
 * platform reports what it is so that {@code PlatformProperties.check} can compare it with a
 * policy's template. One place for their value types and comparators keeps every platform's
 * observations comparable by the same rules.
 */
public final class ObservedProperties {
  private ObservedProperties() {}

  /** An int property with comparator {@code =}; a template may demand a minimum of it. */
  public static property equalTo(String name, long value) {
    return property.newBuilder()
        .setPropertyName(name)
        .setValueType("int")
        .setComparator("=")
        .setIntValue(value)
        .build();
  }

  /** A string property with comparator {@code =}. */
  public static property equalTo(String name, String value) {
    return property.newBuilder()
        .setPropertyName(name)
        .setValueType("string")
        .setComparator("=")
        .setStringValue(value)
        .build();
  }

  /**
   * A string property {@code yes} or {@code no} with no comparator, as the reference's Go
   * service leaves it on its SEV-SNP properties (reference-certifier.md §6.1).
   */
  public static property yesNo(String name, boolean value) {
    return property.newBuilder()
        .setPropertyName(name)
        .setValueType("string")
        .setStringValue(value ? "yes" : "no")
        .build();
  }
}
