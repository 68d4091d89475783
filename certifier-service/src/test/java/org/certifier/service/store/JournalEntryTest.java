package org.certifier.service.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** A journal record's encoding: round trips, and strictness on bytes it did not write. */
class JournalEntryTest {
  private static final Instant AT = Instant.parse("2026-11-23T10:15:30.123Z");
  private static final String DIGEST = "d".repeat(64);

  static IssuedCertificate issued(long serial) {
    return new IssuedCertificate(BigInteger.valueOf(serial), new byte[] {0x30, 3, 1, 2, 3},
        "ab01", DIGEST, Optional.of("10.0.0.7"), "authentication", DIGEST,
        Instant.parse("2026-11-23T10:15:30Z"), Instant.parse("2026-12-23T10:15:30.5Z"));
  }

  static JournalEntry admission(long seq, long serial) {
    return new JournalEntry(new AuditEntry(seq, DecisionRecord.admitted(AT,
        Optional.of(DIGEST), Optional.of("10.0.0.7"), "authentication", "ab01",
        Optional.of(BigInteger.valueOf(serial)), DIGEST, DIGEST, "1: proof\n2: é")),
        Optional.of(issued(serial)));
  }

  static JournalEntry rejection(long seq) {
    return new JournalEntry(new AuditEntry(seq, DecisionRecord.rejected(AT, "expired",
        Optional.empty(), Optional.of("10.0.0.8"), Optional.empty())), Optional.empty());
  }

  @Example
  void roundTrips() {
    for (JournalEntry entry : new JournalEntry[] {admission(3, 1042), rejection(4)}) {
      JournalEntry back = JournalEntry.decode(entry.encode());
      assertEquals(entry.entry(), back.entry());
      assertEquals(entry.issued(), back.issued());
      assertEquals(entry.entry().leafHash(), back.entry().leafHash());
    }
  }

  @Example
  void anEntryNamesExactlyTheSerialIssuedWithIt() {
    assertThrows(IllegalArgumentException.class, () -> new JournalEntry(
        admission(0, 1000).entry(), Optional.of(issued(1001))));
    assertThrows(IllegalArgumentException.class, () -> new JournalEntry(
        admission(0, 1000).entry(), Optional.empty()));
    assertThrows(IllegalArgumentException.class, () -> new JournalEntry(
        rejection(0).entry(), Optional.of(issued(1000))));
  }

  @Example
  void everyTruncationIsRefused() {
    byte[] bytes = admission(3, 1042).encode();
    for (int length = 0; length < bytes.length; length++) {
      byte[] cut = Arrays.copyOf(bytes, length);
      assertThrows(IllegalArgumentException.class, () -> JournalEntry.decode(cut),
          "cut at " + length);
    }
  }

  @Example
  void trailingBytesAnUnknownVersionAndBadLengthsAreRefused() {
    byte[] bytes = rejection(1).encode();
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    assertThrows(IllegalArgumentException.class, () -> JournalEntry.decode(longer));
    byte[] version = bytes.clone();
    version[0] = 2;
    assertThrows(IllegalArgumentException.class, () -> JournalEntry.decode(version));
    byte[] length = bytes.clone();
    length[1] = (byte) 0x80; // the audit entry's length turns negative
    assertThrows(IllegalArgumentException.class, () -> JournalEntry.decode(length));
    byte[] huge = bytes.clone();
    huge[2] = 0x7f; // longer than the record
    assertThrows(IllegalArgumentException.class, () -> JournalEntry.decode(huge));
  }

  /** A changed byte is refused, or decodes to a record that encodes to exactly those bytes. */
  @Property(tries = 2000)
  void mutationsAreRefusedOrReadExactly(@ForAll @IntRange(min = 0, max = 10_000) int at,
      @ForAll @IntRange(min = 1, max = 255) int xor, @ForAll boolean admitted) {
    byte[] bytes = admitted ? admission(9, 4000).encode() : rejection(9).encode();
    bytes[at % bytes.length] ^= (byte) xor;
    JournalEntry decoded;
    try {
      decoded = JournalEntry.decode(bytes);
    } catch (IllegalArgumentException e) {
      return;
    }
    assertArrayEquals(bytes, decoded.encode());
  }
}
