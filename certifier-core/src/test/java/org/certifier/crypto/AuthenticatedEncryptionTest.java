package org.certifier.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The §4.6 layouts checked against an independent composition of JDK primitives written here
 * from the spec, in both directions.
 */
class AuthenticatedEncryptionTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private static byte[] concat(byte[]... parts) {
    byte[] out = new byte[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  /** The HMAC name and key of §4.6.1 / §4.6.2 (SHA-384: bytes 40..87, 80..87 zero). */
  private static Mac referenceMac(SymmetricAlgorithm alg, byte[] key) throws Exception {
    boolean sha256 = alg == SymmetricAlgorithm.AES_256_CBC_HMAC_SHA256;
    String name = sha256 ? "HmacSHA256" : "HmacSHA384";
    byte[] macKey = sha256
        ? Arrays.copyOfRange(key, 32, 64)
        : concat(Arrays.copyOfRange(key, 40, 80), new byte[8]);
    Mac mac = Mac.getInstance(name);
    mac.init(new SecretKeySpec(macKey, name));
    return mac;
  }

  private static byte[] referenceEncrypt(SymmetricAlgorithm alg, byte[] key, byte[] plaintext)
      throws Exception {
    if (alg == SymmetricAlgorithm.AES_256_GCM) {
      byte[] iv = random(12);
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
      return concat(iv, gcm.doFinal(plaintext));
    }
    byte[] iv = random(16);
    Cipher cbc = Cipher.getInstance("AES/CBC/PKCS5Padding");
    cbc.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, 0, 32, "AES"), new IvParameterSpec(iv));
    byte[] body = concat(iv, cbc.doFinal(plaintext));
    return concat(body, referenceMac(alg, key).doFinal(body));
  }

  private static byte[] referenceDecrypt(SymmetricAlgorithm alg, byte[] key, byte[] ciphertext)
      throws Exception {
    if (alg == SymmetricAlgorithm.AES_256_GCM) {
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(128, ciphertext, 0, 12));
      return gcm.doFinal(ciphertext, 12, ciphertext.length - 12);
    }
    Mac mac = referenceMac(alg, key);
    int bodyLength = ciphertext.length - mac.getMacLength();
    assertArrayEquals(mac.doFinal(Arrays.copyOf(ciphertext, bodyLength)),
        Arrays.copyOfRange(ciphertext, bodyLength, ciphertext.length), "HMAC tag");
    Cipher cbc = Cipher.getInstance("AES/CBC/PKCS5Padding");
    cbc.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, 0, 32, "AES"),
        new IvParameterSpec(ciphertext, 0, 16));
    return cbc.doFinal(ciphertext, 16, bodyLength - 16);
  }

  static Stream<Arguments> formatsAndLengths() {
    return Stream.of(SymmetricAlgorithm.values()).flatMap(alg ->
        IntStream.of(0, 1, 15, 16, 17, 31, 32, 33, 100).mapToObj(n -> Arguments.of(alg, n)));
  }

  @ParameterizedTest
  @MethodSource("formatsAndLengths")
  void oursDecryptsWithTheIndependentComposition(SymmetricAlgorithm alg, int length)
      throws Exception {
    byte[] key = random(alg.keySize());
    byte[] plaintext = random(length);

    byte[] ciphertext = AuthenticatedEncryption.encrypt(alg, key, plaintext, RANDOM);

    assertArrayEquals(plaintext, referenceDecrypt(alg, key, ciphertext));
  }

  @ParameterizedTest
  @MethodSource("formatsAndLengths")
  void independentCompositionDecryptsWithOurs(SymmetricAlgorithm alg, int length)
      throws Exception {
    byte[] key = random(alg.keySize());
    byte[] plaintext = random(length);

    byte[] ciphertext = referenceEncrypt(alg, key, plaintext);

    assertArrayEquals(plaintext, AuthenticatedEncryption.decrypt(alg, key, ciphertext));
  }

  @ParameterizedTest
  @EnumSource(SymmetricAlgorithm.class)
  void ciphertextLengthIsIvPlusBodyPlusTag(SymmetricAlgorithm alg) throws Exception {
    byte[] key = random(alg.keySize());
    int overhead = switch (alg) {
      case AES_256_CBC_HMAC_SHA256 -> 16 + 32;
      case AES_256_CBC_HMAC_SHA384 -> 16 + 48;
      case AES_256_GCM -> 12 + 16;
    };
    int padding = alg == SymmetricAlgorithm.AES_256_GCM ? 0 : 16;

    assertEquals(overhead + padding,
        AuthenticatedEncryption.encrypt(alg, key, new byte[0], RANDOM).length);
    assertEquals(overhead + 32 + padding,
        AuthenticatedEncryption.encrypt(alg, key, new byte[32], RANDOM).length);
  }

  @Test
  void sha384VariantUsesTheKeyBytesFrom40AndNotBelow() throws Exception {
    SymmetricAlgorithm alg = SymmetricAlgorithm.AES_256_CBC_HMAC_SHA384;
    byte[] key = random(alg.keySize());
    byte[] ciphertext = AuthenticatedEncryption.encrypt(alg, key, random(20), RANDOM);

    // Bytes 32..39 are in neither the AES key nor the HMAC key (§4.6.2).
    byte[] unusedChanged = key.clone();
    unusedChanged[35] ^= 1;
    byte[] macKeyChanged = key.clone();
    macKeyChanged[79] ^= 1;

    AuthenticatedEncryption.decrypt(alg, unusedChanged, ciphertext);
    assertThrows(CryptoException.class,
        () -> AuthenticatedEncryption.decrypt(alg, macKeyChanged, ciphertext));
  }

  @ParameterizedTest
  @EnumSource(SymmetricAlgorithm.class)
  void wrongKeyLengthIsRejected(SymmetricAlgorithm alg) {
    for (int n : new int[] {0, 16, alg.keySize() - 1, alg.keySize() + 1}) {
      assertThrows(CryptoException.class,
          () -> AuthenticatedEncryption.encrypt(alg, new byte[n], new byte[4], RANDOM));
      assertThrows(CryptoException.class,
          () -> AuthenticatedEncryption.decrypt(alg, new byte[n], new byte[128]));
    }
  }

  @ParameterizedTest
  @EnumSource(SymmetricAlgorithm.class)
  void wrongKeyFailsToDecrypt(SymmetricAlgorithm alg) throws Exception {
    byte[] key = random(alg.keySize());
    byte[] ciphertext = AuthenticatedEncryption.encrypt(alg, key, random(40), RANDOM);
    byte[] other = key.clone();
    other[alg.keySize() - 1] ^= 1;

    assertThrows(CryptoException.class,
        () -> AuthenticatedEncryption.decrypt(alg, other, ciphertext));
  }

  @Test
  void badPaddingUnderAValidTagIsRejected() throws Exception {
    SymmetricAlgorithm alg = SymmetricAlgorithm.AES_256_CBC_HMAC_SHA256;
    byte[] key = random(alg.keySize());
    byte[] iv = random(16);
    Cipher raw = Cipher.getInstance("AES/CBC/NoPadding");
    raw.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, 0, 32, "AES"), new IvParameterSpec(iv));
    byte[] lastByteZero = new byte[16]; // PKCS#7 never ends in 0x00
    byte[] body = concat(iv, raw.doFinal(lastByteZero));
    byte[] ciphertext = concat(body, referenceMac(alg, key).doFinal(body));

    assertThrows(CryptoException.class,
        () -> AuthenticatedEncryption.decrypt(alg, key, ciphertext));
  }

  @Test
  void labelsRoundTrip() throws Exception {
    for (SymmetricAlgorithm alg : SymmetricAlgorithm.values()) {
      assertEquals(alg, SymmetricAlgorithm.fromLabel(alg.label()));
    }
    assertThrows(CryptoException.class,
        () -> SymmetricAlgorithm.fromLabel("aes-128-cbc-hmac-sha256"));
    assertThrows(CryptoException.class, () -> SymmetricAlgorithm.fromLabel(null));
  }
}
