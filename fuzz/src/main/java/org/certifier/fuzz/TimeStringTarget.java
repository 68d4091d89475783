package org.certifier.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.certifier.protocol.MalformedMessageException;
import org.certifier.protocol.TimeStrings;

/** Time points as the C++ and Go implementations write them. */
public final class TimeStringTarget {
  static final List<String> SEEDS = List.of();

  private TimeStringTarget() {}

  public static void fuzzerTestOneInput(byte[] data) {
    try {
      TimeStrings.parse(new String(data, StandardCharsets.UTF_8));
    } catch (MalformedMessageException expected) {
      // Impossible dates and foreign formats are refused.
    }
  }
}
