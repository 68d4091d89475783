package org.certifier.service.store;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.certifier.transparency.LogFailure;
import org.certifier.transparency.LogVerificationException;

/**
 * A decision at its place in the audit log. {@link #canonicalBytes()} is the entry's one byte
 * encoding, and {@link #leafHash()} its RFC 6962 leaf hash, SHA-256(0x00 || bytes): what the
 * tamper-evident Merkle tree over the log is built from, and what the store keeps per row, so
 * a row altered after the fact no longer matches its hash.
 *
 * <p>Encoding, version 1, big-endian: the byte 1; {@code seq} (8 bytes); {@code decidedAt} in
 * epoch milliseconds (8 bytes); then each field of {@link DecisionRecord} in declaration order
 * (failure code, evidence digest, requester, purpose, measurement, serial in decimal, artifact
 * digest, policy digest, proof) as a presence byte (0 absent, 1 present) followed, if present,
 * by its UTF-8 length (4 bytes) and UTF-8 bytes. Fixed order and explicit lengths make it
 * unambiguous: two different entries never encode alike.
 */
public record AuditEntry(long seq, DecisionRecord decision) {
  private static final int VERSION = 1;

  public AuditEntry {
    if (seq < 0) {
      throw new IllegalArgumentException("audit sequence numbers start at 0");
    }
  }

  private static final byte[] LEAF_PREFIX = {0x00};

  public byte[] canonicalBytes() {
    // Sized for the usual entry (a proof of a few steps) so the buffer does not grow.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(
        512 + decision.proof().map(String::length).orElse(0));
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeLong(seq);
      out.writeLong(decision.decidedAt().toEpochMilli());
      field(out, decision.failureCode());
      field(out, decision.evidenceSha256());
      field(out, decision.requester());
      field(out, decision.purpose());
      field(out, decision.measurement());
      field(out, decision.serial().map(Object::toString));
      field(out, decision.artifactSha256());
      field(out, decision.policySha256());
      field(out, decision.proof());
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return bytes.toByteArray();
  }

  /** SHA-256(0x00 || canonical bytes), lowercase hex. */
  public String leafHash() {
    return Hex.sha256(LEAF_PREFIX, canonicalBytes());
  }

  /**
   * Reads an entry back from its {@link #canonicalBytes()}, as an auditor gets them in an export
   * or a proof: strictly, so only bytes that {@link #canonicalBytes()} would write are accepted.
   *
   * @throws LogVerificationException {@link LogFailure#MALFORMED} for anything else
   */
  public static AuditEntry parse(byte[] bytes) throws LogVerificationException {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      if (in.get() != VERSION) {
        throw malformed("unknown encoding version");
      }
      long seq = in.getLong();
      Instant decidedAt = Instant.ofEpochMilli(in.getLong());
      Optional<String> failureCode = readField(in);
      Optional<String> evidence = readField(in);
      Optional<String> requester = readField(in);
      Optional<String> purpose = readField(in);
      Optional<String> measurement = readField(in);
      Optional<String> serial = readField(in);
      Optional<String> artifact = readField(in);
      Optional<String> policy = readField(in);
      Optional<String> proof = readField(in);
      if (in.hasRemaining()) {
        throw malformed("bytes after the last field");
      }
      Optional<BigInteger> serialValue = serial.isEmpty() ? Optional.empty()
          : Optional.of(new BigInteger(serial.get()));
      AuditEntry entry = new AuditEntry(seq, new DecisionRecord(decidedAt, failureCode,
          evidence, requester, purpose, measurement, serialValue, artifact, policy, proof));
      if (!Arrays.equals(entry.canonicalBytes(), bytes)) {
        throw malformed("not the canonical encoding of the entry it describes");
      }
      return entry;
    } catch (java.nio.BufferUnderflowException e) {
      throw malformed("truncated");
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      // NumberFormatException included: a serial that is not a decimal number.
      throw malformed(String.valueOf(e.getMessage()));
    }
  }

  private static Optional<String> readField(ByteBuffer in) throws LogVerificationException {
    byte present = in.get();
    if (present == 0) {
      return Optional.empty();
    }
    if (present != 1) {
      throw malformed("a field's presence byte is neither 0 nor 1");
    }
    int length = in.getInt();
    if (length < 0 || length > in.remaining()) {
      throw malformed("a field is longer than the entry");
    }
    ByteBuffer utf8 = in.slice(in.position(), length);
    in.position(in.position() + length);
    try {
      return Optional.of(StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(utf8).toString());
    } catch (CharacterCodingException e) {
      throw malformed("a field is not UTF-8");
    }
  }

  private static LogVerificationException malformed(String detail) {
    return new LogVerificationException(LogFailure.MALFORMED, "audit entry: " + detail);
  }

  private static void field(DataOutputStream out, Optional<String> value) throws IOException {
    if (value.isEmpty()) {
      out.writeByte(0);
      return;
    }
    byte[] utf8 = value.get().getBytes(StandardCharsets.UTF_8);
    out.writeByte(1);
    out.writeInt(utf8.length);
    out.write(utf8);
  }
}
