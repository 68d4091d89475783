package org.certifier.verifiers.collateral;

import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The checks on the components of a {@link CollateralKey}. They are what keeps a key from
 * naming a file outside the bundle directory or a URL other than the vendor's: a component
 * that passes has no slash, dot, percent sign or query character in it.
 */
final class KeyComponents {
  private static final Pattern PRODUCT = Pattern.compile("[A-Z][a-z]{1,31}");
  private static final Pattern HEX = Pattern.compile("[0-9A-Fa-f]*");

  private KeyComponents() {}

  /** An AMD product name as KDS spells it: one capitalised word, e.g. {@code Milan}. */
  static String product(String product) {
    Objects.requireNonNull(product, "product");
    if (!PRODUCT.matcher(product).matches()) {
      throw new IllegalArgumentException("not an AMD product name: " + quote(product));
    }
    return product;
  }

  /** Hexadecimal of one of the given lengths (in characters). */
  static String hex(String value, String what, int... lengths) {
    Objects.requireNonNull(value, what);
    boolean rightLength = Arrays.stream(lengths).anyMatch(l -> l == value.length());
    if (!rightLength || !HEX.matcher(value).matches()) {
      throw new IllegalArgumentException("a " + what + " is hexadecimal of "
          + Arrays.toString(lengths) + " characters, not " + quote(value));
    }
    return value;
  }

  /** A security patch level: one byte of a TCB_VERSION. */
  static void spl(int value, String what) {
    if (value < 0 || value > 255) {
      throw new IllegalArgumentException("the " + what + " SPL is a byte, not " + value);
    }
  }

  /** At most 64 printable characters of untrusted text, for a message. */
  static String quote(String s) {
    return "\"" + s.codePoints().limit(64)
        .map(c -> c >= 0x20 && c < 0x7f ? c : '?')
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        + "\"";
  }
}
