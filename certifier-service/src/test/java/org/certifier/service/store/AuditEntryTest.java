package org.certifier.service.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The audit entry's canonical encoding: what its leaf hash, and later the Merkle tree, cover. */
class AuditEntryTest {
  @Test
  void theCanonicalEncodingIsStable() {
    AuditEntry entry = new AuditEntry(7, DecisionRecord.rejected(
        Instant.parse("2026-01-02T03:04:05.678Z"), "expired", Optional.empty(),
        Optional.of("10.0.0.1"), Optional.empty()));
    byte[] expected = java.util.HexFormat.of().parseHex("01" + "0000000000000007"
        + "0000019b7ca98f2e" + "01" + "00000007" + hex("expired") + "00" + "01" + "00000008"
        + hex("10.0.0.1") + "00".repeat(6));
    assertArrayEquals(expected, entry.canonicalBytes());
  }

  private static String hex(String s) {
    return java.util.HexFormat.of().formatHex(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void theLeafHashIsSha256OfZeroAndTheEntry() {
    AuditEntry entry = new AuditEntry(0, DecisionRecord.rejected(Instant.EPOCH, "expired",
        Optional.empty(), Optional.empty(), Optional.empty()));
    byte[] bytes = entry.canonicalBytes();
    byte[] leaf = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, leaf, 1, bytes.length);
    assertEquals(Hex.sha256(leaf), entry.leafHash());
  }

  @Test
  void absentAndEmptyFieldsEncodeDifferently() {
    AuditEntry absent = new AuditEntry(0, DecisionRecord.rejected(Instant.EPOCH, "expired",
        Optional.empty(), Optional.empty(), Optional.empty()));
    AuditEntry empty = new AuditEntry(0, DecisionRecord.rejected(Instant.EPOCH, "expired",
        Optional.empty(), Optional.of(""), Optional.empty()));
    assertNotEquals(absent.leafHash(), empty.leafHash());
  }
}
