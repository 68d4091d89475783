package org.certifier.service.audit;

import java.io.IOException;
import java.io.Writer;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.certifier.crypto.CryptoException;
import org.certifier.service.DomainKeys;
import org.certifier.service.store.AuditEntry;
import org.certifier.service.store.AuditRow;
import org.certifier.service.store.AuditTreeHead;
import org.certifier.service.store.AuditTreeNode;
import org.certifier.service.store.ServiceStore;
import org.certifier.service.store.StoreException;
import org.certifier.transparency.ConsistencyProof;
import org.certifier.transparency.InclusionProof;
import org.certifier.transparency.LogVerificationException;
import org.certifier.transparency.MerkleProofs;
import org.certifier.transparency.SignedTreeHead;
import org.certifier.transparency.Subtree;
import org.certifier.transparency.SubtreeHashes;
import org.certifier.transparency.TreeBuilder;

/**
 * The audit log as a tamper-evident log (RFC 6962 / 9162 style): a Merkle tree over the entries
 * in sequence order, heads of it signed with the domain's policy key, and proofs against them.
 *
 * <p>The tree's nodes are kept in the store (every complete subtree's hash), so a root or a
 * proof takes O(log n) node lookups however long the log is; new entries are hashed into the
 * tree once, in batches, when a head or proof needs them. Extending is a compare-and-set on the
 * covered size, so replicas sharing one database build one tree between them, and a head only
 * ever covers a prefix of the log without gaps (the store's sequence numbers have none).
 * Entries are checked against their stored leaf hash as they are taken in: no head is signed
 * over a row altered before it was covered. Every new head must be consistent with the newest
 * stored one, or it is not signed.
 */
public final class AuditLog {
  /** Entries read, and their nodes written, per transaction when the tree catches up. */
  private static final int BATCH = 4096;
  private static final HexFormat HEX = HexFormat.of();

  private final ServiceStore store;
  private final X509Certificate policyCertificate;
  private final Optional<DomainKeys> signer;
  private final Clock clock;
  private final SubtreeHashes<IOException> nodes = this::node;
  /** One catch-up per process at a time; other processes are kept out by the store. */
  private final Object extending = new Object();

  private AuditLog(ServiceStore store, X509Certificate policyCertificate,
      Optional<DomainKeys> signer, Clock clock) {
    this.store = store;
    this.policyCertificate = policyCertificate;
    this.signer = signer;
    this.clock = clock;
  }

  /** The log of the service with {@code keys}: reads, proves, and signs new tree heads. */
  public static AuditLog signing(ServiceStore store, DomainKeys keys, Clock clock) {
    return new AuditLog(store, keys.certificate(), Optional.of(keys), clock);
  }

  /** The log read with the policy certificate only: proofs and stored heads, no new heads. */
  public static AuditLog readOnly(ServiceStore store, X509Certificate policyCertificate) {
    return new AuditLog(store, policyCertificate, Optional.empty(), Clock.systemUTC());
  }

  /** SHA-256 of the policy certificate's public key: names this log in its tree heads. */
  public byte[] logId() {
    return SignedTreeHead.logId(policyKey());
  }

  /** The number of entries in the log now. */
  public long size() throws IOException {
    return store.auditSize();
  }

  /**
   * A signed head of the whole log as it is now: the stored one if a head for this size was
   * signed before (by any replica), else a new one, signed and stored.
   *
   * @throws StoreException if the log cannot be covered (an entry altered or missing), or the
   *     new head would not be consistent with the newest stored one; nothing is signed then
   */
  public SignedTreeHead currentTreeHead() throws IOException {
    DomainKeys keys = signer.orElseThrow(() -> new IllegalStateException(
        "this audit log was opened without the policy key and cannot sign tree heads"));
    // The newest head first, then the size: a head only covers committed entries, so read in
    // this order it is never larger than the log, unless entries were removed.
    Optional<SignedTreeHead> latest = latestTreeHead();
    long size = store.auditSize();
    extendTo(size);
    byte[] root = MerkleProofs.root(size, nodes);
    Optional<SignedTreeHead> stored = treeHead(size);
    if (stored.isPresent()) {
      requireRoot(stored.get(), root);
      return stored.get();
    }
    if (latest.isPresent()) {
      requireExtends(latest.get(), size, root);
    }
    SignedTreeHead head;
    try {
      head = SignedTreeHead.sign(size, clock.instant(), root, policyKey(), keys.privateKey());
    } catch (CryptoException e) {
      throw new StoreException("cannot sign the tree head: " + e.getMessage(), e);
    }
    if (store.saveAuditTreeHead(new AuditTreeHead(size, HEX.formatHex(root), head.timestamp(),
        head.toText()))) {
      return head;
    }
    // Another replica signed this size first; its head is as good and is the one kept.
    SignedTreeHead theirs = treeHead(size).orElseThrow(() -> new StoreException(
        "the tree head of " + size + " entries vanished"));
    requireRoot(theirs, root);
    return theirs;
  }

  /** The stored head for {@code treeSize}, checked against the policy key. */
  public Optional<SignedTreeHead> treeHead(long treeSize) throws IOException {
    return checked(store.auditTreeHead(treeSize));
  }

  /** The stored head of the largest size, checked against the policy key. */
  public Optional<SignedTreeHead> latestTreeHead() throws IOException {
    return checked(store.latestAuditTreeHead());
  }

  /** Proof that entry {@code index} is in the tree of the first {@code treeSize} entries. */
  public InclusionProof inclusionProof(long index, long treeSize) throws IOException {
    requireSize(treeSize);
    extendTo(treeSize);
    return MerkleProofs.inclusionProof(index, treeSize, nodes);
  }

  /** Entry {@code index} with the proof that it is in the tree of {@code treeSize} entries. */
  public AuditEntryProof prove(long index, long treeSize) throws IOException {
    InclusionProof proof = inclusionProof(index, treeSize);
    List<AuditEntry> entry = store.auditLog(index, 1);
    if (entry.isEmpty() || entry.getFirst().seq() != index) {
      throw new StoreException("audit entry " + index + " is missing: the log was altered");
    }
    return new AuditEntryProof(entry.getFirst(), proof);
  }

  /** Proof that the tree of {@code oldSize} entries is a prefix of that of {@code newSize}. */
  public ConsistencyProof consistencyProof(long oldSize, long newSize) throws IOException {
    requireSize(newSize);
    extendTo(newSize);
    return MerkleProofs.consistencyProof(oldSize, newSize, nodes);
  }

  /**
   * Writes the rows {@code from} to {@code to - 1} exactly as stored, altered or not, for an
   * auditor ({@link AuditExport}).
   *
   * @return the number of rows written (fewer than asked if rows are missing)
   */
  public long export(long from, long to, Writer out) throws IOException {
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("no rows from " + from + " to " + to);
    }
    AuditExport.Out export = new AuditExport.Out(out, from);
    long next = from;
    long written = 0;
    while (next < to) {
      List<AuditRow> rows = store.auditRows(next, (int) Math.min(BATCH, to - next));
      for (AuditRow row : rows) {
        if (row.seq() >= to) {
          break;
        }
        export.write(row);
        written++;
      }
      if (rows.isEmpty() || rows.getLast().seq() >= to - 1) {
        break;
      }
      next = rows.getLast().seq() + 1;
    }
    export.finish();
    return written;
  }

  /** Hashes the entries up to {@code size} into the stored tree, if they are not yet. */
  private void extendTo(long size) throws IOException {
    synchronized (extending) {
      TreeBuilder tree = null;
      long covered = store.auditTreeSize();
      while (covered < size) {
        if (tree == null || tree.size() != covered) {
          tree = resume(covered);
        }
        long to = Math.min(size, covered + BATCH);
        List<AuditEntry> entries = store.auditLog(covered, (int) (to - covered));
        List<AuditTreeNode> added = new ArrayList<>();
        for (int i = 0; i < to - covered; i++) {
          if (i >= entries.size() || entries.get(i).seq() != covered + i) {
            throw new StoreException("audit entry " + (covered + i)
                + " is missing: the log was altered");
          }
          for (TreeBuilder.Node node : tree.append(HEX.parseHex(entries.get(i).leafHash()))) {
            added.add(new AuditTreeNode(node.subtree().level(), node.subtree().index(),
                HEX.formatHex(node.hash())));
          }
        }
        if (store.extendAuditTree(covered, to, added)) {
          covered = to;
        } else {
          tree = null; // another replica got there first: continue from what it stored
          covered = store.auditTreeSize();
        }
      }
    }
  }

  private TreeBuilder resume(long covered) throws IOException {
    List<byte[]> frontier = new ArrayList<>();
    for (Subtree subtree : TreeBuilder.frontier(covered)) {
      frontier.add(node(subtree));
    }
    return TreeBuilder.resume(covered, frontier);
  }

  private byte[] node(Subtree complete) throws IOException {
    AuditTreeNode node = store.auditTreeNode(complete.level(), complete.index())
        .orElseThrow(() -> new StoreException("the audit tree has no node for the entries "
            + complete + ": the tree was altered"));
    return HEX.parseHex(node.hash());
  }

  private void requireSize(long treeSize) throws IOException {
    long size = store.auditSize();
    if (treeSize < 0 || treeSize > size) {
      throw new IllegalArgumentException("the audit log has " + size + " entries, not "
          + treeSize);
    }
  }

  private void requireRoot(SignedTreeHead head, byte[] root) throws StoreException {
    if (!MessageDigest.isEqual(head.rootHash(), root)) {
      throw new StoreException("the stored tree head of " + head.treeSize()
          + " entries does not match the tree: the tree or the heads were altered");
    }
  }

  /** Refuses to sign a head that does not extend the newest one signed before. */
  private void requireExtends(SignedTreeHead latest, long size, byte[] root)
      throws IOException {
    if (latest.treeSize() > size) {
      throw new StoreException("a tree head of " + latest.treeSize() + " entries was signed,"
          + " and the log now has " + size + ": entries were removed");
    }
    try {
      MerkleProofs.consistencyProof(latest.treeSize(), size, nodes)
          .verify(latest.rootHash(), root);
    } catch (LogVerificationException e) {
      throw new StoreException("the log is not an extension of the tree head of "
          + latest.treeSize() + " entries signed at " + latest.timestamp() + " ("
          + e.getMessage() + "); refusing to sign", e);
    }
  }

  private Optional<SignedTreeHead> checked(Optional<AuditTreeHead> stored) throws IOException {
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    try {
      SignedTreeHead head = SignedTreeHead.parse(stored.get().text(),
          "stored tree head of " + stored.get().treeSize() + " entries");
      head.verify(policyKey());
      if (head.treeSize() != stored.get().treeSize()) {
        throw new StoreException("the stored tree head of " + stored.get().treeSize()
            + " entries is a head of " + head.treeSize() + ": the heads were altered");
      }
      return Optional.of(head);
    } catch (LogVerificationException e) {
      throw new StoreException("a stored tree head does not verify (" + e.failure().code() + ": "
          + e.getMessage() + "): the heads were altered", e);
    }
  }

  private PublicKey policyKey() {
    return policyCertificate.getPublicKey();
  }
}
