package org.certifier.claims;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.certifier.crypto.KeyAlgorithm;
import org.certifier.crypto.KeyMessages;
import org.certifier.crypto.Randomness;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.policy.Clauses;
import org.certifier.policy.Entities;
import org.certifier.policy.Verb;
import org.certifier.proto.key_message;
import org.certifier.proto.signed_claim_sequence;
import org.certifier.protocol.Messages;
import org.certifier.testing.TestVectors;
import org.junit.jupiter.api.Test;

/**
 * The versioned policy envelope: what is signed verifies, the reference's policy file is version
 * 0, and malformed, mutated, truncated or wrongly signed artefacts are refused with their code.
 */
class VersionedPolicyTest {
  /** Inside the reference policy's validity (2026-11-22 .. 2027-12-01). */
  private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
  private static final Instant ISSUED = Instant.parse("2026-11-22T11:00:00Z");
  /** Offsets in the envelope (docs/policy-file.md): format, version, issued-at, flag. */
  private static final int FORMAT_AT = 8;
  private static final int VERSION_AT = 9;
  private static final int ISSUED_AT = 17;
  private static final int FLAG_AT = 25;

  private static key_message policyKey() throws Exception {
    return Messages.parse(key_message.parser(),
        TestVectors.reference("provisioning/policy_key_file.datica-test"), "policy key");
  }

  private static key_message publicKey() throws Exception {
    return KeyMessages.publicPart(policyKey());
  }

  private static byte[] referencePolicy() {
    return TestVectors.reference("provisioning/policy.bin");
  }

  private static byte[] artefact(long version) throws Exception {
    return VersionedPolicy.sign(version, ISSUED, Optional.empty(), referencePolicy(),
        policyKey());
  }

  private static Failure refusal(byte[] bytes) throws Exception {
    key_message key = publicKey();
    return assertThrows(VerificationException.class,
        () -> VersionedPolicy.verify(bytes, key, NOW)).failure();
  }

  private static key_message stranger() throws Exception {
    return KeyMessages.fromKeyPair(
        KeyMessages.generate(KeyAlgorithm.RSA_2048, Randomness.secureRandom()), "policyKey");
  }

  @Test
  void aSignedVersionVerifiesWithItsFields() throws Exception {
    byte[] previous = VersionedPolicy.sha256(artefact(1));
    byte[] bytes = VersionedPolicy.sign(2, ISSUED, Optional.of(previous), referencePolicy(),
        policyKey());

    VersionedPolicy v = VersionedPolicy.verify(bytes, publicKey(), NOW);

    assertEquals(2, v.version());
    assertEquals(Optional.of(ISSUED), v.issuedAt());
    assertEquals(Optional.of(HexFormat.of().formatHex(previous)), v.previousSha256());
    assertEquals(2, v.policy().size());
    assertEquals(HexFormat.of().formatHex(VersionedPolicy.sha256(bytes)), v.sha256());
    assertArrayEquals(bytes, v.artefact());
    // The decisions name the policy itself, as for the reference's file.
    assertEquals(SignedPolicy.parse(referencePolicy(), publicKey(), NOW).sha256(),
        v.policy().sha256());
    assertTrue(VersionedPolicy.isEnvelope(bytes));
  }

  @Test
  void theReferencePolicyFileIsVersionZero() throws Exception {
    VersionedPolicy v = VersionedPolicy.load(referencePolicy(), publicKey(), NOW);

    assertEquals(VersionedPolicy.UNVERSIONED, v.version());
    assertEquals(Optional.empty(), v.issuedAt());
    assertEquals(v.policy().sha256(), v.sha256());
    assertFalse(VersionedPolicy.isEnvelope(referencePolicy()));
    assertEquals(Failure.MALFORMED_EVIDENCE, refusal(referencePolicy()),
        "where an envelope is required, a plain policy file is not one");
  }

  @Test
  void loadTakesAnEnvelopeToo() throws Exception {
    assertEquals(7, VersionedPolicy.load(artefact(7), publicKey(), NOW).version());
  }

  @Test
  void anEnvelopeSignedByAnotherKeyIsRefused() throws Exception {
    byte[] bytes = VersionedPolicy.sign(3, ISSUED, Optional.empty(), referencePolicy(),
        stranger());
    assertEquals(Failure.BAD_SIGNATURE, refusal(bytes));
  }

  @Test
  void aProperEnvelopeAroundClaimsOfAnotherKeyIsRefused() throws Exception {
    key_message stranger = stranger();
    byte[] strangersPolicy = signed_claim_sequence.newBuilder().addClaims(SignedClaims.sign(
        Clauses.says(Entities.key(KeyMessages.publicPart(stranger)),
            Clauses.unary(Entities.measurement(new byte[32]), Verb.IS_TRUSTED)), stranger,
        NOW.minusSeconds(60), NOW.plus(Duration.ofDays(1)), "")).build().toByteArray();
    byte[] bytes = VersionedPolicy.sign(3, ISSUED, Optional.empty(), strangersPolicy,
        policyKey());
    assertEquals(Failure.UNTRUSTED_SIGNER, refusal(bytes));
  }

  @Test
  void anExpiredPolicyIsRefused() throws Exception {
    key_message key = publicKey();
    byte[] bytes = artefact(1);
    VerificationException e = assertThrows(VerificationException.class,
        () -> VersionedPolicy.verify(bytes, key, Instant.parse("2028-01-01T00:00:00Z")));
    assertEquals(Failure.EXPIRED, e.failure());
  }

  @Test
  void everyTruncationIsMalformed() throws Exception {
    byte[] bytes = artefact(1);
    for (int n = 0; n < bytes.length; n++) {
      assertEquals(Failure.MALFORMED_EVIDENCE, refusal(Arrays.copyOf(bytes, n)), "length " + n);
    }
  }

  @Test
  void bytesAfterTheSignatureAreMalformed() throws Exception {
    byte[] bytes = artefact(1);
    assertEquals(Failure.MALFORMED_EVIDENCE, refusal(Arrays.copyOf(bytes, bytes.length + 1)));
  }

  @Test
  void anUnknownFormatIsUnsupported() throws Exception {
    byte[] bytes = artefact(1);
    bytes[FORMAT_AT] = 2;
    assertEquals(Failure.UNSUPPORTED_EVIDENCE_TYPE, refusal(bytes));
  }

  @Test
  void versionZeroAndVersionsAboveTwoToTheSixtyThreeAreMalformed() throws Exception {
    for (long version : new long[] {0, Long.MIN_VALUE, -1}) {
      byte[] bytes = artefact(1);
      ByteBuffer.wrap(bytes).putLong(VERSION_AT, version);
      assertEquals(Failure.MALFORMED_EVIDENCE, refusal(bytes), Long.toUnsignedString(version));
    }
  }

  @Test
  void anIssuedAtThatIsNoTimeIsMalformed() throws Exception {
    for (long seconds : new long[] {-1, Instant.MAX.getEpochSecond() + 1}) {
      byte[] bytes = artefact(1);
      ByteBuffer.wrap(bytes).putLong(ISSUED_AT, seconds);
      assertEquals(Failure.MALFORMED_EVIDENCE, refusal(bytes));
    }
  }

  @Test
  void aFlagWithoutItsFieldIsMalformed() throws Exception {
    // 2 without the 4 lifetime bytes: the policy length is then read from the policy.
    byte[] bytes = artefact(1);
    bytes[FLAG_AT] = 2;
    assertEquals(Failure.MALFORMED_EVIDENCE, refusal(bytes));
    // 1 without the 32 bytes: every later length is then off.
    bytes[FLAG_AT] = 1;
    assertEquals(Failure.MALFORMED_EVIDENCE, refusal(bytes));
  }

  private static byte[] withLifetime(Duration lifetime) throws Exception {
    return VersionedPolicy.sign(4, ISSUED, Optional.of(VersionedPolicy.sha256(artefact(3))),
        Optional.of(lifetime), referencePolicy(), policyKey());
  }

  @Test
  void aCertificateLifetimeIsSignedWithTheRest() throws Exception {
    byte[] bytes = withLifetime(Duration.ofHours(1));

    VersionedPolicy v = VersionedPolicy.verify(bytes, publicKey(), NOW);

    assertEquals(Optional.of(Duration.ofHours(1)), v.certificateLifetime());
    assertEquals(4, v.version());
    assertEquals(2, v.policy().size());
    assertEquals(Optional.of(Duration.ofHours(1)),
        VersionedPolicy.read(bytes).certificateLifetime());
    // flags 3, the previous SHA-256, then the lifetime in seconds (docs/policy-file.md).
    assertEquals(3, bytes[FLAG_AT]);
    assertEquals(3600, ByteBuffer.wrap(bytes).getInt(FLAG_AT + 1 + 32));
  }

  @Test
  void withoutALifetimeTheLayoutIsUnchanged() throws Exception {
    byte[] bytes = artefact(1);
    assertEquals(Optional.empty(), VersionedPolicy.verify(bytes, publicKey(), NOW)
        .certificateLifetime());
    assertEquals(Optional.empty(), VersionedPolicy.load(referencePolicy(), publicKey(), NOW)
        .certificateLifetime(), "the reference file sets no lifetime");
    assertEquals(0, bytes[FLAG_AT]);
    assertEquals(referencePolicy().length, ByteBuffer.wrap(bytes).getInt(FLAG_AT + 1));
    assertArrayEquals(bytes, VersionedPolicy.sign(1, ISSUED, Optional.empty(), Optional.empty(),
        referencePolicy(), policyKey()), "RSA PKCS#1 v1.5 is deterministic: the same bytes");
  }

  @Test
  void theLongestLifetimeIsUnsigned32BitSeconds() throws Exception {
    Duration longest = Duration.ofSeconds(0xffff_ffffL);
    assertEquals(Optional.of(longest), VersionedPolicy.verify(withLifetime(longest),
        publicKey(), NOW).certificateLifetime());
  }

  @Test
  void aLifetimeOfZeroSecondsIsMalformed() throws Exception {
    byte[] bytes = withLifetime(Duration.ofSeconds(1));
    ByteBuffer.wrap(bytes).putInt(FLAG_AT + 1 + 32, 0);
    assertEquals(Failure.MALFORMED_EVIDENCE, refusal(bytes));
  }

  @Test
  void aChangedLifetimeBreaksTheSignature() throws Exception {
    byte[] bytes = withLifetime(Duration.ofSeconds(3));
    ByteBuffer.wrap(bytes).putInt(FLAG_AT + 1 + 32, 3600);
    assertEquals(Failure.BAD_SIGNATURE, refusal(bytes));
  }

  @Test
  void unknownFlagsAreMalformed() throws Exception {
    for (int flag : new int[] {4, 8, 0x10, 0x80, 0xff}) {
      byte[] bytes = artefact(1);
      bytes[FLAG_AT] = (byte) flag;
      assertEquals(Failure.MALFORMED_EVIDENCE, refusal(bytes), "flags " + flag);
    }
  }

  @Test
  void everyTruncationWithALifetimeIsMalformed() throws Exception {
    byte[] bytes = withLifetime(Duration.ofMinutes(10));
    for (int n = 0; n < bytes.length; n++) {
      assertEquals(Failure.MALFORMED_EVIDENCE, refusal(Arrays.copyOf(bytes, n)), "length " + n);
    }
  }

  @Test
  void signRefusesALifetimeTheFormatCannotCarry() throws Exception {
    key_message key = policyKey();
    for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofSeconds(-1),
        Duration.ofMillis(1500), Duration.ofSeconds(0x1_0000_0000L)}) {
      assertThrows(IllegalArgumentException.class, () -> VersionedPolicy.sign(1, ISSUED,
          Optional.empty(), Optional.of(bad), referencePolicy(), key), bad.toString());
    }
  }

  @Test
  void aPolicyLengthBeyondTheEndIsMalformed() throws Exception {
    byte[] bytes = artefact(1);
    int lengthAt = FLAG_AT + 1;
    for (int length : new int[] {-1, Integer.MAX_VALUE, bytes.length}) {
      byte[] copy = bytes.clone();
      ByteBuffer.wrap(copy).putInt(lengthAt, length);
      assertEquals(Failure.MALFORMED_EVIDENCE, refusal(copy));
    }
  }

  @Test
  void anEmptySignatureIsMalformed() throws Exception {
    byte[] bytes = artefact(1);
    int signed = bytes.length - 2 - 256;
    byte[] empty = Arrays.copyOf(bytes, signed + 2);
    ByteBuffer.wrap(empty).putShort(signed, (short) 0);
    assertEquals(Failure.MALFORMED_EVIDENCE, refusal(empty));
  }

  @Test
  void readShowsTheFieldsWithoutVerifying() throws Exception {
    VersionedPolicy.Envelope e = VersionedPolicy.read(VersionedPolicy.sign(9, ISSUED,
        Optional.empty(), referencePolicy(), stranger()));
    assertEquals(9, e.version());
    assertEquals(ISSUED, e.issuedAt());
    assertArrayEquals(referencePolicy(), e.policy());
  }

  /** No single changed byte anywhere yields an accepted policy, nor any other exception. */
  @Property(tries = 300)
  void everyMutationIsRefused(@ForAll @IntRange(min = 0, max = 100_000) int position,
      @ForAll @IntRange(min = 1, max = 255) int xor) throws Exception {
    byte[] bytes = artefact(1);
    bytes[position % bytes.length] ^= (byte) xor;
    refusal(bytes);
  }

  /** The same with a lifetime and a previous version: the flags and their fields included. */
  @Property(tries = 300)
  void everyMutationWithALifetimeIsRefused(
      @ForAll @IntRange(min = 0, max = 100_000) int position,
      @ForAll @IntRange(min = 1, max = 255) int xor) throws Exception {
    byte[] bytes = withLifetime(Duration.ofSeconds(3));
    bytes[position % bytes.length] ^= (byte) xor;
    refusal(bytes);
  }
}
