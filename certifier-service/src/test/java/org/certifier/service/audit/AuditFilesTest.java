package org.certifier.service.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.StringReader;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.certifier.service.store.AuditEntry;
import org.certifier.service.store.DecisionRecord;
import org.certifier.transparency.InclusionProof;
import org.certifier.transparency.LogFailure;
import org.certifier.transparency.LogVerificationException;
import org.junit.jupiter.api.Test;

/** The auditor's files and the entry encoding they carry, read back strictly. */
class AuditFilesTest {
  private static final AuditEntry ADMITTED = new AuditEntry(7, DecisionRecord.admitted(
      Instant.parse("2026-11-22T12:00:00.125Z"), Optional.of("b".repeat(64)),
      Optional.of("10.0.0.1"), "authentication", "9f2b", Optional.of(BigInteger.valueOf(1042)),
      "c".repeat(64), "a".repeat(64), "1: policyKey is-trusted\n2: üñí"));

  @Test
  void anEntryReadsBackFromItsCanonicalBytes() throws Exception {
    assertEquals(ADMITTED, AuditEntry.parse(ADMITTED.canonicalBytes()));
    AuditEntry rejected = new AuditEntry(0, AuditLogFixture.rejection(3));
    assertEquals(rejected, AuditEntry.parse(rejected.canonicalBytes()));
  }

  @Test
  void malformedEntriesAreRefused() {
    byte[] good = ADMITTED.canonicalBytes();
    List<byte[]> bad = List.of(new byte[0], Arrays.copyOf(good, 5),
        Arrays.copyOf(good, good.length - 1), Arrays.copyOf(good, good.length + 1),
        with(good, 0, 2), with(good, 17, 2), with(good, 18, 0x7f), with(good, 17 + 1 + 4, 0xff));
    for (byte[] b : bad) {
      assertEquals(LogFailure.MALFORMED, assertThrows(LogVerificationException.class,
          () -> AuditEntry.parse(b)).failure());
    }
  }

  /** Any changed byte either fails to parse or parses to an entry that encodes to it. */
  @Property(tries = 500)
  void aMutatedEntryNeverParsesToSomethingElse(@ForAll @IntRange(min = 0, max = 400) int at,
      @ForAll @IntRange(min = 0, max = 255) int value) {
    byte[] good = ADMITTED.canonicalBytes();
    byte[] mutated = with(good, at % good.length, value);
    try {
      assertArrayEquals(mutated, AuditEntry.parse(mutated).canonicalBytes());
    } catch (LogVerificationException e) {
      assertEquals(LogFailure.MALFORMED, e.failure());
    }
  }

  @Test
  void aProofFileReadsBackAndAnEntryPresentedElsewhereIsOutOfOrder() throws Exception {
    InclusionProof proof = new InclusionProof(7, 8, List.of(new byte[32], new byte[32],
        new byte[32]));
    String text = new AuditEntryProof(ADMITTED, proof).toText();
    assertEquals(ADMITTED, AuditEntryProof.parse(text, "proof").entry());
    String moved = text.replace("leaf-index 7", "leaf-index 6");
    assertEquals(LogFailure.ENTRY_OUT_OF_ORDER, assertThrows(LogVerificationException.class,
        () -> AuditEntryProof.parse(moved, "proof")).failure());
    for (String bad : new String[] {text.replace("path ", "path 0"), text + "path x\n",
        text.replace("entry ", "entry 0"), text.substring(0, text.length() - 1)}) {
      assertEquals(LogFailure.MALFORMED, assertThrows(LogVerificationException.class,
          () -> AuditEntryProof.parse(bad, "proof")).failure(), bad);
    }
  }

  @Test
  void aCutOrPaddedExportIsMalformed() throws Exception {
    String header = "certifier-audit-export v1\nfirst 0\n";
    String row = "row 0 " + "0".repeat(64) + " 00\n";
    for (String bad : new String[] {header + row, header + row + "rows 2\n",
        header + row + "rows 1\nrow 1 x -\n", header + "row 01 x -\nrows 1\n",
        header + "row 0 x\nrows 1\n", "certifier-audit-export v2\nfirst 0\nrows 0\n",
        "certifier-audit-export v1\nrows 0\n", header + "row 0 x 0\nrows 1\n"}) {
      assertEquals(LogFailure.MALFORMED, assertThrows(LogVerificationException.class, () -> {
        AuditExport.In in = new AuditExport.In(new BufferedReader(new StringReader(bad)), "e");
        while (in.next().isPresent()) {
          // read to the end
        }
      }, bad).failure());
    }
  }

  private static byte[] with(byte[] bytes, int at, int value) {
    byte[] copy = bytes.clone();
    copy[at] = (byte) value;
    return copy;
  }
}
