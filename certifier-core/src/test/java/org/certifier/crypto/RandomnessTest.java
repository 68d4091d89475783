package org.certifier.crypto;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class RandomnessTest {
  @Test
  void oneSharedNonBlockingInstance() {
    SecureRandom random = Randomness.secureRandom();

    assertSame(random, Randomness.secureRandom());
    assertFalse(random.getAlgorithm().contains("Blocking"), random.getAlgorithm());
    byte[] a = new byte[16];
    byte[] b = new byte[16];
    random.nextBytes(a);
    random.nextBytes(b);
    assertNotEquals(HexFormat.of().formatHex(a), HexFormat.of().formatHex(b));
  }
}
