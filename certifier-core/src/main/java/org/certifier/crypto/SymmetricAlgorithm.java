package org.certifier.crypto;

/** The authenticated-encryption formats of the reference (§1.5 key sizes, §4.6 layouts). */
public enum SymmetricAlgorithm {
  /** §4.6.1: AES-256-CBC then HMAC-SHA256; 32-byte AES key followed by a 32-byte HMAC key. */
  AES_256_CBC_HMAC_SHA256("aes-256-cbc-hmac-sha256", 64),
  /** §4.6.2: AES-256-CBC then HMAC-SHA384 with the reference's odd key split. */
  AES_256_CBC_HMAC_SHA384("aes-256-cbc-hmac-sha384", 80),
  /** §4.6.3: AES-256-GCM, 12-byte IV, 16-byte tag, no AAD. */
  AES_256_GCM("aes-256-gcm", 32);

  private final String label;
  private final int keySize;

  SymmetricAlgorithm(String label, int keySize) {
    this.label = label;
    this.keySize = keySize;
  }

  /** The label used as key_type and in the policy store, e.g. {@code aes-256-gcm}. */
  public String label() {
    return label;
  }

  /** The key length in bytes. */
  public int keySize() {
    return keySize;
  }

  public static SymmetricAlgorithm fromLabel(String label) throws CryptoException {
    for (SymmetricAlgorithm a : values()) {
      if (a.label.equals(label)) {
        return a;
      }
    }
    throw new CryptoException("unknown symmetric algorithm " + KeyAlgorithm.quote(label));
  }
}
