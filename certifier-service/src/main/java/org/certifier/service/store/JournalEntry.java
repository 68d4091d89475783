package org.certifier.service.store;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.certifier.transparency.LogVerificationException;

/**
 * What the embedded store's journal keeps of one {@link ServiceStore#record} call: the audit
 * entry as appended, with the sequence number it was given, and the certificate issued with it,
 * if any. Replaying it writes exactly the rows the call wrote.
 *
 * <p>Encoding, version 1, big-endian (this project's own): the byte 1; the entry's
 * {@link AuditEntry#canonicalBytes()} as a 4-byte length and the bytes; a presence byte (0 or 1)
 * for the certificate and, if present: its DER (4-byte length, bytes), then serial (decimal),
 * measurement, subject key digest, requester (a presence byte, then the text if present),
 * purpose and policy digest, each text as a 4-byte UTF-8 length and the bytes; notBefore and
 * notAfter as epoch seconds (8 bytes) and nanoseconds (4 bytes) each. Reading is strict: only
 * bytes that {@link #encode()} writes are accepted.
 */
record JournalEntry(AuditEntry entry, Optional<IssuedCertificate> issued) {
  private static final int VERSION = 1;

  JournalEntry {
    if (!entry.decision().serial().equals(issued.map(IssuedCertificate::serial))) {
      throw new IllegalArgumentException("the audit entry must name exactly the issued serial");
    }
  }

  byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      bytes(out, entry.canonicalBytes());
      out.writeByte(issued.isPresent() ? 1 : 0);
      if (issued.isPresent()) {
        IssuedCertificate cert = issued.get();
        bytes(out, cert.certificate());
        text(out, cert.serial().toString());
        text(out, cert.measurement());
        text(out, cert.subjectKeySha256());
        out.writeByte(cert.requester().isPresent() ? 1 : 0);
        if (cert.requester().isPresent()) {
          text(out, cert.requester().get());
        }
        text(out, cert.purpose());
        text(out, cert.policySha256());
        instant(out, cert.issuedAt());
        instant(out, cert.notAfter());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return bytes.toByteArray();
  }

  /**
   * Reads an entry back.
   *
   * @throws IllegalArgumentException if {@code payload} is not what {@link #encode()} writes
   */
  static JournalEntry decode(byte[] payload) {
    ByteBuffer in = ByteBuffer.wrap(payload);
    try {
      if (in.get() != VERSION) {
        throw new IllegalArgumentException("unknown journal record version");
      }
      AuditEntry entry = auditEntry(bytes(in));
      Optional<IssuedCertificate> issued = Optional.empty();
      if (presence(in)) {
        byte[] der = bytes(in);
        BigInteger serial = new BigInteger(text(in));
        String measurement = text(in);
        String subjectKey = text(in);
        Optional<String> requester = presence(in) ? Optional.of(text(in)) : Optional.empty();
        issued = Optional.of(new IssuedCertificate(serial, der, measurement, subjectKey,
            requester, text(in), text(in), instant(in), instant(in)));
      }
      if (in.hasRemaining()) {
        throw new IllegalArgumentException("bytes after the journal record");
      }
      JournalEntry decoded = new JournalEntry(entry, issued);
      if (!Arrays.equals(decoded.encode(), payload)) {
        throw new IllegalArgumentException("not the encoding of the record it describes");
      }
      return decoded;
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated journal record");
    } catch (DateTimeException | ArithmeticException e) {
      throw new IllegalArgumentException("a time out of range: " + e.getMessage());
    }
  }

  private static AuditEntry auditEntry(byte[] canonical) {
    try {
      return AuditEntry.parse(canonical);
    } catch (LogVerificationException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static boolean presence(ByteBuffer in) {
    byte b = in.get();
    if (b != 0 && b != 1) {
      throw new IllegalArgumentException("a presence byte is neither 0 nor 1");
    }
    return b == 1;
  }

  private static byte[] bytes(ByteBuffer in) {
    int length = in.getInt();
    if (length < 0 || length > in.remaining()) {
      throw new IllegalArgumentException("a field is longer than the record");
    }
    byte[] out = new byte[length];
    in.get(out);
    return out;
  }

  private static String text(ByteBuffer in) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes(in))).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("a text field is not UTF-8");
    }
  }

  private static Instant instant(ByteBuffer in) {
    return Instant.ofEpochSecond(in.getLong(), in.getInt());
  }

  private static void bytes(DataOutputStream out, byte[] value) throws IOException {
    out.writeInt(value.length);
    out.write(value);
  }

  private static void text(DataOutputStream out, String value) throws IOException {
    bytes(out, value.getBytes(StandardCharsets.UTF_8));
  }

  private static void instant(DataOutputStream out, Instant value) throws IOException {
    out.writeLong(value.getEpochSecond());
    out.writeInt(value.getNano());
  }
}
