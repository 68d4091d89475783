package org.certifier.service.audit;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.certifier.service.store.AuditEntry;
import org.certifier.transparency.ConsistencyProof;
import org.certifier.transparency.LogFailure;
import org.certifier.transparency.LogVerificationException;
import org.certifier.transparency.MerkleHash;
import org.certifier.transparency.SignedTreeHead;
import org.certifier.transparency.TreeBuilder;

/**
 * Checks the audit log offline, from files and the policy certificate's key only: no database,
 * nothing from the service trusted but what the policy key signed. Each check ends in success
 * or a {@link LogVerificationException} naming the first thing found wrong.
 */
public final class AuditVerifier {
  private AuditVerifier() {}

  /** What a whole-log check covered. */
  public record LogSummary(long entries, List<SignedTreeHead> headsMatched) {}

  /** The entry in {@code proof} is in the log the signed {@code head} describes. */
  public static void verifyInclusion(AuditEntryProof proof, SignedTreeHead head,
      PublicKey policyKey) throws LogVerificationException {
    head.verify(policyKey);
    if (proof.proof().treeSize() != head.treeSize()) {
      throw new LogVerificationException(LogFailure.SIZE_MISMATCH, "the proof is for a tree of "
          + proof.proof().treeSize() + " entries, the tree head is of " + head.treeSize());
    }
    proof.proof().verify(MerkleHash.leaf(proof.entry().canonicalBytes()), head.rootHash());
  }

  /** The log {@code newer} describes extends, unchanged, the one {@code older} describes. */
  public static void verifyConsistency(SignedTreeHead older, SignedTreeHead newer,
      ConsistencyProof proof, PublicKey policyKey) throws LogVerificationException {
    older.verify(policyKey);
    newer.verify(policyKey);
    if (older.treeSize() > newer.treeSize()) {
      throw new LogVerificationException(LogFailure.SIZE_MISMATCH, "the old tree head ("
          + older.treeSize() + " entries) is larger than the new one (" + newer.treeSize()
          + "): give them in the order they were signed");
    }
    if (proof.oldSize() != older.treeSize() || proof.newSize() != newer.treeSize()) {
      throw new LogVerificationException(LogFailure.SIZE_MISMATCH, "the proof is from "
          + proof.oldSize() + " to " + proof.newSize() + " entries, the tree heads are of "
          + older.treeSize() + " and " + newer.treeSize());
    }
    proof.verify(older.rootHash(), newer.rootHash());
  }

  /**
   * Recomputes the tree from an export of the log from its first entry, checking each row
   * (its content hashes to its stored leaf hash, it sits at its own sequence number) and, at
   * each head's size, that the entries so far hash to the root that head signed.
   */
  public static LogSummary verifyLog(AuditExport.In export, List<SignedTreeHead> heads,
      PublicKey policyKey) throws IOException, LogVerificationException {
    for (SignedTreeHead head : heads) {
      head.verify(policyKey);
    }
    if (export.first() != 0) {
      throw new LogVerificationException(LogFailure.SIZE_MISMATCH, "the export starts at entry "
          + export.first() + "; recomputing a root needs the log from entry 0");
    }
    List<SignedTreeHead> pending = new ArrayList<>(heads);
    pending.sort(Comparator.comparingLong(SignedTreeHead::treeSize));
    List<SignedTreeHead> matched = new ArrayList<>();
    TreeBuilder tree = TreeBuilder.empty();
    checkHeadsAt(tree, pending, matched);
    for (Optional<AuditExport.Row> next = export.next(); next.isPresent();
        next = export.next()) {
      AuditExport.Row row = next.get();
      long position = tree.size();
      if (row.seq() > position) {
        throw new LogVerificationException(LogFailure.ENTRY_MISSING, "entry " + position
            + " is missing (the next row is " + row.seq() + ")");
      }
      if (row.seq() < position) {
        throw new LogVerificationException(LogFailure.ENTRY_OUT_OF_ORDER, "row " + row.seq()
            + " appears again after entry " + (position - 1));
      }
      byte[] leaf = checkedLeaf(row);
      tree.append(leaf);
      checkHeadsAt(tree, pending, matched);
    }
    if (!pending.isEmpty()) {
      throw new LogVerificationException(LogFailure.ENTRY_MISSING, "the tree head signed "
          + pending.getFirst().treeSize() + " entries; the export has only " + tree.size());
    }
    return new LogSummary(tree.size(), List.copyOf(matched));
  }

  /** The leaf hash of a row, after checking the row is an entry, in place, unchanged. */
  private static byte[] checkedLeaf(AuditExport.Row row) throws LogVerificationException {
    if (row.entry().isEmpty()) {
      throw new LogVerificationException(LogFailure.ENTRY_ALTERED, "row " + row.seq()
          + " does not form a valid audit entry: the row was altered");
    }
    AuditEntry entry;
    try {
      entry = AuditEntry.parse(row.entry().get());
    } catch (LogVerificationException e) {
      throw new LogVerificationException(LogFailure.MALFORMED, "row " + row.seq() + ": "
          + e.getMessage(), e);
    }
    if (entry.seq() != row.seq()) {
      throw new LogVerificationException(LogFailure.ENTRY_OUT_OF_ORDER, "the entry in row "
          + row.seq() + " is entry " + entry.seq());
    }
    byte[] leaf = MerkleHash.leaf(row.entry().get());
    if (!HexFormat.of().formatHex(leaf).equals(row.storedLeafHash())) {
      throw new LogVerificationException(LogFailure.ENTRY_ALTERED, "entry " + row.seq()
          + " no longer hashes to the leaf hash stored with it: the row was altered");
    }
    return leaf;
  }

  private static void checkHeadsAt(TreeBuilder tree, List<SignedTreeHead> pending,
      List<SignedTreeHead> matched) throws LogVerificationException {
    while (!pending.isEmpty() && pending.getFirst().treeSize() == tree.size()) {
      SignedTreeHead head = pending.removeFirst();
      if (!MessageDigest.isEqual(tree.root(), head.rootHash())) {
        throw new LogVerificationException(LogFailure.ROOT_MISMATCH, "the first "
            + head.treeSize() + " entries do not hash to the root of the tree head signed at "
            + head.timestamp() + ": entries it covers were changed, removed or reordered");
      }
      matched.add(head);
    }
  }
}
