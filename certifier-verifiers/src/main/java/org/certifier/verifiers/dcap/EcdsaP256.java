package org.certifier.verifiers.dcap;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;

/**
 * The raw ECDSA P-256 forms of a quote: a public key as x || y and a signature as r || s, each
 * coordinate and component 32 bytes big-endian (the JDK's "P1363" format, the same integers a
 * DER signature would carry).
 */
final class EcdsaP256 {
  private static final int COORDINATE_SIZE = 32;
  private static final ECParameterSpec P256 = p256();

  private EcdsaP256() {}

  /**
   * The public key x || y, after checking that the point lies on P-256 (an off-curve point
   * invites invalid-curve attacks).
   *
   * @throws VerificationException {@link Failure#BAD_SIGNATURE} if it is not a P-256 point:
   *     nothing can have signed with it
   */
  static PublicKey publicKey(ByteString xy, String what) throws VerificationException {
    if (xy.size() != 2 * COORDINATE_SIZE) {
      throw new IllegalArgumentException("a raw P-256 key is 64 bytes");
    }
    BigInteger x = new BigInteger(1, xy.substring(0, COORDINATE_SIZE).toByteArray());
    BigInteger y = new BigInteger(1, xy.substring(COORDINATE_SIZE).toByteArray());
    BigInteger p = ((ECFieldFp) P256.getCurve().getField()).getP();
    BigInteger rhs = x.pow(3).add(P256.getCurve().getA().multiply(x))
        .add(P256.getCurve().getB()).mod(p);
    if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0 || !y.multiply(y).mod(p).equals(rhs)) {
      throw new VerificationException(Failure.BAD_SIGNATURE, what + " is not a P-256 point");
    }
    try {
      return KeyFactory.getInstance("EC")
          .generatePublic(new ECPublicKeySpec(new ECPoint(x, y), P256));
    } catch (GeneralSecurityException e) {
      throw new VerificationException(Failure.BAD_SIGNATURE, what + " is not a usable key", e);
    }
  }

  /** True iff {@code rs} is a valid ECDSA P-256 SHA-256 signature of {@code data}. */
  static boolean verify(PublicKey key, ByteString data, ByteString rs)
      throws VerificationException {
    try {
      Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
      verifier.initVerify(key);
      verifier.update(data.toByteArray());
      return verifier.verify(rs.toByteArray());
    } catch (SignatureException | RuntimeException e) {
      return false; // e.g. r or s zero or not below the group order
    } catch (InvalidKeyException e) {
      throw new VerificationException(Failure.UNSUPPORTED_ALGORITHM,
          "the key cannot verify ECDSA", e);
    } catch (NoSuchAlgorithmException e) {
      throw new VerificationException(Failure.INTERNAL_ERROR, "the JDK lacks ECDSA", e);
    }
  }

  private static ECParameterSpec p256() {
    try {
      AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
      params.init(new ECGenParameterSpec("secp256r1"));
      return params.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java SE runtime has P-256", e);
    }
  }
}
