package org.certifier.client.enclave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.certifier.crypto.CryptoException;
import org.certifier.crypto.SymmetricAlgorithm;
import org.junit.jupiter.api.Test;

/** The hardware enclaves' shared sealing: round trip, tampering, other keys, no key. */
class SealerTest {
  private static final byte[] DATA = {1, 2, 3, 4, 5};

  @Test
  void sealsAndUnsealsWithEitherConstruction() throws Exception {
    for (SymmetricAlgorithm alg : new SymmetricAlgorithm[] {SymmetricAlgorithm.AES_256_GCM,
        SymmetricAlgorithm.AES_256_CBC_HMAC_SHA256}) {
      Sealer sealer = sealer(alg, filled(alg.keySize(), 0x11));
      assertTrue(sealer.canSeal());
      byte[] sealed = sealer.seal(DATA);
      assertFalse(Arrays.equals(sealer.seal(DATA), sealed), "a fresh nonce each time");
      assertArrayEquals(DATA, sealer.unseal(sealed));
    }
  }

  @Test
  void refusesTamperedBlobsAndBlobsOfAnotherKey() throws Exception {
    Sealer sealer = sealer(SymmetricAlgorithm.AES_256_GCM, filled(32, 0x11));
    byte[] sealed = sealer.seal(DATA);
    sealed[sealed.length - 1] ^= 1;
    EnclaveException tampered = assertThrows(EnclaveException.class,
        () -> sealer.unseal(sealed));
    assertTrue(tampered.getCause() instanceof CryptoException);
    Sealer other = sealer(SymmetricAlgorithm.AES_256_GCM, filled(32, 0x22));
    assertThrows(EnclaveException.class, () -> other.unseal(sealer.seal(DATA)));
    assertThrows(EnclaveException.class, () -> sealer.unseal(new byte[3]));
  }

  @Test
  void withoutAKeyNeitherSealsNorUnseals() {
    Sealer none = sealer(SymmetricAlgorithm.AES_256_GCM, null);
    assertFalse(none.canSeal());
    EnclaveException e = assertThrows(EnclaveException.class, () -> none.seal(DATA));
    assertNull(e.getCause());
    assertThrows(EnclaveException.class, () -> none.unseal(new byte[64]));
  }

  @Test
  void aKeyOfTheWrongSizeIsRefused() {
    Sealer wrong = sealer(SymmetricAlgorithm.AES_256_GCM, new byte[16]);
    assertNotNull(assertThrows(EnclaveException.class, () -> wrong.seal(DATA)).getCause());
  }

  private static Sealer sealer(SymmetricAlgorithm alg, byte[] key) {
    return new Sealer("Test", alg, key, "no key here", "by someone else");
  }

  private static byte[] filled(int size, int value) {
    byte[] b = new byte[size];
    Arrays.fill(b, (byte) value);
    return b;
  }
}
