package org.certifier.service.store;

import java.io.Closeable;
import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.certifier.service.issue.SerialNumbers;

/**
 * Everything the Certifier Service keeps beyond its key and policy files: serial numbers, the
 * issuance log, the append-only audit log, revocations, and what the store itself is. One store
 * may be shared by several service replicas; every method is safe to call from many threads and
 * processes at once. Failures are {@link StoreException}s.
 */
public interface ServiceStore extends SerialNumbers, Closeable {

  /** What this store is: its schema version and the domain it belongs to. */
  record Metadata(String schemaVersion, String domainSha256) {}

  /**
   * The next certificate serial number, unique across all replicas and restarts (a database
   * sequence: a number is never handed out twice, though a crash may skip some).
   */
  @Override
  BigInteger next() throws IOException;

  /**
   * Appends {@code decision} to the audit log and, if it issued a certificate, adds
   * {@code issued} to the issuance log, in one transaction: both are kept or neither is. The
   * service calls this before it answers, so whatever a client holds is in the log.
   *
   * @return the entry as appended, with its sequence number
   * @throws StoreException if nothing was recorded, e.g. because {@code issued}'s serial is
   *     already in the issuance log
   */
  AuditEntry record(DecisionRecord decision, Optional<IssuedCertificate> issued)
      throws IOException;

  /** The issued certificate with {@code serial}, if this store issued one. */
  Optional<IssuedCertificate> certificate(BigInteger serial) throws IOException;

  /** The number of entries in the audit log; they are numbered 0 to size - 1. */
  long auditSize() throws IOException;

  /**
   * Up to {@code max} audit entries from {@code fromSeq} on, in order. Each row is checked
   * against its stored leaf hash on the way out.
   *
   * @throws StoreException if a row no longer matches its hash (the log was altered)
   */
  List<AuditEntry> auditLog(long fromSeq, int max) throws IOException;

  /**
   * Records a revocation.
   *
   * @return false if that serial or measurement was already revoked (the first revocation,
   *     with its reason and time, stays)
   */
  boolean revoke(Revocation revocation) throws IOException;

  /** The revocation of the certificate with {@code serial}, if there is one. */
  Optional<Revocation> serialRevocation(BigInteger serial) throws IOException;

  /** The revocation of a measurement (lowercase hex), if there is one. */
  Optional<Revocation> measurementRevocation(String measurementHex) throws IOException;

  default boolean isRevoked(BigInteger serial) throws IOException {
    return serialRevocation(serial).isPresent();
  }

  default boolean isMeasurementRevoked(String measurementHex) throws IOException {
    return measurementRevocation(measurementHex).isPresent();
  }

  Metadata metadata();

  // Policy versions (docs/operations.md, "Policy updates").

  /**
   * Publishes a signed policy version for every replica to pick up. The store does not check the
   * signature (callers verify first, and readers verify again); it refuses any version not above
   * the newest ever published, atomically across all replicas and publishers.
   *
   * @throws PolicyRollbackException if a version at least as high is already published
   */
  void publishPolicy(PolicyVersion policy) throws IOException;

  /**
   * The newest policy version ever published, 0 if none: one row read, cheap enough for every
   * replica to ask every few seconds.
   */
  long newestPolicyVersion() throws IOException;

  /** Up to {@code max} published versions above {@code version}, the newest first. */
  List<PolicyVersion> policyVersionsAbove(long version, int max) throws IOException;

  // The operator API's reads and the published CRL (docs/operations.md, "Operator API").

  /**
   * Up to {@code max} issued certificates with serials from {@code fromSerial} on, by serial:
   * the issuance log page by page.
   */
  List<IssuedCertificate> certificates(BigInteger fromSerial, int max) throws IOException;

  /** The serials of every certificate issued to the measurement (lowercase hex), ascending. */
  List<BigInteger> serialsIssuedTo(String measurementHex) throws IOException;

  /** Every revocation, by serial and by measurement, in the order they were recorded. */
  List<Revocation> revocations() throws IOException;

  /** The CRL with the highest number, if one was ever published. */
  Optional<PublishedCrl> latestCrl() throws IOException;

  /**
   * Publishes {@code crl} unless a CRL with its number exists (another replica published one
   * first).
   *
   * @return false if that number was taken; nothing was stored
   */
  boolean publishCrl(PublishedCrl crl) throws IOException;

  // The audit log's Merkle tree and signed tree heads (org.certifier.service.audit.AuditLog).

  /**
   * Up to {@code max} audit rows from {@code fromSeq} on, in sequence order, exactly as stored:
   * nothing is checked, so an auditor sees altered or missing rows instead of an error.
   */
  List<AuditRow> auditRows(long fromSeq, int max) throws IOException;

  /** How many entries the stored tree nodes cover (entries 0 to size - 1). */
  long auditTreeSize() throws IOException;

  /**
   * Adds the nodes the entries {@code fromSize} to {@code toSize - 1} complete, and moves the
   * covered size from {@code fromSize} to {@code toSize}, in one transaction, if the covered size
   * is still {@code fromSize}.
   *
   * @return false, with nothing written, if another replica extended the tree first
   */
  boolean extendAuditTree(long fromSize, long toSize, List<AuditTreeNode> nodes)
      throws IOException;

  /** The stored node at {@code level}, {@code index}, if the tree has it yet. */
  Optional<AuditTreeNode> auditTreeNode(int level, long index) throws IOException;

  /**
   * Keeps a signed tree head.
   *
   * @return false if a head for that tree size is already stored (which then stays)
   */
  boolean saveAuditTreeHead(AuditTreeHead head) throws IOException;

  /** The stored tree head for {@code treeSize}, if one was signed. */
  Optional<AuditTreeHead> auditTreeHead(long treeSize) throws IOException;

  /** The stored tree head of the largest tree size, if any was signed. */
  Optional<AuditTreeHead> latestAuditTreeHead() throws IOException;
}
