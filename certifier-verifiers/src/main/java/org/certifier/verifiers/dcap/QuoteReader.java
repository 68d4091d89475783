package org.certifier.verifiers.dcap;

import com.google.protobuf.ByteString;
import java.util.Objects;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;

/**
 * Reads a quote's little-endian fields in order, within a limit. Each read names its field, so
 * that a quote cut anywhere is refused with the field it ends in; nothing is ever padded.
 */
final class QuoteReader {
  private final byte[] bytes;
  private int position;
  private final int limit;

  QuoteReader(byte[] bytes, int from, int limit) {
    this.bytes = Objects.requireNonNull(bytes, "bytes");
    if (from < 0 || from > limit || limit > bytes.length) {
      throw new IllegalArgumentException("bad reader bounds");
    }
    this.position = from;
    this.limit = limit;
  }

  int position() {
    return position;
  }

  int remaining() {
    return limit - position;
  }

  int u16(String field) throws VerificationException {
    require(2, field);
    int value = (bytes[position] & 0xff) | (bytes[position + 1] & 0xff) << 8;
    position += 2;
    return value;
  }

  /** An unsigned 32-bit value; a length above {@link Integer#MAX_VALUE} can never fit. */
  long u32(String field) throws VerificationException {
    require(4, field);
    long value = 0;
    for (int i = 3; i >= 0; i--) {
      value = value << 8 | (bytes[position + i] & 0xff);
    }
    position += 4;
    return value;
  }

  ByteString bytes(int size, String field) throws VerificationException {
    require(size, field);
    ByteString value = ByteString.copyFrom(bytes, position, size);
    position += size;
    return value;
  }

  /** A sub-reader over the next {@code size} bytes, which this reader then skips. */
  QuoteReader sub(long size, String field) throws VerificationException {
    if (size > remaining()) {
      throw malformed(field + " claims " + size + " bytes, but only " + remaining()
          + " remain");
    }
    QuoteReader sub = new QuoteReader(bytes, position, position + (int) size);
    position += (int) size;
    return sub;
  }

  /** Every byte up to the limit must have been read: a field claims its exact extent. */
  void requireEnd(String structure) throws VerificationException {
    if (position != limit) {
      throw malformed(remaining() + " bytes follow the " + structure);
    }
  }

  private void require(int size, String field) throws VerificationException {
    if (size > remaining()) {
      throw malformed("the quote ends inside " + field);
    }
  }

  static VerificationException malformed(String detail) {
    return new VerificationException(Failure.MALFORMED_EVIDENCE, detail);
  }
}
