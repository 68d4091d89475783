package org.certifier.cli.inspect;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.HexFormat;
import org.certifier.cli.output.Facts;
import org.certifier.crypto.Certificates;
import org.certifier.crypto.CryptoException;
import org.certifier.crypto.KeyAlgorithm;
import org.certifier.crypto.KeyMessages;
import org.certifier.crypto.SymmetricAlgorithm;
import org.certifier.policy.Statements;
import org.certifier.proto.key_message;

/**
 * What a key file or an embedded key is, without its secrets: type, name, size, a public
 * fingerprint and whether private material is present. Private numbers and symmetric bits are
 * never read into the output, not even in part (DESIGN.md §6: secrets are never printed).
 */
public final class KeyFacts {
  private KeyFacts() {}

  /**
   * {@code sha256:<hex>} over the DER SubjectPublicKeyInfo of the public key, the same as
   * {@code openssl pkey -pubout -outform DER | sha256sum}, so a key can be recognised across
   * files and tools.
   */
  public static String fingerprint(key_message key) throws CryptoException {
    return fingerprint(KeyMessages.toPublicKey(key));
  }

  static String fingerprint(PublicKey key) {
    try {
      return "sha256:" + HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  /** Is this a key_message at all? Its type must be one the reference defines. */
  static boolean isKnownType(String keyType) {
    try {
      KeyAlgorithm.fromKeyType(keyType);
      return true;
    } catch (CryptoException e) {
      try {
        SymmetricAlgorithm.fromLabel(keyType);
        return true;
      } catch (CryptoException e2) {
        return false;
      }
    }
  }

  static Facts of(key_message key) {
    Facts f = new Facts();
    f.put("name", key.getKeyName());
    f.put("key-type", key.getKeyType());
    if (key.hasKeyFormat()) {
      f.put("key-format", key.getKeyFormat());
    }
    try {
      SymmetricAlgorithm alg = SymmetricAlgorithm.fromLabel(key.getKeyType());
      f.put("algorithm", "symmetric " + alg.label());
      f.put("secret-key", key.hasSecretKeyBits()
          ? "present, " + key.getSecretKeyBits().size() + " bytes (not shown)" : "absent");
      return f;
    } catch (CryptoException notSymmetric) {
      asymmetric(key, f);
    }
    if (!key.getNotBefore().isEmpty() || !key.getNotAfter().isEmpty()) {
      f.put("not-before", key.getNotBefore());
      f.put("not-after", key.getNotAfter());
    }
    if (!key.getCertificate().isEmpty()) {
      try {
        X509Certificate cert = Certificates.parseDer(key.getCertificate().toByteArray());
        f.child("certificate").putAll(CertificateFacts.summary(cert));
      } catch (CryptoException e) {
        f.put("certificate", "unreadable (" + e.getMessage() + ")");
      }
    }
    return f;
  }

  private static void asymmetric(key_message key, Facts f) {
    boolean isPrivate = key.getKeyType().endsWith("-private");
    PublicKey pub;
    try {
      pub = KeyMessages.toPublicKey(key);
    } catch (CryptoException e) {
      f.put("problem", e.getMessage());
      f.put("private-key", isPrivate ? "present (not shown)" : "absent");
      return;
    }
    f.put("algorithm", algorithm(pub));
    if (pub instanceof RSAPublicKey rsa) {
      f.put("public-exponent", rsa.getPublicExponent().toString());
    }
    f.put("fingerprint", fingerprint(pub));
    f.put("principal", Statements.describe(key));
    if (isPrivate) {
      f.put("private-key", "present (not shown)");
      try {
        KeyMessages.toKeyPair(key);
        f.put("private-key-matches", true);
      } catch (CryptoException e) {
        f.put("private-key-matches", "no (" + e.getMessage() + ")");
      }
    } else {
      f.put("private-key", "absent");
    }
  }

  /** {@code RSA 2048 bits} or {@code ECC P-384}, or what the JDK calls an unsupported key. */
  static String algorithm(PublicKey key) {
    try {
      KeyAlgorithm alg = KeyAlgorithm.of(key);
      return alg.isRsa() ? "RSA " + alg.bits() + " bits" : "ECC P-" + alg.bits();
    } catch (CryptoException e) {
      BigInteger n = key instanceof RSAPublicKey rsa ? rsa.getModulus() : null;
      return key.getAlgorithm() + (n == null ? "" : " " + n.bitLength() + " bits")
          + " (not a reference key type)";
    }
  }
}
