package org.certifier.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import org.certifier.client.enclave.SimulatedEnclave;
import org.certifier.client.store.PolicyStore;
import org.certifier.client.store.StoreException;
import org.certifier.crypto.Certificates;
import org.certifier.crypto.SymmetricAlgorithm;
import org.certifier.testing.TestVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trust manager reads the C++ library's stores, and its own stores survive restarts. */
class TrustManagerStoreTest {
  @TempDir
  Path dir;

  @Test
  void opensTheReferenceClientsCertifiedStore() throws Exception {
    Path store = dir.resolve("policy_store");
    Files.write(store, TestVectors.reference("app-store/app3.policy_store.after-get-certified.bin"));
    TrustManager tm = TrustManager.open(ReferenceEnclave.create(), store,
        ReferenceEnclave.CLOCK);

    assertTrue(tm.hasKeys());
    assertEquals(java.util.Set.of("datica-test"), tm.domains());
    assertTrue(tm.isCertified("datica-test"));
    X509Certificate cert = tm.admissionCertificate("datica-test").orElseThrow();
    assertArrayEquals(TestVectors.reference("wire/admission_cert.der"), cert.getEncoded());
    assertEquals(cert.getPublicKey(), tm.publicAuthKey(), "the store's auth key is certified");
    assertEquals(Certificates.parseDer(
            TestVectors.reference("provisioning/policy_cert_file.datica-test")),
        tm.policyCertificate("datica-test"));
    // The Java trust manager can build TLS credentials from a C++-made store.
    tm.sslContext("datica-test");
  }

  @Test
  void opensTheReferenceStoreBeforeCertification() throws Exception {
    Path store = dir.resolve("policy_store");
    Files.write(store, TestVectors.reference("app-store/app3.policy_store.after-cold-init.bin"));
    TrustManager tm = TrustManager.open(ReferenceEnclave.create(), store,
        ReferenceEnclave.CLOCK);
    assertTrue(tm.hasKeys());
    assertFalse(tm.isCertified("datica-test"));
    assertTrue(tm.admissionCertificate("datica-test").isEmpty());
  }

  @Test
  void keysDomainsAndSecretsSurviveARestart() throws Exception {
    Path store = dir.resolve("store");
    SimulatedEnclave enclave = ReferenceEnclave.create();
    TrustManager first = TrustManager.open(enclave, store, ReferenceEnclave.CLOCK);
    assertFalse(first.hasKeys());
    first.initializeKeys("rsa-2048", "aes-256-gcm", false);
    first.addDomain("d", Certificates.parseDer(
        TestVectors.reference("provisioning/policy_cert_file.datica-test")), "localhost", 8123);
    first.putSecret("db-password", new byte[] {1, 2, 3});

    TrustManager second = TrustManager.open(enclave, store, ReferenceEnclave.CLOCK);
    assertTrue(second.hasKeys());
    assertEquals(first.publicAuthKey(), second.publicAuthKey());
    assertEquals(java.util.Set.of("d"), second.domains());
    assertArrayEquals(new byte[] {1, 2, 3}, second.secret("db-password").orElseThrow());

    second.initializeKeys("rsa-2048", "aes-256-gcm", false);
    assertEquals(first.publicAuthKey(), second.publicAuthKey(), "existing keys are kept");
  }

  @Test
  void aStoreSealedByAnotherProgramDoesNotOpen() throws Exception {
    Path store = dir.resolve("store");
    Files.write(store, TestVectors.reference("app-store/app3.policy_store.after-get-certified.bin"));
    byte[] otherMeasurement = new byte[32];
    SimulatedEnclave other = SimulatedEnclave.of(
        org.certifier.protocol.Messages.parse(org.certifier.proto.key_message.parser(),
            TestVectors.reference("provisioning/attest_key_file.bin"), "k"),
        otherMeasurement, org.certifier.proto.signed_claim_message.getDefaultInstance(),
        ReferenceEnclave.CLOCK);
    TrustManagerException e = assertThrows(TrustManagerException.class,
        () -> TrustManager.open(other, store, ReferenceEnclave.CLOCK));
    assertTrue(e.getMessage().contains("cannot be unsealed"), e.getMessage());
  }

  @Test
  void everyAlteredByteOfAStoreIsDetected() throws Exception {
    Path store = dir.resolve("store");
    SimulatedEnclave enclave = ReferenceEnclave.create();
    PolicyStore s = PolicyStore.open(store, enclave);
    s.put("k", "string", new byte[] {42});
    s.save(SymmetricAlgorithm.AES_256_CBC_HMAC_SHA256);
    byte[] good = Files.readAllBytes(store);
    for (int i = 0; i < good.length; i += 7) {
      byte[] bad = good.clone();
      bad[i] ^= 0x01;
      Files.write(store, bad);
      assertThrows(StoreException.class, () -> PolicyStore.open(store, enclave),
          "flipped byte " + i);
    }
    Files.write(store, java.util.Arrays.copyOf(good, good.length / 2));
    assertThrows(StoreException.class, () -> PolicyStore.open(store, enclave));
  }

  @Test
  void saveLeavesNoTemporaryFilesAndOwnerOnlyPermissions() throws Exception {
    Path store = dir.resolve("store");
    PolicyStore s = PolicyStore.open(store, ReferenceEnclave.create());
    s.put("k", "string", new byte[] {1});
    s.save(SymmetricAlgorithm.AES_256_CBC_HMAC_SHA256);
    s.save(SymmetricAlgorithm.AES_256_CBC_HMAC_SHA256);
    try (var files = Files.list(dir)) {
      assertEquals(java.util.List.of(store), files.toList());
    }
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(store)));
  }

  @Test
  void storesClaimingTooManyEntriesAreRefused() throws Exception {
    Path store = dir.resolve("store");
    PolicyStore s = PolicyStore.open(store, ReferenceEnclave.create());
    for (int i = 0; i < PolicyStore.MAX_ENTRIES; i++) {
      s.put("e" + i, "string", new byte[0]);
    }
    assertThrows(StoreException.class, () -> s.put("one-too-many", "string", new byte[0]));
  }
}
