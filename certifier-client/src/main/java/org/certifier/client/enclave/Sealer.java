package org.certifier.client.enclave;

import org.certifier.crypto.AuthenticatedEncryption;
import org.certifier.crypto.CryptoException;
import org.certifier.crypto.Randomness;
import org.certifier.crypto.SymmetricAlgorithm;

/**
 * Sealing for the hardware enclaves (TDX, Gramine, SEV-SNP): authenticated encryption with a
 * random nonce under the enclave's sealing key, or a clear error when the platform gave it none.
 * Each enclave decides how its key is made (HKDF of platform key material, or the reference's
 * SEV KDF) and which construction it uses; this class only keeps the key and the messages
 * consistent.
 */
final class Sealer {
  private final String platform;
  private final SymmetricAlgorithm algorithm;
  private final byte[] key;
  private final String whyNoKey;
  private final String otherSealer;

  /**
   * @param platform the platform's name for messages, e.g. {@code "TDX"}
   * @param key the sealing key, or null when this enclave cannot seal
   * @param whyNoKey the message when there is no key: why, and how to get one
   * @param otherSealer who else could have sealed a blob that does not open, e.g. {@code "under
   *     another derived key"}
   */
  Sealer(String platform, SymmetricAlgorithm algorithm, byte[] key, String whyNoKey,
      String otherSealer) {
    this.platform = platform;
    this.algorithm = algorithm;
    this.key = key;
    this.whyNoKey = whyNoKey;
    this.otherSealer = otherSealer;
  }

  /** Whether {@link #seal} and {@link #unseal} work, i.e. there is a key. */
  boolean canSeal() {
    return key != null;
  }

  byte[] seal(byte[] data) throws EnclaveException {
    try {
      return AuthenticatedEncryption.encrypt(algorithm, requireKey(), data,
          Randomness.secureRandom());
    } catch (CryptoException e) {
      throw new EnclaveException(platform + " sealing failed", e);
    }
  }

  byte[] unseal(byte[] sealed) throws EnclaveException {
    try {
      return AuthenticatedEncryption.decrypt(algorithm, requireKey(), sealed);
    } catch (CryptoException e) {
      throw new EnclaveException(platform + ": sealed data is corrupt or was sealed "
          + otherSealer, e);
    }
  }

  private byte[] requireKey() throws EnclaveException {
    if (key == null) {
      throw new EnclaveException(whyNoKey);
    }
    return key;
  }
}
