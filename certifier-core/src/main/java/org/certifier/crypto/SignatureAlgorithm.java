package org.certifier.crypto;

/** The signing_algorithm labels of signed claims and signed reports (§4.11). */
public enum SignatureAlgorithm {
  RSA_1024_SHA256("rsa-1024-sha256-pkcs-sign", "SHA256withRSA", null),
  RSA_2048_SHA256("rsa-2048-sha256-pkcs-sign", "SHA256withRSA", null),
  RSA_3072_SHA384("rsa-3072-sha384-pkcs-sign", "SHA384withRSA", null),
  RSA_4096_SHA384("rsa-4096-sha384-pkcs-sign", "SHA384withRSA", null),
  ECC_256_SHA256("ecc-256-sha256-pkcs-sign", "SHA256withECDSA", KeyAlgorithm.ECC_256),
  ECC_384_SHA384("ecc-384-sha384-pkcs-sign", "SHA384withECDSA", KeyAlgorithm.ECC_384);

  private final String label;
  private final String jcaName;
  private final KeyAlgorithm curve;

  SignatureAlgorithm(String label, String jcaName, KeyAlgorithm curve) {
    this.label = label;
    this.jcaName = jcaName;
    this.curve = curve;
  }

  public String label() {
    return label;
  }

  public static SignatureAlgorithm fromLabel(String label) throws CryptoException {
    for (SignatureAlgorithm a : values()) {
      if (a.label.equals(label)) {
        return a;
      }
    }
    throw new CryptoException("unknown signature algorithm " + KeyAlgorithm.quote(label));
  }

  public boolean isRsa() {
    return curve == null;
  }

  /** The JCA signature name: PKCS#1 v1.5 with DigestInfo, or ECDSA with DER signatures. */
  String jcaName() {
    return jcaName;
  }

  /** The only curve an ECDSA label may be used with; null for RSA labels. */
  KeyAlgorithm curve() {
    return curve;
  }
}
