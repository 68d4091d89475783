package org.certifier.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.certifier.claims.SignedClaims;
import org.certifier.claims.VersionedPolicy;
import org.certifier.crypto.KeyAlgorithm;
import org.certifier.crypto.KeyMessages;
import org.certifier.crypto.Randomness;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.policy.Clauses;
import org.certifier.policy.Entities;
import org.certifier.policy.Verb;
import org.certifier.proto.key_message;
import org.certifier.proto.signed_claim_message;
import org.certifier.proto.signed_claim_sequence;
import org.certifier.testing.TestVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Policy updates are picked up without a restart; an invalid update never replaces the policy. */
class PolicyHolderTest {
  @TempDir
  Path dir;

  private static byte[] policyTrusting(key_message signer, int measurements) throws Exception {
    signed_claim_sequence.Builder policy = signed_claim_sequence.newBuilder();
    Instant now = ReferenceDomain.PINNED;
    for (int i = 0; i < measurements; i++) {
      byte[] m = new byte[32];
      m[0] = (byte) i;
      signed_claim_message claim = SignedClaims.sign(Clauses.says(
          Entities.key(KeyMessages.publicPart(signer)),
          Clauses.unary(Entities.measurement(m), Verb.IS_TRUSTED)), signer,
          now.minusSeconds(60), now.plus(Duration.ofDays(1)), "");
      policy.addClaims(claim);
    }
    return policy.build().toByteArray();
  }

  private static void touch(Path file, int secondsLater) throws Exception {
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(secondsLater)));
  }

  @Test
  void aNewSignedPolicyReplacesTheOldAndABadOneIsRefused() throws Exception {
    key_message policyKey = ReferenceDomain.parse(key_message.parser(),
        "provisioning/policy_key_file.datica-test");
    Path file = dir.resolve("policy.bin");
    Files.write(file, TestVectors.reference("provisioning/policy.bin"));
    PolicyHolder holder = PolicyHolder.load(file, KeyMessages.publicPart(policyKey),
        ReferenceDomain.CLOCK);
    assertEquals(2, holder.get().size());

    Files.write(file, policyTrusting(policyKey, 3));
    touch(file, 5);
    assertTrue(holder.reloadIfChanged());
    assertEquals(3, holder.get().size());

    key_message stranger = KeyMessages.fromKeyPair(
        KeyMessages.generate(KeyAlgorithm.RSA_2048, Randomness.secureRandom()), "policyKey");
    Files.write(file, policyTrusting(stranger, 5));
    touch(file, 10);
    assertFalse(holder.reloadIfChanged(), "a policy signed by another key is refused");
    assertEquals(3, holder.get().size(), "the previous policy stays in force");

    Files.write(file, new byte[] {1, 2, 3});
    touch(file, 15);
    assertFalse(holder.reloadIfChanged(), "garbage is refused");
    assertEquals(3, holder.get().size());
    assertFalse(holder.reloadIfChanged(), "an unchanged refused file is not re-read");
  }

  @Test
  void anUnsignedInitialPolicyIsRefusedAtStart() throws Exception {
    key_message policyKey = ReferenceDomain.parse(key_message.parser(),
        "provisioning/policy_key_file.datica-test");
    key_message stranger = KeyMessages.fromKeyPair(
        KeyMessages.generate(KeyAlgorithm.RSA_2048, Randomness.secureRandom()), "policyKey");
    Path file = dir.resolve("policy.bin");
    Files.write(file, policyTrusting(stranger, 1));
    VerificationException e = assertThrows(VerificationException.class, () ->
        PolicyHolder.load(file, KeyMessages.publicPart(policyKey), ReferenceDomain.CLOCK));
    assertEquals(Failure.UNTRUSTED_SIGNER, e.failure());
  }

  private static byte[] version(long version, key_message policyKey, int measurements)
      throws Exception {
    return VersionedPolicy.sign(version, ReferenceDomain.PINNED, Optional.empty(),
        policyTrusting(policyKey, measurements), policyKey);
  }

  @Test
  void versionsOnlyGoUpAndTheUnversionedFileIsVersionZero() throws Exception {
    key_message policyKey = ReferenceDomain.parse(key_message.parser(),
        "provisioning/policy_key_file.datica-test");
    Path file = dir.resolve("policy.bin");
    Files.write(file, TestVectors.reference("provisioning/policy.bin"));
    PolicyHolder holder = PolicyHolder.load(file, KeyMessages.publicPart(policyKey),
        ReferenceDomain.CLOCK);
    assertEquals(VersionedPolicy.UNVERSIONED, holder.version());

    Files.write(file, version(2, policyKey, 3));
    touch(file, 5);
    assertTrue(holder.reloadIfChanged());
    assertEquals(2, holder.version());
    assertEquals(3, holder.get().size());

    Files.write(file, version(1, policyKey, 4));
    touch(file, 10);
    assertFalse(holder.reloadIfChanged(), "a lower version is a rollback");
    Files.write(file, version(2, policyKey, 5));
    touch(file, 15);
    assertFalse(holder.reloadIfChanged(), "a version is not replaced by other contents");
    Files.write(file, TestVectors.reference("provisioning/policy.bin"));
    touch(file, 20);
    assertFalse(holder.reloadIfChanged(), "an unversioned file is below any version");
    assertEquals(2, holder.version());
    assertEquals(3, holder.get().size());

    Files.write(file, version(3, policyKey, 6));
    touch(file, 25);
    assertTrue(holder.reloadIfChanged());
    assertEquals(3, holder.version());
    assertEquals(file.toString(), holder.source());
  }

  @Test
  void aVersionedFileSignedByAnotherKeyIsRefused() throws Exception {
    key_message policyKey = ReferenceDomain.parse(key_message.parser(),
        "provisioning/policy_key_file.datica-test");
    key_message stranger = KeyMessages.fromKeyPair(
        KeyMessages.generate(KeyAlgorithm.RSA_2048, Randomness.secureRandom()), "policyKey");
    Path file = dir.resolve("policy.bin");
    Files.write(file, TestVectors.reference("provisioning/policy.bin"));
    PolicyHolder holder = PolicyHolder.load(file, KeyMessages.publicPart(policyKey),
        ReferenceDomain.CLOCK);

    Files.write(file, VersionedPolicy.sign(9, ReferenceDomain.PINNED, Optional.empty(),
        policyTrusting(policyKey, 3), stranger));
    touch(file, 5);
    assertFalse(holder.reloadIfChanged());
    assertEquals(VersionedPolicy.UNVERSIONED, holder.version());
  }
}
