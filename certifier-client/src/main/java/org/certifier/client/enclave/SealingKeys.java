package org.certifier.client.enclave;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF-SHA256 (RFC 5869) with an all-zero salt and one output block: turns a platform's key
 * material into the 32-byte AES-256-GCM key of one sealing purpose, named by {@code info}, so
 * that the platform key itself never encrypts anything and each purpose gets its own key.
 */
final class SealingKeys {
  static final int KEY_SIZE = 32;

  private SealingKeys() {}

  static byte[] derive(byte[] keyMaterial, byte[] info) throws EnclaveException {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(new byte[KEY_SIZE], "HmacSHA256"));
      byte[] prk = mac.doFinal(keyMaterial);
      mac.init(new SecretKeySpec(prk, "HmacSHA256"));
      Arrays.fill(prk, (byte) 0);
      mac.update(info);
      return mac.doFinal(new byte[] {1});
    } catch (GeneralSecurityException e) {
      throw new EnclaveException("the JDK lacks HMAC-SHA256", e);
    }
  }
}
