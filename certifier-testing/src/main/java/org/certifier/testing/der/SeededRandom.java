package org.certifier.testing.der;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * Deterministic randomness for fakes: keys from fixed seeds, and signatures whose randomness
 * comes from the signed bytes, so that the same inputs give the same bytes in every JVM.
 */
public final class SeededRandom {
  private SeededRandom() {}

  /**
   * SHA1PRNG seeded before its first use is a deterministic generator in every JDK (the SUN
   * provider never mixes in system entropy then), unlike DRBG, which always draws entropy.
   */
  public static SecureRandom of(byte[] seedMaterial) {
    try {
      SecureRandom random = SecureRandom.getInstance("SHA1PRNG", "SUN");
      random.setSeed(MessageDigest.getInstance("SHA-256").digest(seedMaterial));
      return random;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks SHA1PRNG", e);
    }
  }
}
