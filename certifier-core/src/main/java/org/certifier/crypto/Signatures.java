package org.certifier.crypto;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.RSAKey;
import java.util.Objects;

/**
 * Signatures over signed claims and signed reports (§4.11). RSA is PKCS#1 v1.5 with the standard
 * DigestInfo, as OpenSSL emits it, and is verified strictly (the C++ check that skips DigestInfo
 * is not copied). ECDSA signatures are DER-encoded.
 */
public final class Signatures {
  private Signatures() {}

  /** Signs {@code data} with the scheme named by {@code label}. */
  public static byte[] sign(String label, PrivateKey key, byte[] data) throws CryptoException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(data, "data");
    SignatureAlgorithm alg = SignatureAlgorithm.fromLabel(label);
    checkKey(alg, key);
    try {
      Signature signer = Signature.getInstance(alg.jcaName());
      signer.initSign(key, Randomness.secureRandom());
      signer.update(data);
      return signer.sign();
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new CryptoException("signing with " + alg.label() + " failed", e);
    }
  }

  /**
   * True iff {@code signature} is a valid signature of {@code data} under {@code key} with the
   * scheme named by {@code label}. A malformed signature is simply not valid; an unknown label
   * or a key that does not fit the label is an error.
   */
  public static boolean verify(String label, PublicKey key, byte[] data, byte[] signature)
      throws CryptoException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(signature, "signature");
    SignatureAlgorithm alg = SignatureAlgorithm.fromLabel(label);
    checkKey(alg, key);
    Signature verifier;
    try {
      verifier = Signature.getInstance(alg.jcaName());
      verifier.initVerify(key);
      verifier.update(data);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new CryptoException("cannot verify with " + alg.label(), e);
    }
    try {
      return verifier.verify(signature);
    } catch (SignatureException | RuntimeException e) {
      // The JDK reports undecodable signatures (wrong length, bad DER) this way.
      return false;
    }
  }

  /**
   * The label the reference would use for this key: every RSA key gets the SHA-256 label,
   * because the Go service verifies RSA with SHA-256 whatever the size (§4.10); ECC keys get
   * the label of their curve.
   */
  public static String defaultLabel(PublicKey key) throws CryptoException {
    KeyAlgorithm alg = KeyAlgorithm.of(key);
    return switch (alg) {
      case RSA_1024, RSA_2048, RSA_3072, RSA_4096 -> SignatureAlgorithm.RSA_2048_SHA256.label();
      case ECC_256 -> SignatureAlgorithm.ECC_256_SHA256.label();
      case ECC_384 -> SignatureAlgorithm.ECC_384_SHA384.label();
    };
  }

  // The size in an RSA label is not checked against the key: the reference signs with
  // "rsa-2048-sha256-pkcs-sign" whatever the modulus (§4.11). The family and, for ECDSA, the
  // curve must match, so a label can never select a different scheme than it names.
  private static void checkKey(SignatureAlgorithm alg, Key key) throws CryptoException {
    if (alg.isRsa()) {
      if (!(key instanceof RSAKey)) {
        throw new CryptoException(alg.label() + " needs an RSA key, got "
            + KeyAlgorithm.quote(key.getAlgorithm()));
      }
      KeyAlgorithm.of(key); // rejects moduli the reference has no type for (e.g. 512 bits)
      return;
    }
    if (KeyAlgorithm.of(key) != alg.curve()) {
      throw new CryptoException(alg.label() + " needs a " + alg.curve().curveName() + " key");
    }
  }
}
