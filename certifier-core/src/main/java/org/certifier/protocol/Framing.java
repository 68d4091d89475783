package org.certifier.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The reference's "sized socket" framing (reference-certifier.md §2.1): a 4-byte little-endian
 * length, then that many bytes. Used on the Certifier Service connection and inside the secure
 * channel. Reads never trust the peer: the header is read fully, the length is bounded before
 * any allocation, and a short body is an error rather than a hang-until-garbage.
 */
public final class Framing {
  /** The Go service reads only three length bytes, so no frame can exceed 2^24 - 1 bytes. */
  public static final int MAX_FRAME = (1 << 24) - 1;
  /** Up to one TLS record of payload is copied into a single write with its header. */
  private static final int COALESCE_LIMIT = 16 * 1024;

  private Framing() {}

  /** Writes one frame. The 4th header byte is always 0 because of {@link #MAX_FRAME}. */
  public static void write(OutputStream out, byte[] payload) throws IOException {
    if (payload.length > MAX_FRAME) {
      throw new FramingException("frame of " + payload.length + " bytes exceeds the maximum of "
          + MAX_FRAME);
    }
    byte[] header = {(byte) payload.length, (byte) (payload.length >>> 8),
        (byte) (payload.length >>> 16), 0};
    if (payload.length <= COALESCE_LIMIT) {
      // One write: on TLS a separate 4-byte write would cost a record of its own.
      byte[] frame = new byte[4 + payload.length];
      System.arraycopy(header, 0, frame, 0, 4);
      System.arraycopy(payload, 0, frame, 4, payload.length);
      out.write(frame);
    } else {
      // Large payloads are not copied: the extra header record is noise next to them.
      out.write(header);
      out.write(payload);
    }
    out.flush();
  }

  /**
   * Reads one frame of at most {@code maxSize} bytes.
   *
   * @throws EOFException if the stream ends before the first header byte (an orderly close)
   * @throws FramingException if the header or body is cut short or the length is too large
   */
  public static byte[] read(InputStream in, int maxSize) throws IOException {
    if (maxSize < 0 || maxSize > MAX_FRAME) {
      throw new IllegalArgumentException("maxSize must be within 0.." + MAX_FRAME);
    }
    byte[] header = new byte[4];
    int got = readFully(in, header);
    if (got == 0) {
      throw new EOFException("connection closed before a frame started");
    }
    if (got < 4) {
      throw new FramingException("frame header cut short after " + got + " of 4 bytes");
    }
    long length = (header[0] & 0xffL) | (header[1] & 0xffL) << 8 | (header[2] & 0xffL) << 16
        | (header[3] & 0xffL) << 24;
    if (length > maxSize) {
      throw new FramingException("frame length " + length + " exceeds the limit of " + maxSize
          + " bytes");
    }
    byte[] body = new byte[(int) length];
    int read = readFully(in, body);
    if (read < body.length) {
      throw new FramingException("frame body cut short: " + read + " of " + length + " bytes");
    }
    return body;
  }

  private static int readFully(InputStream in, byte[] buffer) throws IOException {
    int off = 0;
    while (off < buffer.length) {
      int n = in.read(buffer, off, buffer.length - off);
      if (n < 0) {
        break;
      }
      off += n;
    }
    return off;
  }
}
