package org.certifier.crypto;

import java.security.SecureRandom;

/** The process-wide source of randomness for keys, IVs and nonces. */
public final class Randomness {
  // The default constructor picks the platform's non-blocking provider (NativePRNG or DRBG);
  // getInstanceStrong() may block on /dev/random and stall a service. SecureRandom is
  // thread-safe, so one instance is shared.
  private static final SecureRandom INSTANCE = new SecureRandom();

  private Randomness() {}

  /** The shared, thread-safe generator. */
  public static SecureRandom secureRandom() {
    return INSTANCE;
  }
}
