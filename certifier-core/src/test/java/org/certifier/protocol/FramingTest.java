package org.certifier.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.certifier.testing.TestVectors;
import org.junit.jupiter.api.Test;

class FramingTest {

  @Property(tries = 200)
  void writtenFramesReadBack(@ForAll @Size(max = 5000) byte[] payload) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Framing.write(out, payload);
    byte[] frame = out.toByteArray();
    assertEquals(payload.length + 4, frame.length);
    assertEquals(0, frame[3], "the reference only uses three length bytes");
    assertArrayEquals(payload, Framing.read(new ByteArrayInputStream(frame), Framing.MAX_FRAME));
  }

  @Property(tries = 200)
  void truncatedFramesAreRejectedNotHung(@ForAll @Size(min = 1, max = 300) byte[] payload,
      @ForAll @IntRange(min = 1, max = 303) int cut) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Framing.write(out, payload);
    byte[] frame = out.toByteArray();
    int keep = Math.min(cut, frame.length - 1);
    assertThrows(FramingException.class, () ->
        Framing.read(new ByteArrayInputStream(Arrays.copyOf(frame, keep)), Framing.MAX_FRAME));
  }

  @Property(tries = 200)
  void oversizedLengthsAreRejectedBeforeAllocation(@ForAll byte b0, @ForAll byte b1,
      @ForAll byte b2, @ForAll byte b3) {
    long length = (b0 & 0xffL) | (b1 & 0xffL) << 8 | (b2 & 0xffL) << 16 | (b3 & 0xffL) << 24;
    net.jqwik.api.Assume.that(length > 1000);
    InputStream in = new ByteArrayInputStream(new byte[] {b0, b1, b2, b3});
    FramingException e = assertThrows(FramingException.class, () -> Framing.read(in, 1000));
    assertEquals(true, e.getMessage().contains("exceeds the limit"));
  }

  @Test
  void largeFramesTakeTheUncopiedPathAndReadBack() throws IOException {
    byte[] payload = new byte[100_000];
    new java.util.Random(7).nextBytes(payload);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Framing.write(out, payload);
    byte[] frame = out.toByteArray();
    assertArrayEquals(new byte[] {(byte) 0xa0, (byte) 0x86, 0x01, 0},
        Arrays.copyOf(frame, 4), "100000 little-endian");
    assertArrayEquals(payload, Framing.read(new ByteArrayInputStream(frame), Framing.MAX_FRAME));
  }

  @Test
  void emptyStreamIsAnOrderlyClose() {
    assertThrows(EOFException.class,
        () -> Framing.read(new ByteArrayInputStream(new byte[0]), 10));
  }

  @Test
  void writingMoreThanTheReferenceCanReadIsRefused() {
    assertThrows(FramingException.class,
        () -> Framing.write(new ByteArrayOutputStream(), new byte[Framing.MAX_FRAME + 1]));
  }

  @Test
  void referenceCaptureFramesMatchTheirPayloads() throws IOException {
    for (String name : new String[] {"trust_request", "trust_request.tampered", "trust_response",
        "trust_response.failed"}) {
      byte[] framed = TestVectors.reference("wire/" + name + ".framed.bin");
      byte[] payload = TestVectors.reference("wire/" + name + ".pb");
      assertArrayEquals(payload, Framing.read(new ByteArrayInputStream(framed),
          Framing.MAX_FRAME), name);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Framing.write(out, payload);
      assertArrayEquals(framed, out.toByteArray(), name);
    }
  }
}
