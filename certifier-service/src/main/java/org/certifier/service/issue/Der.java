package org.certifier.service.issue;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The DER of ITU-T X.690 that the admission certificate needs, written straight into arrays.
 * Certificates are issued on every certification; building them through a general ASN.1 object
 * model and parsing the result back cost more than the signature itself.
 */
final class Der {
  static final int BOOLEAN = 0x01;
  static final int INTEGER = 0x02;
  static final int BIT_STRING = 0x03;
  static final int OCTET_STRING = 0x04;
  static final int NULL = 0x05;
  static final int OID = 0x06;
  static final int PRINTABLE_STRING = 0x13;
  static final int UTC_TIME = 0x17;
  static final int GENERALIZED_TIME = 0x18;
  static final int SEQUENCE = 0x30;
  static final int SET = 0x31;

  private Der() {}

  /** Tag, definite length (X.690 §8.1.3, shortest form as §10.1 requires) and contents. */
  static byte[] tlv(int tag, byte[]... contents) {
    int length = 0;
    for (byte[] c : contents) {
      length += c.length;
    }
    int lengthOctets = length < 0x80 ? 0 : (39 - Integer.numberOfLeadingZeros(length)) / 8;
    byte[] out = new byte[2 + lengthOctets + length];
    out[0] = (byte) tag;
    if (lengthOctets == 0) {
      out[1] = (byte) length;
    } else {
      out[1] = (byte) (0x80 | lengthOctets);
      for (int i = 0; i < lengthOctets; i++) {
        out[2 + i] = (byte) (length >>> (8 * (lengthOctets - 1 - i)));
      }
    }
    int at = 2 + lengthOctets;
    for (byte[] c : contents) {
      System.arraycopy(c, 0, out, at, c.length);
      at += c.length;
    }
    return out;
  }

  static byte[] sequence(byte[]... contents) {
    return tlv(SEQUENCE, contents);
  }

  /** Two's complement, minimal (X.690 §8.3), as {@link BigInteger#toByteArray()} gives it. */
  static byte[] integer(BigInteger value) {
    return tlv(INTEGER, value.toByteArray());
  }

  /** An OBJECT IDENTIFIER from its dotted form (X.690 §8.19); used for constants only. */
  static byte[] oid(String dotted) {
    String[] arcs = dotted.split("\\.");
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    base128(body, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
    for (int i = 2; i < arcs.length; i++) {
      base128(body, Long.parseLong(arcs[i]));
    }
    return tlv(OID, body.toByteArray());
  }

  private static void base128(ByteArrayOutputStream out, long arc) {
    int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(arc) + 6) / 7);
    for (int g = groups - 1; g >= 0; g--) {
      out.write((int) ((arc >>> (7 * g)) & 0x7f) | (g == 0 ? 0 : 0x80));
    }
  }

  static byte[] printableString(String value) {
    return tlv(PRINTABLE_STRING, value.getBytes(StandardCharsets.US_ASCII));
  }

  /** A BIT STRING of whole octets (no unused bits), as signatures are. */
  static byte[] bitString(byte[] octets) {
    return tlv(BIT_STRING, new byte[] {0}, octets);
  }

  /**
   * A certificate validity time (RFC 5280 §4.1.2.5): UTCTime YYMMDDHHMMSSZ through 2049,
   * GeneralizedTime YYYYMMDDHHMMSSZ from 2050; whole seconds.
   */
  static byte[] time(Instant instant) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
    int year = t.getYear();
    if (year < 1950 || year > 9999) {
      throw new IllegalArgumentException("a certificate cannot carry the year " + year);
    }
    boolean utc = year < 2050;
    StringBuilder s = new StringBuilder(15);
    if (utc) {
      twoDigits(s, year % 100);
    } else {
      twoDigits(s, year / 100);
      twoDigits(s, year % 100);
    }
    twoDigits(s, t.getMonthValue());
    twoDigits(s, t.getDayOfMonth());
    twoDigits(s, t.getHour());
    twoDigits(s, t.getMinute());
    twoDigits(s, t.getSecond());
    s.append('Z');
    return tlv(utc ? UTC_TIME : GENERALIZED_TIME, s.toString().getBytes(StandardCharsets.US_ASCII));
  }

  private static void twoDigits(StringBuilder s, int value) {
    s.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
  }
}
