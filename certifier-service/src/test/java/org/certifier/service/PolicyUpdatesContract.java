package org.certifier.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.certifier.claims.SignedClaims;
import org.certifier.claims.VersionedPolicy;
import org.certifier.client.TrustManager;
import org.certifier.client.TrustManagerException;
import org.certifier.client.enclave.SimulatedEnclave;
import org.certifier.crypto.Certificates;
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
import org.certifier.service.store.Database;
import org.certifier.service.store.PolicyRollbackException;
import org.certifier.service.store.PolicyVersion;
import org.certifier.testing.TestVectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Policy updates through the shared store, end to end: replicas of the reference domain start on
 * its unversioned policy file, a signed version 2 is published, and every replica certifies by
 * it within the poll interval; a version signed by another key and a rolled-back version are
 * refused and version 2 stays in force, also across a restart. Run on PostgreSQL with two
 * replicas ({@link PostgresPolicyUpdatesTest}) and on the embedded database with one
 * ({@link H2PolicyUpdatesTest}).
 */
abstract class PolicyUpdatesContract {
  private static final String DOMAIN = "datica-test";
  private static final Duration POLL = Duration.ofMillis(100);
  /** Generous for a loaded 2-core machine; a replica normally follows within one poll. */
  private static final Duration CONVERGENCE = Duration.ofSeconds(20);
  /** A program that only version 2 trusts (the reference policy trusts example_app). */
  private static final byte[] PROGRAM_B = sha256("program B, trusted from version 2 on");

  @TempDir
  Path dir;
  private final List<CertifierService> replicas = new ArrayList<>();

  /** The database the replicas share. */
  abstract Database database() throws Exception;

  /** How many replicas share it: one for the embedded database, which only one may open. */
  abstract int replicaCount();

  @AfterEach
  void stopReplicas() throws IOException {
    for (CertifierService replica : replicas) {
      replica.close();
    }
  }

  @Test
  void everyReplicaFollowsANewSignedVersionAndRefusesBadOnes() throws Exception {
    Database database = database();
    for (int i = 0; i < replicaCount(); i++) {
      replicas.add(CertifierService.start(config(database)));
    }
    TrustManager exampleApp = client(ReferenceDomain.enclave(ReferenceDomain.CLOCK), "app");
    TrustManager programB = client(enclave(PROGRAM_B), "b");
    for (CertifierService replica : replicas) {
      assertEquals(VersionedPolicy.UNVERSIONED, replica.policy().version());
      certifiedAt(replica, exampleApp);
      assertEquals(Failure.UNKNOWN_MEASUREMENT, refusedAt(replica, programB));
    }

    key_message policyKey = policyKey();
    CertifierService first = replicas.get(0);
    VersionedPolicy published = PolicyPublisher.publish(first.store(),
        VersionedPolicy.sign(2, ReferenceDomain.PINNED, Optional.empty(), policyV2(), policyKey),
        KeyMessages.publicPart(policyKey), ReferenceDomain.CLOCK);
    assertEquals(2, published.version());

    for (CertifierService replica : replicas) {
      awaitVersion(replica, 2);
      assertEquals("the store", replica.policy().source());
      certifiedAt(replica, programB);
      assertEquals(Failure.UNKNOWN_MEASUREMENT, refusedAt(replica, exampleApp),
          "version 2 no longer trusts example_app");
    }

    // Version 1, validly signed, after version 2: a rollback, refused before it is stored.
    byte[] v1 = VersionedPolicy.sign(1, ReferenceDomain.PINNED, Optional.empty(),
        TestVectors.reference("provisioning/policy.bin"), policyKey);
    PolicyRollbackException rollback = assertThrows(PolicyRollbackException.class,
        () -> PolicyPublisher.publish(first.store(), v1, KeyMessages.publicPart(policyKey),
            ReferenceDomain.CLOCK));
    assertEquals(2, rollback.newest());

    // Version 3 signed by another key: the publisher refuses it ...
    key_message stranger = KeyMessages.fromKeyPair(
        KeyMessages.generate(KeyAlgorithm.RSA_2048, Randomness.secureRandom()), "policyKey");
    byte[] v3 = VersionedPolicy.sign(3, ReferenceDomain.PINNED, Optional.empty(),
        TestVectors.reference("provisioning/policy.bin"), stranger);
    VerificationException forged = assertThrows(VerificationException.class,
        () -> PolicyPublisher.publish(first.store(), v3, KeyMessages.publicPart(policyKey),
            ReferenceDomain.CLOCK));
    assertEquals(Failure.BAD_SIGNATURE, forged.failure());
    assertEquals(2, first.store().newestPolicyVersion(), "nothing was stored");
    // ... and if someone with write access to the database puts it there, every replica does.
    first.store().publishPolicy(PolicyVersion.of(3, v3, ReferenceDomain.PINNED));
    for (CertifierService replica : replicas) {
      assertFalse(replica.reloadPolicy(), "a forged version is not taken");
      assertEquals(2, replica.policy().version());
      certifiedAt(replica, programB);
    }

    // A restarted replica comes back at the newest valid version, not at its older file.
    replicas.remove(0).close();
    CertifierService restarted = CertifierService.start(config(database));
    replicas.add(restarted);
    assertEquals(2, restarted.policy().version());
    certifiedAt(restarted, programB);
    assertEquals(Failure.UNKNOWN_MEASUREMENT, refusedAt(restarted, exampleApp));
  }

  @Test
  void aNewerVersionedFileIsTakenAndPublishedForTheOtherReplicas() throws Exception {
    Database database = database();
    for (int i = 0; i < replicaCount(); i++) {
      Path own = dir.resolve("replica-" + i);
      Files.createDirectories(own);
      replicas.add(CertifierService.start(config(database, own.resolve("policy.bin"))));
    }
    key_message policyKey = policyKey();
    Path firstFile = dir.resolve("replica-0").resolve("policy.bin");
    Files.write(firstFile, VersionedPolicy.sign(5, ReferenceDomain.PINNED, Optional.empty(),
        policyV2(), policyKey));
    Files.setLastModifiedTime(firstFile, FileTime.from(Instant.now().plusSeconds(5)));

    assertTrue(replicas.get(0).reloadPolicy());
    assertEquals(5, replicas.get(0).store().newestPolicyVersion(),
        "the file's version went to the store");
    for (CertifierService replica : replicas) {
      awaitVersion(replica, 5);
    }
  }

  private CertifierService.Config config(Database database) throws IOException {
    return config(database, dir.resolve("policy.bin"));
  }

  private CertifierService.Config config(Database database, Path policyFile)
      throws IOException {
    if (!Files.exists(policyFile)) {
      Files.write(policyFile, TestVectors.reference("provisioning/policy.bin"));
    }
    Path provisioning = TestVectors.path("certifier-reference/provisioning/policy.bin")
        .getParent();
    return CertifierService.Config.of(provisioning.resolve("policy_key_file.datica-test"),
            provisioning.resolve("policy_cert_file.datica-test"), policyFile)
        .withAddress("127.0.0.1", 0)
        .withStateDir(dir.resolve("state"))
        .withDatabase(database)
        .withClock(ReferenceDomain.CLOCK)
        .withPolicyPollInterval(POLL);
  }

  /** Waits, with a deadline, until the poller has put {@code version} in force. */
  private static void awaitVersion(CertifierService replica, long version) throws Exception {
    long deadline = System.nanoTime() + CONVERGENCE.toNanos();
    while (replica.policy().version() != version) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("replica on port " + replica.port() + " still has "
            + replica.policy().current() + " after " + CONVERGENCE + ", not version " + version);
      }
      Thread.sleep(POLL.toMillis() / 4);
    }
  }

  private static key_message policyKey() {
    return ReferenceDomain.parse(key_message.parser(), "provisioning/policy_key_file.datica-test");
  }

  /**
   * Version 2 of the reference policy: the platform key as before (the reference's own signed
   * claim), and program B instead of example_app.
   */
  private static byte[] policyV2() throws Exception {
    key_message policyKey = policyKey();
    signed_claim_message platformKeyTrusted = ReferenceDomain.parse(
        signed_claim_message.parser(), "provisioning/signed_claim_1.bin");
    signed_claim_message programBTrusted = SignedClaims.sign(Clauses.says(
        Entities.key(KeyMessages.referencePublicKey(policyKey)),
        Clauses.unary(Entities.measurement(PROGRAM_B), Verb.IS_TRUSTED)), policyKey,
        ReferenceDomain.PINNED.minus(Duration.ofDays(1)),
        ReferenceDomain.PINNED.plus(Duration.ofDays(30)), "");
    return signed_claim_sequence.newBuilder().addClaims(platformKeyTrusted)
        .addClaims(programBTrusted).build().toByteArray();
  }

  private static SimulatedEnclave enclave(byte[] measurement) throws Exception {
    return SimulatedEnclave.of(
        ReferenceDomain.parse(key_message.parser(), "provisioning/attest_key_file.bin"),
        measurement, ReferenceDomain.parse(signed_claim_message.parser(),
            "provisioning/platform_attest_endorsement.bin"), ReferenceDomain.CLOCK);
  }

  private TrustManager client(SimulatedEnclave enclave, String name) throws Exception {
    TrustManager tm = TrustManager.open(enclave, dir.resolve(name + ".store"),
        ReferenceDomain.CLOCK);
    tm.initializeKeys("rsa-2048", "aes-256-cbc-hmac-sha256", false);
    return tm;
  }

  private static void certifiedAt(CertifierService replica, TrustManager client)
      throws Exception {
    client.addDomain(DOMAIN, policyCertificate(), "127.0.0.1", replica.port());
    client.certify(DOMAIN);
  }

  private static Failure refusedAt(CertifierService replica, TrustManager client)
      throws Exception {
    client.addDomain(DOMAIN, policyCertificate(), "127.0.0.1", replica.port());
    return assertThrows(TrustManagerException.class, () -> client.certify(DOMAIN)).failure()
        .orElseThrow();
  }

  private static X509Certificate policyCertificate() throws Exception {
    return Certificates.parseDer(
        TestVectors.reference("provisioning/policy_cert_file.datica-test"));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

}
