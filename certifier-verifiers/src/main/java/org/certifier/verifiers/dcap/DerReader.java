package org.certifier.verifiers.dcap;

import java.util.Arrays;
import java.util.Objects;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;

/**
 * Reads the few DER types (ITU-T X.690 §10) that Intel's PCK certificate extensions use, and
 * nothing else: single-byte tags, definite minimal lengths, minimal INTEGERs, BOOLEAN as 0x00 or
 * 0xFF. Anything a BER decoder would tolerate but DER forbids is refused, so that two readers can
 * never see different values in the same bytes.
 */
final class DerReader {
  static final int BOOLEAN = 0x01;
  static final int INTEGER = 0x02;
  static final int OCTET_STRING = 0x04;
  static final int OBJECT_IDENTIFIER = 0x06;
  static final int ENUMERATED = 0x0A;
  static final int SEQUENCE = 0x30;

  /** No element of a PCK extension comes near this; longer lengths are not expected. */
  private static final int MAX_LENGTH_OCTETS = 2;

  private final byte[] der;
  private final String what;
  private int position;
  private final int end;

  private DerReader(byte[] der, int from, int end, String what) {
    this.der = der;
    this.position = from;
    this.end = end;
    this.what = what;
  }

  /** A reader over all of {@code der}; {@code what} names it in error messages. */
  static DerReader of(byte[] der, String what) {
    Objects.requireNonNull(der, "der");
    return new DerReader(der, 0, der.length, Objects.requireNonNull(what, "what"));
  }

  /** An independent reader at the same position, to look ahead without consuming. */
  DerReader copy() {
    return new DerReader(der, position, end, what);
  }

  boolean hasMore() {
    return position < end;
  }

  /** The next tag, without consuming it. */
  int peekTag() throws VerificationException {
    if (!hasMore()) {
      throw malformed("ends where an element was expected");
    }
    return der[position] & 0xff;
  }

  /** A reader over the contents of the next SEQUENCE. */
  DerReader sequence() throws VerificationException {
    int length = header(SEQUENCE);
    DerReader sub = new DerReader(der, position, position + length, what);
    position += length;
    return sub;
  }

  byte[] octetString() throws VerificationException {
    return contents(OCTET_STRING);
  }

  /** An OBJECT IDENTIFIER in dotted form. */
  String oid() throws VerificationException {
    byte[] encoded = contents(OBJECT_IDENTIFIER);
    if (encoded.length == 0 || (encoded[encoded.length - 1] & 0x80) != 0) {
      throw malformed("has a truncated OBJECT IDENTIFIER");
    }
    StringBuilder dotted = new StringBuilder();
    long arc = 0;
    boolean first = true;
    for (int i = 0; i < encoded.length; i++) {
      int b = encoded[i] & 0xff;
      if (arc == 0 && b == 0x80) {
        throw malformed("has an OBJECT IDENTIFIER arc with a leading zero octet");
      }
      if (arc >>> 55 != 0) {
        throw malformed("has an OBJECT IDENTIFIER arc that is too large");
      }
      arc = arc << 7 | (b & 0x7f);
      if ((b & 0x80) == 0) {
        if (first) {
          long top = Math.min(arc / 40, 2);
          dotted.append(top).append('.').append(arc - 40 * top);
          first = false;
        } else {
          dotted.append('.').append(arc);
        }
        arc = 0;
      }
    }
    return dotted.toString();
  }

  /** A non-negative INTEGER no larger than {@code max}. */
  int integer(int max) throws VerificationException {
    return nonNegative(contents(INTEGER), max, "INTEGER");
  }

  /** A non-negative ENUMERATED no larger than {@code max}. */
  int enumerated(int max) throws VerificationException {
    return nonNegative(contents(ENUMERATED), max, "ENUMERATED");
  }

  boolean booleanValue() throws VerificationException {
    byte[] value = contents(BOOLEAN);
    if (value.length != 1 || (value[0] != 0 && value[0] != (byte) 0xff)) {
      throw malformed("has a BOOLEAN that is not DER (0x00 or 0xFF)");
    }
    return value[0] != 0;
  }

  /** Every byte must have been read. */
  void requireEnd() throws VerificationException {
    if (position != end) {
      throw malformed("has " + (end - position) + " unexpected bytes at its end");
    }
  }

  private int nonNegative(byte[] value, int max, String type) throws VerificationException {
    if (value.length == 0 || value.length > 1 && value[0] == 0 && (value[1] & 0x80) == 0
        || value.length > 1 && value[0] == (byte) 0xff && (value[1] & 0x80) != 0) {
      throw malformed("has an " + type + " that is not minimally encoded");
    }
    if ((value[0] & 0x80) != 0) {
      throw malformed("has a negative " + type);
    }
    long result = 0;
    for (byte b : value) {
      result = result << 8 | (b & 0xff);
      if (result > max) {
        throw malformed("has an " + type + " above " + max);
      }
    }
    return (int) result;
  }

  private byte[] contents(int tag) throws VerificationException {
    int length = header(tag);
    byte[] value = Arrays.copyOfRange(der, position, position + length);
    position += length;
    return value;
  }

  /** Reads a tag and a length, leaves the position at the contents and returns the length. */
  private int header(int tag) throws VerificationException {
    if (peekTag() != tag) {
      throw malformed(String.format("has tag 0x%02x where 0x%02x belongs", peekTag(), tag));
    }
    position++;
    if (!hasMore()) {
      throw malformed("ends inside a length");
    }
    int first = der[position++] & 0xff;
    int length;
    if (first < 0x80) {
      length = first;
    } else {
      int octets = first & 0x7f;
      if (octets == 0 || octets > MAX_LENGTH_OCTETS || octets > end - position) {
        throw malformed("has an unsupported or truncated length");
      }
      length = 0;
      for (int i = 0; i < octets; i++) {
        length = length << 8 | (der[position++] & 0xff);
      }
      // DER: the long form only where the short form cannot be used, with no leading zero.
      if (length < 0x80 || length >>> 8 * (octets - 1) == 0) {
        throw malformed("has a length that is not minimally encoded");
      }
    }
    if (length > end - position) {
      throw malformed("has an element longer than what contains it");
    }
    return length;
  }

  private VerificationException malformed(String detail) {
    return new VerificationException(Failure.MALFORMED_EVIDENCE, what + " " + detail);
  }
}
