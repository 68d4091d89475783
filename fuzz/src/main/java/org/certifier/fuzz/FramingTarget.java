package org.certifier.fuzz;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import org.certifier.protocol.Framing;

/** The service's frame reader over arbitrary streams: only IOExceptions, never a hang. */
public final class FramingTarget {
  static final List<String> SEEDS = List.of(
      "certifier-reference/wire/trust_request.framed.bin",
      "certifier-reference/wire/trust_response.framed.bin");

  private FramingTarget() {}

  public static void fuzzerTestOneInput(byte[] data) {
    ByteArrayInputStream in = new ByteArrayInputStream(data);
    try {
      while (in.available() > 0) {
        Framing.read(in, 1 << 16);
      }
    } catch (IOException expected) {
      // Cut, oversized and empty frames are errors with a message; that is the contract.
    }
  }
}
