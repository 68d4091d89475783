package org.certifier.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.KeyPair;
import java.util.Arrays;
import org.certifier.proto.key_message;
import org.certifier.proto.policy_store_entry;
import org.certifier.proto.policy_store_message;
import org.certifier.proto.protected_blob_message;
import org.certifier.testing.TestVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reference app's sealed policy stores (app-store/) opened with our symmetric formats:
 * simulated-enclave Unseal of the protect key (§4.6.5), then the store itself (§4.5.2).
 */
class AppStoreVectorTest {
  /** §4.6.5: the simulated enclave's fixed sealing key, key[i] = (5 * i) mod 16. */
  private static byte[] simulatedSealingKey() {
    byte[] key = new byte[64];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) ((5 * i) % 16);
    }
    return key;
  }

  /** Simulated-enclave Unseal: decrypt, then check and strip the measurement prefix. */
  private static byte[] unseal(byte[] sealed) throws CryptoException {
    byte[] measurement = TestVectors.reference("provisioning/example_app.measurement");
    byte[] plain = AuthenticatedEncryption.decrypt(
        SymmetricAlgorithm.AES_256_CBC_HMAC_SHA256, simulatedSealingKey(), sealed);
    assertEquals(32, measurement.length);
    assertArrayEquals(measurement, Arrays.copyOf(plain, measurement.length));
    return Arrays.copyOfRange(plain, measurement.length, plain.length);
  }

  private static byte[] openStore(String file) throws Exception {
    protected_blob_message blob = protected_blob_message.parseFrom(
        TestVectors.reference("app-store/" + file));
    key_message protectKey = key_message.parseFrom(unseal(blob.getEncryptedKey().toByteArray()));
    assertEquals("protect-key", protectKey.getKeyName());
    SymmetricAlgorithm alg = SymmetricAlgorithm.fromLabel(protectKey.getKeyType());
    assertEquals(SymmetricAlgorithm.AES_256_CBC_HMAC_SHA256, alg);
    return AuthenticatedEncryption.decrypt(alg, KeyMessages.symmetricKeyBits(protectKey, alg),
        blob.getEncryptedData().toByteArray());
  }

  @ParameterizedTest
  @ValueSource(strings = {"after-cold-init", "after-get-certified"})
  void app3StoreDecryptsToTheCapturedPlaintext(String stage) throws Exception {
    byte[] plain = openStore("app3.policy_store." + stage + ".bin");

    assertArrayEquals(TestVectors.reference("app-store/app3.policy_store." + stage + ".plain.pb"),
        plain);
  }

  @ParameterizedTest
  @ValueSource(strings = {"app1", "app2"})
  void certifiedStoreHoldsAUsableAuthKey(String app) throws Exception {
    policy_store_message store =
        policy_store_message.parseFrom(openStore(app + ".policy_store.certified.bin"));

    policy_store_entry authKey = store.getEntriesList().stream()
        .filter(e -> e.getTag().equals("auth-key")).findFirst().orElseThrow();
    KeyPair pair = KeyMessages.toKeyPair(key_message.parseFrom(authKey.getValue()));

    assertEquals("key", authKey.getType());
    assertEquals(KeyAlgorithm.RSA_2048, KeyAlgorithm.of(pair.getPublic()));
  }

  @Test
  void appSymmetricKeyIsAValidKeyMessage() throws Exception {
    policy_store_message store = policy_store_message.parseFrom(
        openStore("app3.policy_store.after-get-certified.bin"));

    key_message appKey = key_message.parseFrom(store.getEntriesList().stream()
        .filter(e -> e.getTag().equals("app-symmetric-key")).findFirst().orElseThrow()
        .getValue());

    assertEquals(64, KeyMessages.symmetricKeyBits(appKey,
        SymmetricAlgorithm.AES_256_CBC_HMAC_SHA256).length);
  }

  @Test
  void sealedProtectKeyFailsUnderAnyOtherSealingKey() throws Exception {
    byte[] sealed = protected_blob_message.parseFrom(
        TestVectors.reference("app-store/app3.policy_store.after-cold-init.bin"))
        .getEncryptedKey().toByteArray();
    byte[] wrongKey = simulatedSealingKey();
    wrongKey[63] ^= 1;

    assertThrows(CryptoException.class, () -> AuthenticatedEncryption.decrypt(
        SymmetricAlgorithm.AES_256_CBC_HMAC_SHA256, wrongKey, sealed));
  }
}
