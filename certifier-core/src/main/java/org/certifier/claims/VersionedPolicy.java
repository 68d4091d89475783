package org.certifier.claims;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.certifier.crypto.KeyMessages;
import org.certifier.crypto.Signatures;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.proto.key_message;

/**
 * A policy update: the domain's signed policy (the reference's {@code signed_claim_sequence})
 * wrapped in a small envelope that gives it a version, and signed as a whole by the policy key.
 * The version makes rollback detectable: a service never replaces its policy with a lower version,
 * so an old, validly signed policy (one that still trusted a now-withdrawn program) cannot be
 * replayed. The reference's plain policy file still works and counts as version 0.
 *
 * <p>The byte format is in docs/policy-file.md ("Versioned policy artefacts"); in short, all
 * integers big-endian, no padding, nothing after the signature:
 *
 * <pre>
 * magic "\0certpol" (8) | format 1 (1) | version (8) | issued-at seconds (8) | flags (1) |
 * [previous version's SHA-256 (32) if flag 1] | [certificate lifetime seconds (4) if flag 2] |
 * policy length (4) | policy | signature length (2) | signature over every byte before it
 * </pre>
 *
 * <p>The flags byte was the previous-version flag (0 or 1), so artefacts written before the
 * lifetime existed read exactly as before; any other flag bit is refused.
 */
public final class VersionedPolicy {
  /** The version of a policy file in the reference's format, which has no version of its own. */
  public static final long UNVERSIONED = 0;
  public static final int FORMAT = 1;
  /**
   * Starts with a zero byte, which no protobuf message can start with (field number 0 is
   * invalid): an envelope is never mistaken for a reference policy file, and bytes the policy
   * key signed as an envelope can never pass as a signed claim's {@code claim_message}.
   */
  private static final byte[] MAGIC = {0, 'c', 'e', 'r', 't', 'p', 'o', 'l'};
  private static final int SHA256_SIZE = 32;
  /** Flag bit: the previous version's SHA-256 follows. */
  private static final int HAS_PREVIOUS = 1;
  /** Flag bit: the maximum certificate lifetime follows. */
  private static final int HAS_LIFETIME = 2;
  private static final int KNOWN_FLAGS = HAS_PREVIOUS | HAS_LIFETIME;
  /** The lifetime is an unsigned 32-bit number of seconds (up to about 136 years). */
  private static final long MAX_LIFETIME_SECONDS = 0xffff_ffffL;
  private static final int MAX_SIGNATURE = 0xffff;

  private final long version;
  private final Optional<Instant> issuedAt;
  private final Optional<String> previousSha256;
  private final Optional<Duration> certificateLifetime;
  private final String sha256;
  private final SignedPolicy policy;
  private final byte[] artefact;

  private VersionedPolicy(long version, Optional<Instant> issuedAt,
      Optional<String> previousSha256, Optional<Duration> certificateLifetime,
      SignedPolicy policy, byte[] artefact) {
    this.version = version;
    this.issuedAt = issuedAt;
    this.previousSha256 = previousSha256;
    this.certificateLifetime = certificateLifetime;
    this.sha256 = hex(sha256(artefact));
    this.policy = policy;
    this.artefact = artefact.clone();
  }

  /**
   * The fields of an envelope as read, before anything is verified: for showing a file, and as
   * the first step of {@link #verify}.
   *
   * @param certificateLifetime the longest validity the policy allows for what the service
   *     issues under it, if it sets one (whole seconds, 1 or more)
   * @param signed the bytes the signature covers
   */
  public record Envelope(long version, Instant issuedAt, Optional<String> previousSha256,
      Optional<Duration> certificateLifetime, byte[] policy, byte[] signed, byte[] signature) {
    public Envelope {
      policy = policy.clone();
      signed = signed.clone();
      signature = signature.clone();
    }

    @Override
    public byte[] policy() {
      return policy.clone();
    }

    @Override
    public byte[] signed() {
      return signed.clone();
    }

    @Override
    public byte[] signature() {
      return signature.clone();
    }
  }

  /** True if {@code bytes} claim to be an envelope (they start with its magic). */
  public static boolean isEnvelope(byte[] bytes) {
    return bytes.length >= MAGIC.length
        && Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
  }

  /** As {@link #sign(long, Instant, Optional, Optional, byte[], key_message)}, no lifetime. */
  public static byte[] sign(long version, Instant issuedAt, Optional<byte[]> previousSha256,
      byte[] policy, key_message policyKey) throws GeneralSecurityException {
    return sign(version, issuedAt, previousSha256, Optional.empty(), policy, policyKey);
  }

  /**
   * Wraps a policy file and signs it with the private policy key, using the signature scheme the
   * reference uses for that key (as for signed claims). The policy is taken as it is; check it
   * first ({@link SignedPolicy#parse}) so as not to publish one the service will refuse.
   *
   * @param previousSha256 the SHA-256 of the artefact this one replaces, if it is to be named
   * @param certificateLifetime the longest validity of the admission certificates (and platform
   *     rules) issued under this policy, whole seconds from 1 to 2^32-1; the service issues for
   *     the shorter of this and its own setting
   */
  public static byte[] sign(long version, Instant issuedAt, Optional<byte[]> previousSha256,
      Optional<Duration> certificateLifetime, byte[] policy, key_message policyKey)
      throws GeneralSecurityException {
    if (version <= UNVERSIONED) {
      throw new IllegalArgumentException("a versioned policy's version is 1 or more");
    }
    if (issuedAt.getEpochSecond() < 0) {
      throw new IllegalArgumentException("issued-at must not be before 1970");
    }
    if (previousSha256.isPresent() && previousSha256.get().length != SHA256_SIZE) {
      throw new IllegalArgumentException("the previous version's SHA-256 has 32 bytes");
    }
    certificateLifetime.ifPresent(VersionedPolicy::checkCertificateLifetime);
    int flags = (previousSha256.isPresent() ? HAS_PREVIOUS : 0)
        | (certificateLifetime.isPresent() ? HAS_LIFETIME : 0);
    ByteBuffer body = ByteBuffer.allocate(MAGIC.length + 1 + 8 + 8 + 1
        + (previousSha256.isPresent() ? SHA256_SIZE : 0)
        + (certificateLifetime.isPresent() ? 4 : 0) + 4 + policy.length);
    body.put(MAGIC).put((byte) FORMAT).putLong(version).putLong(issuedAt.getEpochSecond())
        .put((byte) flags);
    previousSha256.ifPresent(body::put);
    certificateLifetime.ifPresent(l -> body.putInt((int) l.getSeconds()));
    body.putInt(policy.length).put(policy);
    byte[] signed = body.array();
    PrivateKey privateKey = KeyMessages.toPrivateKey(policyKey);
    String label = Signatures.defaultLabel(KeyMessages.toPublicKey(policyKey));
    byte[] signature = Signatures.sign(label, privateKey, signed);
    if (signature.length > MAX_SIGNATURE) {
      throw new GeneralSecurityException("signature too long for the envelope");
    }
    return ByteBuffer.allocate(signed.length + 2 + signature.length).put(signed)
        .putShort((short) signature.length).put(signature).array();
  }

  /**
   * Checks that the envelope can carry {@code lifetime}: whole seconds, from 1 to 2^32-1.
   *
   * @throws IllegalArgumentException saying what it can carry, if not
   */
  public static void checkCertificateLifetime(Duration lifetime) {
    if (lifetime.getNano() != 0 || lifetime.getSeconds() < 1
        || lifetime.getSeconds() > MAX_LIFETIME_SECONDS) {
      throw new IllegalArgumentException("a policy's certificate lifetime is whole seconds,"
          + " from PT1S to " + Duration.ofSeconds(MAX_LIFETIME_SECONDS) + "; not " + lifetime);
    }
  }

  /**
   * Reads the envelope's fields; every length must match exactly and nothing may follow the
   * signature. Checks nothing cryptographic.
   *
   * @throws VerificationException {@link Failure#MALFORMED_EVIDENCE} for bytes that are not an
   *     envelope, {@link Failure#UNSUPPORTED_EVIDENCE_TYPE} for an unknown format version
   */
  public static Envelope read(byte[] bytes) throws VerificationException {
    if (!isEnvelope(bytes)) {
      throw malformed("does not start with the versioned policy's magic");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes).position(MAGIC.length);
    int format = u8(in, "format version");
    if (format != FORMAT) {
      throw new VerificationException(Failure.UNSUPPORTED_EVIDENCE_TYPE,
          "versioned policy format " + format + " is not " + FORMAT);
    }
    long version = i64(in, "version");
    if (version <= UNVERSIONED) {
      throw malformed("version " + Long.toUnsignedString(version)
          + " is outside 1 .. 2^63-1");
    }
    long seconds = i64(in, "issued-at");
    if (seconds < 0 || seconds > Instant.MAX.getEpochSecond()) {
      throw malformed("issued-at " + Long.toUnsignedString(seconds) + " is not a time");
    }
    Instant issuedAt = Instant.ofEpochSecond(seconds);
    int flags = u8(in, "flags");
    if ((flags & ~KNOWN_FLAGS) != 0) {
      throw malformed("unknown flags " + Integer.toBinaryString(flags)
          + " (known: 1 previous version, 2 certificate lifetime)");
    }
    Optional<String> previous = Optional.empty();
    if ((flags & HAS_PREVIOUS) != 0) {
      previous = Optional.of(hex(bytes(in, SHA256_SIZE, "previous version's SHA-256")));
    }
    Optional<Duration> lifetime = Optional.empty();
    if ((flags & HAS_LIFETIME) != 0) {
      need(in, 4, "certificate lifetime");
      long lifetimeSeconds = Integer.toUnsignedLong(in.getInt());
      if (lifetimeSeconds == 0) {
        throw malformed("a certificate lifetime of 0 seconds");
      }
      lifetime = Optional.of(Duration.ofSeconds(lifetimeSeconds));
    }
    int policyLength = u32(in, "policy length");
    byte[] policy = bytes(in, policyLength, "policy");
    int signedLength = in.position();
    int signatureLength = u16(in, "signature length");
    if (signatureLength == 0) {
      throw malformed("the signature is empty");
    }
    byte[] signature = bytes(in, signatureLength, "signature");
    if (in.hasRemaining()) {
      throw malformed(in.remaining() + " bytes after the signature");
    }
    return new Envelope(version, issuedAt, previous, lifetime, policy,
        Arrays.copyOf(bytes, signedLength), signature);
  }

  /**
   * Verifies an envelope: its signature under the domain's public policy key, then the policy it
   * carries, every claim of which must be signed by that key and valid at {@code now}.
   */
  public static VersionedPolicy verify(byte[] artefact, key_message policyKey, Instant now)
      throws VerificationException {
    Envelope envelope = read(artefact);
    try {
      PublicKey key = KeyMessages.toPublicKey(policyKey);
      if (!Signatures.verify(Signatures.defaultLabel(key), key, envelope.signed,
          envelope.signature)) {
        throw new VerificationException(Failure.BAD_SIGNATURE, "the signature of policy version "
            + envelope.version() + " does not verify under the policy key");
      }
    } catch (GeneralSecurityException e) {
      throw new VerificationException(Failure.UNSUPPORTED_ALGORITHM,
          "cannot check the versioned policy's signature: " + e.getMessage(), e);
    }
    SignedPolicy policy;
    try {
      policy = SignedPolicy.parse(envelope.policy, policyKey, now);
    } catch (VerificationException e) {
      throw new VerificationException(e.failure(), "policy version " + envelope.version() + ": "
          + e.getMessage(), e);
    }
    return new VersionedPolicy(envelope.version(), Optional.of(envelope.issuedAt()),
        envelope.previousSha256(), envelope.certificateLifetime(), policy, artefact);
  }

  /**
   * Loads either form: an envelope ({@link #verify}), or a policy file in the reference's format,
   * which is version {@value #UNVERSIONED}.
   */
  public static VersionedPolicy load(byte[] bytes, key_message policyKey, Instant now)
      throws VerificationException {
    if (isEnvelope(bytes)) {
      return verify(bytes, policyKey, now);
    }
    return new VersionedPolicy(UNVERSIONED, Optional.empty(), Optional.empty(), Optional.empty(),
        SignedPolicy.parse(bytes, policyKey, now), bytes);
  }

  /** The version: 1 or more for an envelope, {@value #UNVERSIONED} for a reference file. */
  public long version() {
    return version;
  }

  /** When the signer says it made this version; empty for a reference file. */
  public Optional<Instant> issuedAt() {
    return issuedAt;
  }

  /** The SHA-256 (hex) of the artefact this one says it replaces, if it names one. */
  public Optional<String> previousSha256() {
    return previousSha256;
  }

  /**
   * The longest validity the policy allows for admission certificates and platform rules issued
   * under it; empty if it sets none (always for a reference file), when the service's own
   * setting applies alone.
   */
  public Optional<Duration> certificateLifetime() {
    return certificateLifetime;
  }

  /** The SHA-256 (lowercase hex) of the artefact's bytes as loaded. */
  public String sha256() {
    return sha256;
  }

  /** The policy it carries, checked. */
  public SignedPolicy policy() {
    return policy;
  }

  /** The artefact's bytes, exactly as loaded and signed. */
  public byte[] artefact() {
    return artefact.clone();
  }

  @Override
  public String toString() {
    return "policy version " + version + " (" + policy.size() + " statements, "
        + certificateLifetime.map(l -> "certificate lifetime at most " + l + ", ").orElse("")
        + "SHA-256 " + sha256 + ")";
  }

  /** SHA-256 of {@code bytes}, e.g. of an artefact to name it as the previous version. */
  public static byte[] sha256(byte[] bytes) {
    return SignedPolicy.sha256(bytes);
  }

  private static int u8(ByteBuffer in, String field) throws VerificationException {
    need(in, 1, field);
    return Byte.toUnsignedInt(in.get());
  }

  private static int u16(ByteBuffer in, String field) throws VerificationException {
    need(in, 2, field);
    return Short.toUnsignedInt(in.getShort());
  }

  /** An unsigned 32-bit length; one that does not fit an array is truncation by definition. */
  private static int u32(ByteBuffer in, String field) throws VerificationException {
    need(in, 4, field);
    long value = Integer.toUnsignedLong(in.getInt());
    if (value > in.remaining()) {
      throw malformed("truncated: " + field + " " + value + " but " + in.remaining()
          + " bytes left");
    }
    return (int) value;
  }

  private static long i64(ByteBuffer in, String field) throws VerificationException {
    need(in, 8, field);
    return in.getLong();
  }

  private static byte[] bytes(ByteBuffer in, int n, String field) throws VerificationException {
    need(in, n, field);
    byte[] out = new byte[n];
    in.get(out);
    return out;
  }

  private static void need(ByteBuffer in, int n, String field) throws VerificationException {
    if (in.remaining() < n) {
      throw malformed("truncated in the " + field);
    }
  }

  private static VerificationException malformed(String what) {
    return new VerificationException(Failure.MALFORMED_EVIDENCE, "versioned policy: " + what);
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
