package org.certifier.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The reference's authenticated encryption, byte for byte (§4.6): what seals the policy store,
 * the simulated enclave's sealed blobs and the protect keys.
 */
public final class AuthenticatedEncryption {
  private static final int AES_KEY_SIZE = 32;
  private static final int BLOCK_SIZE = 16;
  private static final int CBC_IV_SIZE = 16;
  private static final int GCM_IV_SIZE = 12;
  private static final int GCM_TAG_SIZE = 16;
  private static final String DECRYPT_FAILED = "authenticated decryption failed";

  private AuthenticatedEncryption() {}

  /** Encrypts under a fresh random IV drawn from {@code random}. */
  public static byte[] encrypt(SymmetricAlgorithm alg, byte[] key, byte[] plaintext,
      SecureRandom random) throws CryptoException {
    Objects.requireNonNull(alg, "alg");
    Objects.requireNonNull(plaintext, "plaintext");
    Objects.requireNonNull(random, "random");
    checkKey(alg, key);
    try {
      return switch (alg) {
        case AES_256_CBC_HMAC_SHA256, AES_256_CBC_HMAC_SHA384 ->
            encryptCbcHmac(alg, key, plaintext, random);
        case AES_256_GCM -> encryptGcm(key, plaintext, random);
      };
    } catch (GeneralSecurityException e) {
      throw new CryptoException(alg.label() + " encryption failed", e);
    }
  }

  /**
   * Decrypts and authenticates. Every failure (wrong length, bad tag, bad padding) is a
   * {@link CryptoException}; no plaintext is released unless the tag verifies.
   */
  public static byte[] decrypt(SymmetricAlgorithm alg, byte[] key, byte[] ciphertext)
      throws CryptoException {
    Objects.requireNonNull(alg, "alg");
    Objects.requireNonNull(ciphertext, "ciphertext");
    checkKey(alg, key);
    return switch (alg) {
      case AES_256_CBC_HMAC_SHA256, AES_256_CBC_HMAC_SHA384 ->
          decryptCbcHmac(alg, key, ciphertext);
      case AES_256_GCM -> decryptGcm(key, ciphertext);
    };
  }

  private static void checkKey(SymmetricAlgorithm alg, byte[] key) throws CryptoException {
    Objects.requireNonNull(key, "key");
    if (key.length != alg.keySize()) {
      throw new CryptoException(alg.label() + " needs a " + alg.keySize() + "-byte key, got "
          + key.length + " bytes");
    }
  }

  // §4.6.1 / §4.6.2: IV(16) || AES-256-CBC with PKCS#7 padding || HMAC(IV || CBC).
  private static byte[] encryptCbcHmac(SymmetricAlgorithm alg, byte[] key, byte[] plaintext,
      SecureRandom random) throws GeneralSecurityException {
    byte[] iv = new byte[CBC_IV_SIZE];
    random.nextBytes(iv);
    CbcHmac format = CbcHmac.of(alg);
    byte[] aesKey = Arrays.copyOfRange(key, 0, AES_KEY_SIZE);
    byte[] macKey = format.macKey(key);
    try {
      Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new IvParameterSpec(iv));
      byte[] cbc = cipher.doFinal(plaintext);
      Mac mac = format.mac(macKey);
      mac.update(iv);
      mac.update(cbc);
      byte[] tag = mac.doFinal();
      byte[] out = new byte[iv.length + cbc.length + tag.length];
      System.arraycopy(iv, 0, out, 0, iv.length);
      System.arraycopy(cbc, 0, out, iv.length, cbc.length);
      System.arraycopy(tag, 0, out, iv.length + cbc.length, tag.length);
      return out;
    } finally {
      Arrays.fill(aesKey, (byte) 0);
      Arrays.fill(macKey, (byte) 0);
    }
  }

  private static byte[] decryptCbcHmac(SymmetricAlgorithm alg, byte[] key, byte[] ciphertext)
      throws CryptoException {
    CbcHmac format = CbcHmac.of(alg);
    int cbcLength = ciphertext.length - CBC_IV_SIZE - format.tagSize();
    // PKCS#7 always adds at least one block, so an empty or unaligned body is malformed.
    if (cbcLength < BLOCK_SIZE || cbcLength % BLOCK_SIZE != 0) {
      throw new CryptoException(alg.label() + " ciphertext has an invalid length ("
          + ciphertext.length + " bytes)");
    }
    byte[] aesKey = Arrays.copyOfRange(key, 0, AES_KEY_SIZE);
    byte[] macKey = format.macKey(key);
    try {
      // Authenticate before touching the padding, in constant time (the reference uses memcmp).
      Mac mac = format.mac(macKey);
      mac.update(ciphertext, 0, CBC_IV_SIZE + cbcLength);
      byte[] expected = mac.doFinal();
      byte[] tag = Arrays.copyOfRange(ciphertext, CBC_IV_SIZE + cbcLength, ciphertext.length);
      if (!MessageDigest.isEqual(expected, tag)) {
        throw new CryptoException(DECRYPT_FAILED);
      }
      Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
      cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(aesKey, "AES"),
          new IvParameterSpec(ciphertext, 0, CBC_IV_SIZE));
      return cipher.doFinal(ciphertext, CBC_IV_SIZE, cbcLength);
    } catch (CryptoException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      // With a valid tag this means the key holder itself wrote bad padding.
      throw new CryptoException(DECRYPT_FAILED, e);
    } finally {
      Arrays.fill(aesKey, (byte) 0);
      Arrays.fill(macKey, (byte) 0);
    }
  }

  /** The HMAC half of a CBC-HMAC format: JCA name, where its key starts, tag (= key) size. */
  private record CbcHmac(String macName, int macKeyOffset, int tagSize) {
    static CbcHmac of(SymmetricAlgorithm alg) {
      // §4.6.1: HMAC-SHA256 keyed with bytes 32..63 of the 64-byte key.
      // §4.6.2: the C++ code takes the 48-byte HMAC-SHA384 key from offset 40 of the 80-byte
      // key, i.e. bytes 40..87, reading 8 bytes past its end (zeros in the trust manager's
      // buffers, undefined memory otherwise). We define bytes 80..87 as zero, which matches the
      // reference wherever its output is reproducible at all.
      return alg == SymmetricAlgorithm.AES_256_CBC_HMAC_SHA256
          ? new CbcHmac("HmacSHA256", 32, 32)
          : new CbcHmac("HmacSHA384", 40, 48);
    }

    /** The HMAC key; copyOfRange pads with the zeros that §4.6.2 calls for. */
    byte[] macKey(byte[] key) {
      return Arrays.copyOfRange(key, macKeyOffset, macKeyOffset + tagSize);
    }

    Mac mac(byte[] macKey) throws GeneralSecurityException {
      Mac mac = Mac.getInstance(macName);
      mac.init(new SecretKeySpec(macKey, macName));
      return mac;
    }
  }

  // §4.6.3: IV(12) || ciphertext || tag(16), no additional authenticated data.
  private static byte[] encryptGcm(byte[] key, byte[] plaintext, SecureRandom random)
      throws GeneralSecurityException {
    byte[] iv = new byte[GCM_IV_SIZE];
    random.nextBytes(iv);
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"),
        new GCMParameterSpec(GCM_TAG_SIZE * 8, iv));
    byte[] out = new byte[GCM_IV_SIZE + cipher.getOutputSize(plaintext.length)];
    System.arraycopy(iv, 0, out, 0, GCM_IV_SIZE);
    cipher.doFinal(plaintext, 0, plaintext.length, out, GCM_IV_SIZE);
    return out;
  }

  private static byte[] decryptGcm(byte[] key, byte[] ciphertext) throws CryptoException {
    if (ciphertext.length < GCM_IV_SIZE + GCM_TAG_SIZE) {
      throw new CryptoException("aes-256-gcm ciphertext too short (" + ciphertext.length
          + " bytes)");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(GCM_TAG_SIZE * 8, ciphertext, 0, GCM_IV_SIZE));
      return cipher.doFinal(ciphertext, GCM_IV_SIZE, ciphertext.length - GCM_IV_SIZE);
    } catch (GeneralSecurityException e) {
      throw new CryptoException(DECRYPT_FAILED, e);
    }
  }
}
