package org.certifier.service.store;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

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

  public byte[] canonicalBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
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
    byte[] entry = canonicalBytes();
    byte[] leaf = new byte[entry.length + 1];
    System.arraycopy(entry, 0, leaf, 1, entry.length);
    return Hex.sha256(leaf);
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
