package org.certifier.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.HexFormat;
import org.certifier.proto.ecc_message;
import org.certifier.proto.key_message;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The written layout of keys the vectors do not cover (ECC), and key generation. */
class KeyMessagesTest {
  private static KeyPair p256;
  private static KeyPair p384;

  @BeforeAll
  static void generateKeys() throws Exception {
    p256 = KeyMessages.generate(KeyAlgorithm.ECC_256, Randomness.secureRandom());
    p384 = KeyMessages.generate(KeyAlgorithm.ECC_384, Randomness.secureRandom());
  }

  private static BigInteger hex(String h) {
    return new BigInteger(h, 16);
  }

  private static BigInteger num(ByteString b) {
    return new BigInteger(1, b.toByteArray());
  }

  private static BigInteger twoTo(int n) {
    return BigInteger.ONE.shiftLeft(n);
  }

  @Test
  void p256KeyHasTheCppEccLayout() throws Exception {
    key_message key = KeyMessages.fromKeyPair(p256, "service-key");
    ecc_message ecc = key.getEccKey();
    // FIPS 186-4 D.1.2.3 (P-256), written here independently of the JDK's tables.
    BigInteger p = twoTo(256).subtract(twoTo(224)).add(twoTo(192)).add(twoTo(96))
        .subtract(BigInteger.ONE);

    assertEquals("ecc-256-private", key.getKeyType());
    assertEquals("vse-key", key.getKeyFormat());
    assertEquals("service-key", key.getKeyName());
    assertEquals("P-256", ecc.getCurveName());
    assertEquals(p, num(ecc.getCurveP()));
    assertEquals(p.subtract(BigInteger.valueOf(3)), num(ecc.getCurveA()));
    assertEquals(hex("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b"),
        num(ecc.getCurveB()));
    assertEquals(hex("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"),
        num(ecc.getBasePoint().getX()));
    assertEquals(hex("4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"),
        num(ecc.getBasePoint().getY()));
    assertEquals(hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"),
        num(ecc.getOrderOfBasePoint()));
    assertEquals(((ECPublicKey) p256.getPublic()).getW().getAffineX(),
        num(ecc.getPublicPoint().getX()));
    assertEquals(((ECPublicKey) p256.getPublic()).getW().getAffineY(),
        num(ecc.getPublicPoint().getY()));
    assertEquals(((ECPrivateKey) p256.getPrivate()).getS(), num(ecc.getPrivateMultiplier()));
    assertEquals(32, ecc.getCurveP().size());
  }

  @Test
  void p384KeyNamesItsCurveAndOrder() throws Exception {
    key_message key = KeyMessages.fromPublicKey(p384.getPublic(), "vcek");
    ecc_message ecc = key.getEccKey();
    // FIPS 186-4 D.1.2.4 (P-384).
    BigInteger p = twoTo(384).subtract(twoTo(128)).subtract(twoTo(96)).add(twoTo(32))
        .subtract(BigInteger.ONE);

    assertEquals("ecc-384-public", key.getKeyType());
    assertEquals("P-384", ecc.getCurveName());
    assertEquals(p, num(ecc.getCurveP()));
    assertEquals(hex("ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf"
        + "581a0db248b0a77aecec196accc52973"), num(ecc.getOrderOfBasePoint()));
    assertFalse(ecc.hasPrivateMultiplier());
    assertEquals(p384.getPublic(), KeyMessages.toPublicKey(key));
  }

  @Test
  void publicPartStripsOnlyPrivateFields() throws Exception {
    key_message priv = KeyMessages.fromKeyPair(p256, "k").toBuilder()
        .setNotBefore("2026-11-22T05:13:43.00000Z").setNotAfter("2027-11-22T05:13:43.00000Z")
        .build();

    key_message pub = KeyMessages.publicPart(priv);

    assertEquals("ecc-256-public", pub.getKeyType());
    assertEquals(priv.getNotBefore(), pub.getNotBefore());
    assertEquals(priv.getNotAfter(), pub.getNotAfter());
    assertFalse(pub.hasCertificate());
    assertEquals(priv.getEccKey().toBuilder().clearPrivateMultiplier().build(), pub.getEccKey());
    assertEquals(pub, KeyMessages.publicPart(pub));
  }

  @Test
  void generatedRsaKeysHaveTheExactSizeAndF4() throws Exception {
    KeyPair pair = KeyMessages.generate(KeyAlgorithm.RSA_1024, Randomness.secureRandom());
    RSAPublicKey pub = (RSAPublicKey) pair.getPublic();

    assertEquals(1024, pub.getModulus().bitLength());
    assertEquals(BigInteger.valueOf(65537), pub.getPublicExponent());
    key_message key = KeyMessages.fromKeyPair(pair, "auth-key");
    assertEquals("rsa-1024-private", key.getKeyType());
    assertEquals("010001", HexFormat.of().formatHex(
        key.getRsaKey().getPublicExponent().toByteArray()));
    assertTrue(key.getRsaKey().hasPrivateIqmp());
  }

  @Test
  void mismatchedKeyPairsAreRejected() throws Exception {
    KeyPair rsa = KeyMessages.generate(KeyAlgorithm.RSA_1024, Randomness.secureRandom());

    assertThrows(CryptoException.class,
        () -> KeyMessages.fromKeyPair(new KeyPair(rsa.getPublic(), p256.getPrivate()), "k"));
    assertThrows(CryptoException.class,
        () -> KeyMessages.fromKeyPair(new KeyPair(p256.getPublic(), p384.getPrivate()), "k"));
    assertThrows(CryptoException.class,
        () -> KeyMessages.fromKeyPair(new KeyPair(p384.getPublic(), rsa.getPrivate()), "k"));
    KeyPair otherRsa = KeyMessages.generate(KeyAlgorithm.RSA_1024, Randomness.secureRandom());
    assertThrows(CryptoException.class,
        () -> KeyMessages.fromKeyPair(new KeyPair(rsa.getPublic(), otherRsa.getPrivate()), "k"));
  }
}
