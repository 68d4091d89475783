package org.certifier.transparency;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import org.certifier.crypto.CryptoException;
import org.certifier.crypto.Signatures;

/**
 * A log's size and root at a moment, signed by the domain's policy key: what an auditor keeps,
 * and later checks the log against (consistency) and entries against (inclusion).
 *
 * <p>The signed bytes ({@link #signedBytes()}), version 1, a fixed layout of 106 bytes,
 * integers big-endian:
 *
 * <pre>
 *   offset  size  field
 *        0    26  "CertifierAuditTreeHead/v1" in ASCII, then one 0x00 byte (no other message
 *                 the policy key signs starts like this)
 *       26    32  log id: SHA-256 of the policy certificate's public key (SubjectPublicKeyInfo DER)
 *       58     8  tree size: the number of entries covered
 *       66     8  timestamp: milliseconds since 1970-01-01T00:00:00Z
 *       74    32  root hash: MTH of the first tree-size entries (RFC 6962 §2.1)
 * </pre>
 *
 * <p>The signature is over exactly these bytes with the scheme the service signs certificates
 * with for that key: RSA PKCS#1 v1.5 with SHA-256, ECDSA P-256 with SHA-256, ECDSA P-384 with
 * SHA-384 (DER signatures), named by the reference's labels ({@link Signatures#defaultLabel}).
 * A verifier derives the scheme from the policy certificate and refuses any other label.
 */
public record SignedTreeHead(byte[] logId, long treeSize, Instant timestamp, byte[] rootHash,
    String signatureAlgorithm, byte[] signature) {
  private static final byte[] CONTEXT =
      "CertifierAuditTreeHead/v1\0".getBytes(StandardCharsets.US_ASCII);
  /** Length of {@link #signedBytes()}. */
  public static final int SIGNED_LENGTH = CONTEXT.length + 32 + 8 + 8 + 32;
  private static final String HEADER = "certifier-audit-tree-head v1";
  /** Far above any RSA-4096 or ECDSA signature; bounds what a parser accepts. */
  private static final int MAX_SIGNATURE = 1024;

  public SignedTreeHead {
    logId = MerkleHash.requireHash(logId, "log id").clone();
    rootHash = MerkleHash.requireHash(rootHash, "root hash").clone();
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(signatureAlgorithm, "signatureAlgorithm");
    if (treeSize < 0) {
      throw new IllegalArgumentException("negative tree size");
    }
    if (timestamp.getNano() % 1_000_000 != 0 || timestamp.isBefore(Instant.EPOCH)) {
      throw new IllegalArgumentException("a tree head's time is whole milliseconds after 1970");
    }
    if (signature.length == 0 || signature.length > MAX_SIGNATURE) {
      throw new IllegalArgumentException("a signature has 1 to " + MAX_SIGNATURE + " bytes");
    }
    signature = signature.clone();
  }

  /**
   * Signs the tree head of {@code treeSize} entries with root {@code rootHash} at
   * {@code timestamp} (kept to the millisecond) with the policy key.
   */
  public static SignedTreeHead sign(long treeSize, Instant timestamp, byte[] rootHash,
      PublicKey policyPublicKey, PrivateKey policyKey) throws CryptoException {
    Instant at = Instant.ofEpochMilli(timestamp.toEpochMilli());
    byte[] logId = logId(policyPublicKey);
    String label = Signatures.defaultLabel(policyPublicKey);
    byte[] tbs = signedBytes(logId, treeSize, at, rootHash);
    return new SignedTreeHead(logId, treeSize, at, rootHash, label,
        Signatures.sign(label, policyKey, tbs));
  }

  /** The log id of the log signed by {@code policyPublicKey}: SHA-256 of its SPKI DER. */
  public static byte[] logId(PublicKey policyPublicKey) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(policyPublicKey.getEncoded());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** The bytes the signature is over (layout in the class comment). */
  public byte[] signedBytes() {
    return signedBytes(logId, treeSize, timestamp, rootHash);
  }

  private static byte[] signedBytes(byte[] logId, long treeSize, Instant timestamp,
      byte[] rootHash) {
    return ByteBuffer.allocate(SIGNED_LENGTH).put(CONTEXT).put(logId).putLong(treeSize)
        .putLong(timestamp.toEpochMilli()).put(rootHash).array();
  }

  /**
   * Succeeds only for a head of the log of {@code policyPublicKey}, signed by it with the
   * scheme it signs with.
   */
  public void verify(PublicKey policyPublicKey) throws LogVerificationException {
    if (!MessageDigest.isEqual(logId, logId(policyPublicKey))) {
      throw new LogVerificationException(LogFailure.WRONG_LOG, "the tree head is of another"
          + " log than the one of this policy certificate");
    }
    try {
      String expected = Signatures.defaultLabel(policyPublicKey);
      if (!expected.equals(signatureAlgorithm)) {
        throw new LogVerificationException(LogFailure.WRONG_ALGORITHM, "the tree head is signed"
            + " with " + signatureAlgorithm + "; this policy key signs with " + expected);
      }
      if (!Signatures.verify(expected, policyPublicKey, signedBytes(), signature)) {
        throw new LogVerificationException(LogFailure.BAD_SIGNATURE,
            "the tree head's signature does not verify under the policy key");
      }
    } catch (CryptoException e) {
      throw new LogVerificationException(LogFailure.WRONG_ALGORITHM,
          "the policy key cannot verify tree heads: " + e.getMessage(), e);
    }
  }

  @Override
  public byte[] logId() {
    return logId.clone();
  }

  @Override
  public byte[] rootHash() {
    return rootHash.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** The tree head as a file (docs/operations.md, "Audit log"). */
  public String toText() {
    return new FieldText.Writer(HEADER)
        .put("log-id", logId)
        .put("tree-size", treeSize)
        .put("timestamp", timestamp.toString())
        .put("root-hash", rootHash)
        .put("signature-algorithm", signatureAlgorithm)
        .put("signature", signature)
        .toString();
  }

  /** Reads what {@link #toText()} wrote; {@code what} names the input in messages. */
  public static SignedTreeHead parse(String text, String what) throws LogVerificationException {
    FieldText.Reader in = new FieldText.Reader(text, HEADER, what);
    byte[] logId = in.hash("log-id");
    long size = in.number("tree-size");
    String time = in.value("timestamp");
    Instant timestamp;
    try {
      timestamp = Instant.parse(time);
    } catch (DateTimeParseException e) {
      throw in.malformed("timestamp is not an instant like 2026-01-01T00:00:00Z");
    }
    if (!timestamp.toString().equals(time)) {
      throw in.malformed("timestamp is not written as the service writes it: " + time);
    }
    byte[] root = in.hash("root-hash");
    String algorithm = in.value("signature-algorithm");
    byte[] signature = in.hex("signature");
    in.end();
    try {
      return new SignedTreeHead(logId, size, timestamp, root, algorithm, signature);
    } catch (IllegalArgumentException e) {
      throw in.malformed(e.getMessage());
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignedTreeHead h && MessageDigest.isEqual(logId, h.logId)
        && treeSize == h.treeSize && timestamp.equals(h.timestamp)
        && MessageDigest.isEqual(rootHash, h.rootHash)
        && signatureAlgorithm.equals(h.signatureAlgorithm)
        && MessageDigest.isEqual(signature, h.signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(treeSize, timestamp, signatureAlgorithm);
  }

  @Override
  public String toString() {
    return "SignedTreeHead[size " + treeSize + ", " + timestamp + ", root "
        + java.util.HexFormat.of().formatHex(rootHash) + "]";
  }
}
