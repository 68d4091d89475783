package org.certifier.crypto;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.EllipticCurve;
import java.util.Objects;

/**
 * The public-key algorithms of the reference (§1.5): the labels ("rsa-2048", "ecc-384") that
 * select an algorithm, and the key_type strings ("rsa-2048-private") derived from them.
 */
public enum KeyAlgorithm {
  RSA_1024("rsa-1024", 1024, null, null),
  RSA_2048("rsa-2048", 2048, null, null),
  RSA_3072("rsa-3072", 3072, null, null),
  RSA_4096("rsa-4096", 4096, null, null),
  ECC_256("ecc-256", 256, "P-256", "secp256r1"),
  ECC_384("ecc-384", 384, "P-384", "secp384r1");

  private static final String PUBLIC_SUFFIX = "-public";
  private static final String PRIVATE_SUFFIX = "-private";

  private final String label;
  private final int bits;
  private final String curveName;
  private final ECParameterSpec ecParameters;

  KeyAlgorithm(String label, int bits, String curveName, String jcaCurveName) {
    this.label = label;
    this.bits = bits;
    this.curveName = curveName;
    this.ecParameters = jcaCurveName == null ? null : namedCurve(jcaCurveName);
  }

  /** The algorithm label, e.g. {@code rsa-2048} or {@code ecc-384}. */
  public String label() {
    return label;
  }

  /** The key_type of a public key of this algorithm, e.g. {@code rsa-2048-public}. */
  public String publicKeyType() {
    return label + PUBLIC_SUFFIX;
  }

  /** The key_type of a private key of this algorithm, e.g. {@code rsa-2048-private}. */
  public String privateKeyType() {
    return label + PRIVATE_SUFFIX;
  }

  public boolean isRsa() {
    return ecParameters == null;
  }

  /** The exact modulus length (RSA) or field size (ECC) in bits. */
  public int bits() {
    return bits;
  }

  /** The algorithm of a label such as {@code rsa-2048}. */
  public static KeyAlgorithm fromLabel(String label) throws CryptoException {
    for (KeyAlgorithm a : values()) {
      if (a.label.equals(label)) {
        return a;
      }
    }
    throw new CryptoException("unknown public-key algorithm " + quote(label));
  }

  /** The algorithm of a key_type such as {@code rsa-2048-private} or {@code ecc-384-public}. */
  public static KeyAlgorithm fromKeyType(String keyType) throws CryptoException {
    for (KeyAlgorithm a : values()) {
      if (a.publicKeyType().equals(keyType) || a.privateKeyType().equals(keyType)) {
        return a;
      }
    }
    throw new CryptoException("unknown key type " + quote(keyType));
  }

  /**
   * The algorithm of a JCA key: RSA by exact modulus length, EC by its curve. Keys of any other
   * size, curve or family have no key_type in the reference and are rejected.
   */
  public static KeyAlgorithm of(Key key) throws CryptoException {
    Objects.requireNonNull(key, "key");
    if (key instanceof RSAKey rsa) {
      int modulusBits = rsa.getModulus().bitLength();
      for (KeyAlgorithm a : values()) {
        if (a.isRsa() && a.bits == modulusBits) {
          return a;
        }
      }
      throw new CryptoException("unsupported RSA modulus length " + modulusBits + " bits");
    }
    if (key instanceof ECKey ec) {
      for (KeyAlgorithm a : values()) {
        if (!a.isRsa() && sameCurve(a.ecParameters, ec.getParams())) {
          return a;
        }
      }
      throw new CryptoException("unsupported elliptic curve (only P-256 and P-384)");
    }
    throw new CryptoException("unsupported key algorithm " + quote(key.getAlgorithm()));
  }

  /** {@code "P-256"} or {@code "P-384"}, the ecc_message curve_name; null for RSA. */
  String curveName() {
    return curveName;
  }

  /** The JCA domain parameters of the curve; null for RSA. */
  ECParameterSpec ecParameters() {
    return ecParameters;
  }

  /** True for a key_type ending in {@code -private}; the type itself is checked elsewhere. */
  static boolean isPrivateKeyType(String keyType) {
    return keyType.endsWith(PRIVATE_SUFFIX);
  }

  private static boolean sameCurve(ECParameterSpec a, ECParameterSpec b) {
    if (b == null || !(b.getCurve().getField() instanceof ECFieldFp bField)) {
      return false;
    }
    EllipticCurve ca = a.getCurve();
    EllipticCurve cb = b.getCurve();
    BigInteger p = ((ECFieldFp) ca.getField()).getP();
    return p.equals(bField.getP())
        && ca.getA().equals(cb.getA())
        && ca.getB().equals(cb.getB())
        && a.getGenerator().equals(b.getGenerator())
        && a.getOrder().equals(b.getOrder())
        && a.getCofactor() == b.getCofactor();
  }

  private static ECParameterSpec namedCurve(String jcaName) {
    try {
      AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
      params.init(new ECGenParameterSpec(jcaName));
      return params.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      // Every Java SE runtime must provide these NIST curves; without them nothing works.
      throw new IllegalStateException("JDK lacks curve " + jcaName, e);
    }
  }

  /**
   * An untrusted name for an error message: bounded and printable, so hostile input cannot
   * flood or forge log lines.
   */
  static String quote(String s) {
    if (s == null) {
      return "(none)";
    }
    StringBuilder b = new StringBuilder("\"");
    int limit = Math.min(s.length(), 64);
    for (int i = 0; i < limit; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return b.append(s.length() > limit ? "...\"" : "\"").toString();
  }
}
