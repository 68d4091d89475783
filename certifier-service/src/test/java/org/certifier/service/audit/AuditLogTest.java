package org.certifier.service.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.certifier.service.ReferenceDomain;
import org.certifier.service.store.JdbcServiceStore;
import org.certifier.service.store.StoreException;
import org.certifier.transparency.ConsistencyProof;
import org.certifier.transparency.MerkleHash;
import org.certifier.transparency.SignedTreeHead;
import org.certifier.transparency.TreeBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tree heads and proofs of the audit log on the embedded database, checked offline. */
class AuditLogTest {
  @TempDir
  java.nio.file.Path dir;
  private AuditLogFixture f;
  private PublicKey key;

  @BeforeEach
  void open() throws Exception {
    f = new AuditLogFixture(dir);
    key = f.keys.certificate().getPublicKey();
  }

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void theHeadOfTheLogIsSignedKeptAndItsRootIsTheRootOfTheEntries() throws Exception {
    SignedTreeHead empty = f.log.currentTreeHead();
    assertEquals(0, empty.treeSize());
    assertArrayEquals(MerkleHash.emptyRoot(), empty.rootHash());
    f.growTo(37);
    SignedTreeHead head = f.log.currentTreeHead();
    head.verify(key);
    assertEquals(37, head.treeSize());
    assertArrayEquals(f.log.logId(), head.logId());
    TreeBuilder expected = TreeBuilder.empty();
    f.store.auditLog(0, 100).forEach(e -> expected.append(MerkleHash.leaf(e.canonicalBytes())));
    assertArrayEquals(expected.root(), head.rootHash());
    assertEquals(head, f.log.currentTreeHead(), "the same size gets the stored head back");
    assertEquals(head, f.log.latestTreeHead().orElseThrow());
    assertEquals(37, AuditVerifier.verifyLog(f.export(), List.of(empty, head), key).entries());
  }

  @Test
  void everyEntryIsProvenInEveryHeadAndEveryHeadExtendsTheOlderOnes() throws Exception {
    List<SignedTreeHead> heads = new ArrayList<>();
    for (int size : new int[] {1, 2, 3, 8, 13, 64, 65, 100}) {
      f.growTo(size);
      heads.add(f.log.currentTreeHead());
    }
    for (SignedTreeHead head : heads) {
      for (long i = 0; i < head.treeSize(); i++) {
        AuditEntryProof proof = AuditEntryProof.parse(
            f.log.prove(i, head.treeSize()).toText(), "proof");
        AuditVerifier.verifyInclusion(proof, head, key);
      }
      for (SignedTreeHead older : heads) {
        if (older.treeSize() <= head.treeSize()) {
          ConsistencyProof proof = ConsistencyProof.parse(
              f.log.consistencyProof(older.treeSize(), head.treeSize()).toText(), "proof");
          AuditVerifier.verifyConsistency(older, head, proof, key);
        }
      }
    }
  }

  @Test
  void replicasOnOneDatabaseBuildOneTreeAndAgreeOnHeads() throws Exception {
    try (JdbcServiceStore second = JdbcServiceStore.open(f.database, f.keys.certificate(), 4);
        ExecutorService pool = Executors.newFixedThreadPool(4)) {
      AuditLog other = AuditLog.signing(second, f.keys, ReferenceDomain.CLOCK);
      List<Future<SignedTreeHead>> heads = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        JdbcServiceStore store = t % 2 == 0 ? f.store : second;
        AuditLog log = t % 2 == 0 ? f.log : other;
        int thread = t;
        heads.add(pool.submit(() -> {
          SignedTreeHead last = null;
          for (int i = 0; i < 40; i++) {
            store.record(AuditLogFixture.rejection(thread * 100 + i), java.util.Optional.empty());
            if (i % 7 == 0) {
              last = log.currentTreeHead();
            }
          }
          return last;
        }));
      }
      for (Future<SignedTreeHead> h : heads) {
        h.get();
      }
      SignedTreeHead a = f.log.currentTreeHead();
      SignedTreeHead b = other.currentTreeHead();
      assertEquals(160, a.treeSize());
      assertEquals(a, b, "one head per size, whoever signed it");
      assertEquals(160, AuditVerifier.verifyLog(f.export(), List.of(a), key).entries());
    }
  }

  @Test
  void aRowAlteredBeforeItIsCoveredIsNeverSigned() throws Exception {
    f.growTo(10);
    f.alter(4, "expired", false);
    StoreException e = assertThrows(StoreException.class, f.log::currentTreeHead);
    assertTrue(e.getMessage().contains("audit entry 4"), e.getMessage());
  }

  @Test
  void aNewHeadMustExtendTheNewestStoredOne() throws Exception {
    f.growTo(10);
    f.log.currentTreeHead();
    f.alter(3, "expired", true);
    f.sql("DELETE FROM audit_tree_node");
    f.sql("UPDATE audit_tree_state SET size = 0");
    f.growTo(12);
    StoreException e = assertThrows(StoreException.class, f.log::currentTreeHead);
    assertTrue(e.getMessage().contains("not an extension"), e.getMessage());
  }

  @Test
  void proofsForSizesTheLogDoesNotHaveAreRefused() throws Exception {
    f.growTo(5);
    assertThrows(IllegalArgumentException.class, () -> f.log.inclusionProof(0, 6));
    assertThrows(IllegalArgumentException.class, () -> f.log.inclusionProof(5, 5));
    assertThrows(IllegalArgumentException.class, () -> f.log.consistencyProof(4, 3));
    assertThrows(IllegalStateException.class,
        () -> AuditLog.readOnly(f.store, f.keys.certificate()).currentTreeHead());
  }
}
