package org.certifier.service.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.PublicKey;
import java.util.List;
import org.certifier.service.store.AuditEntry;
import org.certifier.transparency.ConsistencyProof;
import org.certifier.transparency.LogFailure;
import org.certifier.transparency.LogVerificationException;
import org.certifier.transparency.SignedTreeHead;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Raw SQL on the embedded database against the audit log, as someone with database access but
 * without the policy key would do it, and what the offline verifier reports. The auditor holds
 * the tree head of the first 16 entries, signed before the tampering.
 */
class AuditTamperingTest {
  @TempDir
  java.nio.file.Path dir;
  private AuditLogFixture f;
  private PublicKey key;
  private SignedTreeHead saved;

  @BeforeEach
  void logWithASavedHead() throws Exception {
    f = new AuditLogFixture(dir);
    key = f.keys.certificate().getPublicKey();
    f.growTo(16);
    saved = SignedTreeHead.parse(f.log.currentTreeHead().toText(), "saved head");
    f.growTo(20);
  }

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void anUntouchedLogVerifies() throws Exception {
    SignedTreeHead now = f.log.currentTreeHead();
    assertEquals(20, AuditVerifier.verifyLog(f.export(), List.of(saved, now), key).entries());
  }

  @Test
  void aModifiedRowNoLongerHashesToItsLeaf() throws Exception {
    f.alter(5, "expired", false);
    assertFails(LogFailure.ENTRY_ALTERED, () -> verifyLog());
  }

  @Test
  void aModifiedRowThatMakesNoValidEntryIsReportedAsAltered() throws Exception {
    f.sql("UPDATE audit_log SET evidence_sha256 = 'not hex' WHERE seq = 6");
    assertFails(LogFailure.ENTRY_ALTERED, () -> verifyLog());
  }

  @Test
  void aModifiedRowWithARecomputedLeafHashNoLongerMatchesTheSavedHead() throws Exception {
    f.alter(5, "expired", true);
    assertFails(LogFailure.ROOT_MISMATCH, () -> verifyLog());
    // The entry's inclusion proof against the saved head fails too.
    AuditEntryProof proof = f.log.prove(5, 16);
    assertFails(LogFailure.NOT_INCLUDED, () -> AuditVerifier.verifyInclusion(proof, saved, key));
  }

  @Test
  void aRewrittenTreeIsInconsistentWithTheSavedHead() throws Exception {
    // Rewrite the row, its leaf hash, the whole tree and the stored heads: the service then
    // signs a head of the rewritten log, but it is no extension of the one the auditor kept.
    f.alter(5, "expired", true);
    f.sql("DELETE FROM audit_tree_node");
    f.sql("UPDATE audit_tree_state SET size = 0");
    f.sql("DELETE FROM audit_tree_head");
    SignedTreeHead rewritten = f.log.currentTreeHead();
    ConsistencyProof proof = f.log.consistencyProof(16, 20);
    assertFails(LogFailure.INCONSISTENT,
        () -> AuditVerifier.verifyConsistency(saved, rewritten, proof, key));
    assertFails(LogFailure.ROOT_MISMATCH, () -> verifyLog());
  }

  @Test
  void aDeletedRowIsMissing() throws Exception {
    f.sql("DELETE FROM audit_log WHERE seq = 7");
    assertFails(LogFailure.ENTRY_MISSING, () -> verifyLog());
  }

  @Test
  void deletedLastRowsAreMissingAgainstTheHeadThatCoveredThem() throws Exception {
    f.sql("DELETE FROM audit_log WHERE seq >= 12");
    f.sql("UPDATE audit_head SET size = 12");
    assertFails(LogFailure.ENTRY_MISSING, () -> verifyLog());
  }

  @Test
  void reorderedRowsNoLongerHashToTheirLeaves() throws Exception {
    swap(3, 9);
    assertFails(LogFailure.ENTRY_ALTERED, () -> verifyLog());
  }

  @Test
  void reorderedRowsWithRecomputedLeafHashesNoLongerMatchTheSavedHead() throws Exception {
    swap(3, 9);
    for (long seq : new long[] {3, 9}) {
      AuditEntry moved = new AuditEntry(seq,
          f.store.auditRows(seq, 1).getFirst().entry().orElseThrow().decision());
      f.sql("UPDATE audit_log SET leaf_hash = ? WHERE seq = ?", moved.leafHash(), seq);
    }
    assertFails(LogFailure.ROOT_MISMATCH, () -> verifyLog());
  }

  /** Swaps two rows' positions: each keeps its content and its stored leaf hash. */
  private void swap(long a, long b) throws Exception {
    f.sql("UPDATE audit_log SET seq = -1 WHERE seq = ?", a);
    f.sql("UPDATE audit_log SET seq = ? WHERE seq = ?", a, b);
    f.sql("UPDATE audit_log SET seq = ? WHERE seq = -1", b);
  }

  private void verifyLog() throws Exception {
    AuditVerifier.verifyLog(f.export(), List.of(saved), key);
  }

  private interface Check {
    void run() throws Exception;
  }

  private static void assertFails(LogFailure expected, Check check) {
    LogVerificationException e = assertThrows(LogVerificationException.class, check::run);
    assertEquals(expected, e.failure(), e.getMessage());
  }
}
