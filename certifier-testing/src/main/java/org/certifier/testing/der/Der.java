package org.certifier.testing.der;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Just enough DER (ITU-T X.690) to write certificates by hand, including ones no certificate
 * library would produce: fakes need to make malformed and unusual encodings on purpose.
 */
public final class Der {
  private static final DateTimeFormatter UTC_TIME =
      DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

  private Der() {}

  /** A tag-length-value with the concatenated parts as content (definite length). */
  public static byte[] tlv(int tag, byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      content.writeBytes(p);
    }
    int length = content.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    if (length < 0x80) {
      out.write(length);
    } else if (length < 0x100) {
      out.write(0x81);
      out.write(length);
    } else if (length < 0x10000) {
      out.write(0x82);
      out.write(length >>> 8);
      out.write(length & 0xff);
    } else {
      throw new IllegalArgumentException("DER content of " + length + " bytes is too long here");
    }
    out.writeBytes(content.toByteArray());
    return out.toByteArray();
  }

  public static byte[] seq(byte[]... parts) {
    return tlv(0x30, parts);
  }

  /** An INTEGER in two's complement, as {@link BigInteger#toByteArray()} gives it. */
  public static byte[] integer(BigInteger value) {
    return tlv(0x02, value.toByteArray());
  }

  public static byte[] booleanTrue() {
    return tlv(0x01, new byte[] {(byte) 0xff});
  }

  public static byte[] octetString(byte[] value) {
    return tlv(0x04, value);
  }

  public static byte[] utf8String(String value) {
    return tlv(0x0C, value.getBytes(StandardCharsets.UTF_8));
  }

  public static byte[] printableString(String value) {
    return tlv(0x13, value.getBytes(StandardCharsets.US_ASCII));
  }

  /** An ENUMERATED of a small non-negative value. */
  public static byte[] enumerated(int value) {
    return tlv(0x0A, BigInteger.valueOf(value).toByteArray());
  }

  public static byte[] ia5String(String value) {
    return tlv(0x16, value.getBytes(StandardCharsets.US_ASCII));
  }

  public static byte[] bitString(byte[] bits, int unusedBits) {
    byte[] content = new byte[bits.length + 1];
    content[0] = (byte) unusedBits;
    System.arraycopy(bits, 0, content, 1, bits.length);
    return tlv(0x03, content);
  }

  /** UTCTime, which X.509 requires for dates up to 2049 (RFC 5280 §4.1.2.5). */
  public static byte[] utcTime(Instant time) {
    return tlv(0x17, UTC_TIME.format(time).getBytes(StandardCharsets.US_ASCII));
  }

  /** An OBJECT IDENTIFIER from its dotted form, e.g. {@code 1.3.6.1.4.1.3704.1.4}. */
  public static byte[] oid(String dotted) {
    String[] arcs = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(40 * Integer.parseInt(arcs[0]) + Integer.parseInt(arcs[1]));
    for (int i = 2; i < arcs.length; i++) {
      long arc = Long.parseLong(arcs[i]);
      int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(arc) + 6) / 7);
      for (int g = groups - 1; g >= 0; g--) {
        out.write((int) ((arc >>> (7 * g)) & 0x7f) | (g > 0 ? 0x80 : 0));
      }
    }
    return tlv(0x06, out.toByteArray());
  }
}
