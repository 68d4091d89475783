package org.certifier.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** Round trips and tamper resistance of every §4.6 format over random inputs. */
class AuthenticatedEncryptionPropertiesTest {
  /** A ciphertext of {@code plaintext} under a key drawn from {@code random}, with its key. */
  private record Sealed(byte[] key, byte[] ciphertext) {}

  private static Sealed encrypt(SymmetricAlgorithm alg, byte[] plaintext, Random random)
      throws Exception {
    byte[] key = new byte[alg.keySize()];
    random.nextBytes(key);
    return new Sealed(key, AuthenticatedEncryption.encrypt(alg, key, plaintext,
        KeyMessagesPropertiesTest.seeded(random.nextLong())));
  }

  @Property(tries = 300)
  void decryptInvertsEncrypt(@ForAll SymmetricAlgorithm alg,
      @ForAll @Size(max = 300) byte[] plaintext, @ForAll Random random) throws Exception {
    Sealed sealed = encrypt(alg, plaintext, random);

    assertArrayEquals(plaintext,
        AuthenticatedEncryption.decrypt(alg, sealed.key(), sealed.ciphertext()));
  }

  // Exhaustive over positions within each try: IV, body and tag bytes are all covered.
  @Property(tries = 60)
  void changingAnySingleByteIsDetected(@ForAll SymmetricAlgorithm alg,
      @ForAll @Size(max = 300) byte[] plaintext, @ForAll Random random) throws Exception {
    Sealed sealed = encrypt(alg, plaintext, random);

    for (int i = 0; i < sealed.ciphertext().length; i++) {
      byte[] changed = sealed.ciphertext().clone();
      changed[i] ^= (byte) (1 + random.nextInt(255));
      assertThrows(CryptoException.class,
          () -> AuthenticatedEncryption.decrypt(alg, sealed.key(), changed), "byte " + i);
    }
  }

  @Property(tries = 60)
  void everyTruncationIsDetected(@ForAll SymmetricAlgorithm alg,
      @ForAll @Size(max = 300) byte[] plaintext, @ForAll Random random) throws Exception {
    Sealed sealed = encrypt(alg, plaintext, random);

    for (int length = 0; length < sealed.ciphertext().length; length++) {
      byte[] truncated = Arrays.copyOf(sealed.ciphertext(), length);
      assertThrows(CryptoException.class,
          () -> AuthenticatedEncryption.decrypt(alg, sealed.key(), truncated), "length " + length);
    }
  }
}
