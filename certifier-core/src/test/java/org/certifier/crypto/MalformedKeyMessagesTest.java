package org.certifier.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import org.certifier.proto.ecc_message;
import org.certifier.proto.key_message;
import org.certifier.proto.point_message;
import org.certifier.proto.rsa_message;
import org.certifier.testing.TestVectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Malformed key_messages fail closed with a CryptoException, never an unchecked exception. */
class MalformedKeyMessagesTest {
  private static key_message rsaKey;
  private static key_message eccKey;
  private static key_message otherEccKey;

  @BeforeAll
  static void loadKeys() throws Exception {
    rsaKey = key_message.parseFrom(TestVectors.reference("provisioning/platform_key_file.bin"));
    eccKey = KeyMessages.fromKeyPair(
        KeyMessages.generate(KeyAlgorithm.ECC_256, Randomness.secureRandom()), "ecc");
    otherEccKey = KeyMessages.fromKeyPair(
        KeyMessages.generate(KeyAlgorithm.ECC_256, Randomness.secureRandom()), "other");
  }

  /** Every reader rejects the key with a CryptoException. */
  private static void assertRejected(key_message key) {
    Executable[] readers = {
        () -> KeyMessages.toPublicKey(key),
        () -> KeyMessages.toPrivateKey(key),
        () -> KeyMessages.toKeyPair(key),
        () -> KeyMessages.publicPart(key)};
    for (Executable reader : readers) {
      assertThrows(CryptoException.class, reader);
    }
  }

  /** The private half is bad: private readers fail, public readers need not. */
  private static void assertPrivateRejected(key_message key) {
    assertThrows(CryptoException.class, () -> KeyMessages.toPrivateKey(key));
    assertThrows(CryptoException.class, () -> KeyMessages.toKeyPair(key));
  }

  private static key_message withRsa(key_message key, rsa_message.Builder rsa) {
    return key.toBuilder().setRsaKey(rsa).build();
  }

  private static key_message withEcc(key_message key, ecc_message.Builder ecc) {
    return key.toBuilder().setEccKey(ecc).build();
  }

  private static ByteString bytes(BigInteger v) {
    return ByteString.copyFrom(Unsigned.toBytes(v));
  }

  @Test
  void theUnmodifiedKeysAreAccepted() throws Exception {
    KeyMessages.toKeyPair(rsaKey);
    KeyMessages.toKeyPair(eccKey);
  }

  @Test
  void rsaKeyWithoutModulusOrExponent() {
    assertRejected(withRsa(rsaKey, rsaKey.getRsaKey().toBuilder().clearPublicModulus()));
    assertRejected(withRsa(rsaKey,
        rsaKey.getRsaKey().toBuilder().setPublicModulus(ByteString.EMPTY)));
    assertRejected(withRsa(rsaKey, rsaKey.getRsaKey().toBuilder().clearPublicExponent()));
    assertRejected(rsaKey.toBuilder().clearRsaKey().build());
  }

  @Test
  void modulusSizeMustMatchTheType() {
    assertRejected(rsaKey.toBuilder().setKeyType("rsa-3072-private").build());
    assertRejected(rsaKey.toBuilder().setKeyType("rsa-1024-private").build());
    ByteString modulus = rsaKey.getRsaKey().getPublicModulus();
    assertRejected(withRsa(rsaKey, rsaKey.getRsaKey().toBuilder()
        .setPublicModulus(modulus.substring(1))));
  }

  @Test
  void invalidRsaExponents() {
    for (long e : new long[] {0, 1, 2, 65536}) {
      assertRejected(withRsa(rsaKey, rsaKey.getRsaKey().toBuilder()
          .setPublicExponent(bytes(BigInteger.valueOf(e)))));
    }
  }

  @Test
  void inconsistentOrPartialCrtParameters() {
    rsa_message rsa = rsaKey.getRsaKey();
    byte[] p = rsa.getPrivateP().toByteArray();
    p[p.length - 1] ^= 2;
    assertPrivateRejected(withRsa(rsaKey, rsa.toBuilder().setPrivateP(ByteString.copyFrom(p))));
    assertPrivateRejected(withRsa(rsaKey, rsa.toBuilder().setPrivateDp(rsa.getPrivateDq())));
    assertPrivateRejected(withRsa(rsaKey, rsa.toBuilder().setPrivateIqmp(bytes(BigInteger.ONE))));
    assertPrivateRejected(withRsa(rsaKey, rsa.toBuilder().clearPrivateQ()));
    assertPrivateRejected(withRsa(rsaKey, rsa.toBuilder()
        .setPrivateExponent(bytes(new BigInteger(1, rsa.getPrivateExponent().toByteArray())
            .add(BigInteger.TWO)))));
  }

  @Test
  void privatePartOfAnotherKeyIsRejected() throws Exception {
    // Self-consistent CRT values of the attest key under the platform key's modulus: only the
    // p * q = n check ties them to this key.
    rsa_message other = key_message.parseFrom(
        TestVectors.reference("provisioning/attest_key_file.bin")).getRsaKey();
    assertPrivateRejected(withRsa(rsaKey, other.toBuilder()
        .setPublicModulus(rsaKey.getRsaKey().getPublicModulus())));
  }

  @Test
  void bareRsaPrivateExponentIsUsedButMustMatch() throws Exception {
    rsa_message.Builder bare = rsaKey.getRsaKey().toBuilder().clearPrivateP().clearPrivateQ()
        .clearPrivateDp().clearPrivateDq().clearPrivateIqmp();
    KeyPair pair = KeyMessages.toKeyPair(withRsa(rsaKey, bare));
    assertEquals(KeyMessages.toPublicKey(rsaKey), pair.getPublic());

    BigInteger d = new BigInteger(1, rsaKey.getRsaKey().getPrivateExponent().toByteArray());
    key_message wrongD = withRsa(rsaKey, bare.setPrivateExponent(bytes(d.add(BigInteger.TWO))));
    KeyMessages.toPrivateKey(wrongD); // nothing to check it against without the CRT values
    assertThrows(CryptoException.class, () -> KeyMessages.toKeyPair(wrongD));
  }

  @Test
  void privateOperationsNeedPrivateFields() {
    key_message pub = rsaKey.toBuilder().setKeyType("rsa-2048-public").setRsaKey(
        rsa_message.newBuilder().setPublicModulus(rsaKey.getRsaKey().getPublicModulus())
            .setPublicExponent(rsaKey.getRsaKey().getPublicExponent())).build();
    assertThrows(CryptoException.class, () -> KeyMessages.toPrivateKey(pub));
    assertThrows(CryptoException.class, () -> KeyMessages.toKeyPair(pub));
    assertThrows(CryptoException.class, () -> KeyMessages.toPrivateKey(
        withRsa(rsaKey, rsaKey.getRsaKey().toBuilder().clearPrivateExponent())));
    assertThrows(CryptoException.class, () -> KeyMessages.toPrivateKey(
        withEcc(eccKey, eccKey.getEccKey().toBuilder().clearPrivateMultiplier())));
  }

  @Test
  void publicKeyMessagesMustNotCarryPrivateFields() {
    assertThrows(CryptoException.class, () -> KeyMessages.toPublicKey(
        rsaKey.toBuilder().setKeyType("rsa-2048-public").build()));
    assertThrows(CryptoException.class, () -> KeyMessages.toPublicKey(
        eccKey.toBuilder().setKeyType("ecc-256-public").build()));
  }

  @Test
  void unknownKeyTypesAndFormats() {
    for (String type : new String[] {"", "rsa-2048", "RSA-2048-private", "rsa-1536-private",
        "ecc-521-private", "aes-256-gcm", "rsa-2048-private\u0000"}) {
      assertRejected(rsaKey.toBuilder().setKeyType(type).build());
    }
    assertRejected(rsaKey.toBuilder().clearKeyType().build());
    assertRejected(rsaKey.toBuilder().setKeyFormat("pem").build());
    assertRejected(rsaKey.toBuilder().setKeyFormat("vse_key").build());
    assertRejected(rsaKey.toBuilder().setEccKey(eccKey.getEccKey()).build());
  }

  @Test
  void eccPointMustBeOnTheNamedCurve() {
    ecc_message ecc = eccKey.getEccKey();
    BigInteger y = new BigInteger(1, ecc.getPublicPoint().getY().toByteArray());
    assertRejected(withEcc(eccKey, ecc.toBuilder().setPublicPoint(
        ecc.getPublicPoint().toBuilder().setY(bytes(y.add(BigInteger.ONE))))));
    assertRejected(withEcc(eccKey, ecc.toBuilder().setPublicPoint(
        point_message.newBuilder().setX(ecc.getPublicPoint().getX()))));
    assertRejected(withEcc(eccKey, ecc.toBuilder().clearPublicPoint()));
    BigInteger p = new BigInteger(1, ecc.getCurveP().toByteArray());
    assertRejected(withEcc(eccKey, ecc.toBuilder().setPublicPoint(
        ecc.getPublicPoint().toBuilder().setY(bytes(y.add(p))))));
  }

  @Test
  void eccCurveMustMatchTheType() {
    ecc_message ecc = eccKey.getEccKey();
    assertRejected(withEcc(eccKey, ecc.toBuilder().setCurveName("P-384")));
    assertRejected(withEcc(eccKey, ecc.toBuilder().clearCurveName()));
    assertRejected(eccKey.toBuilder().setKeyType("ecc-384-private").build());
    assertRejected(withEcc(eccKey, ecc.toBuilder().setCurveB(ecc.getCurveA())));
    assertRejected(withEcc(eccKey, ecc.toBuilder().setBasePoint(ecc.getPublicPoint())));
    assertRejected(withEcc(eccKey, ecc.toBuilder().setOrderOfBasePoint(ecc.getCurveP())));
    assertRejected(eccKey.toBuilder().clearEccKey().build());
  }

  @Test
  void eccPrivateMultiplierMustBeInRangeAndMatch() {
    ecc_message ecc = eccKey.getEccKey();
    assertPrivateRejected(withEcc(eccKey, ecc.toBuilder().setPrivateMultiplier(ByteString.EMPTY)));
    assertPrivateRejected(withEcc(eccKey,
        ecc.toBuilder().setPrivateMultiplier(ecc.getOrderOfBasePoint())));
    key_message swapped = withEcc(eccKey, ecc.toBuilder()
        .setPrivateMultiplier(otherEccKey.getEccKey().getPrivateMultiplier()));
    assertThrows(CryptoException.class, () -> KeyMessages.toKeyPair(swapped));
  }

  @Test
  void goStyleAndCppStyleEccKeysAreRead() throws Exception {
    // §1.5: Go pads every field to 1 + bits/8 bytes and omits order and format; C++ writes
    // "vse_key". Both describe the same key.
    ecc_message ecc = eccKey.getEccKey();
    ecc_message.Builder padded = ecc.toBuilder().clearOrderOfBasePoint()
        .setCurveP(pad(ecc.getCurveP())).setCurveA(pad(ecc.getCurveA()))
        .setCurveB(pad(ecc.getCurveB()))
        .setBasePoint(point_message.newBuilder().setX(pad(ecc.getBasePoint().getX()))
            .setY(pad(ecc.getBasePoint().getY())))
        .setPublicPoint(point_message.newBuilder().setX(pad(ecc.getPublicPoint().getX()))
            .setY(pad(ecc.getPublicPoint().getY())));
    key_message go = withEcc(eccKey, padded).toBuilder().clearKeyFormat().build();
    key_message cpp = eccKey.toBuilder().setKeyFormat("vse_key").build();

    assertEquals(KeyMessages.toPublicKey(eccKey), KeyMessages.toPublicKey(go));
    assertEquals(KeyMessages.toPublicKey(eccKey), KeyMessages.toPublicKey(cpp));
    assertEquals("vse_key", KeyMessages.publicPart(cpp).getKeyFormat());
  }

  private static ByteString pad(ByteString field) {
    return ByteString.copyFrom(new byte[33 - field.size()]).concat(field);
  }

  @Test
  void symmetricKeysNeedTheRightLengthAndType() throws Exception {
    for (SymmetricAlgorithm alg : SymmetricAlgorithm.values()) {
      assertThrows(CryptoException.class,
          () -> KeyMessages.symmetricKey(alg, new byte[alg.keySize() - 1], "k"));
      assertThrows(CryptoException.class,
          () -> KeyMessages.symmetricKey(alg, new byte[alg.keySize() + 1], "k"));
      byte[] bits = new byte[alg.keySize()];
      bits[0] = 7;
      key_message key = KeyMessages.symmetricKey(alg, bits, "protect-key");
      assertEquals(alg.label(), key.getKeyType());
      assertEquals(KeyMessages.KEY_FORMAT, key.getKeyFormat());
      assertArrayEquals(bits, KeyMessages.symmetricKeyBits(key, alg));
      assertRejected(key);
    }
    key_message gcm = KeyMessages.symmetricKey(SymmetricAlgorithm.AES_256_GCM, new byte[32], "k");
    assertThrows(CryptoException.class, () -> KeyMessages.symmetricKeyBits(gcm,
        SymmetricAlgorithm.AES_256_CBC_HMAC_SHA256));
    assertThrows(CryptoException.class, () -> KeyMessages.symmetricKeyBits(
        gcm.toBuilder().clearSecretKeyBits().build(), SymmetricAlgorithm.AES_256_GCM));
    assertThrows(CryptoException.class, () -> KeyMessages.symmetricKeyBits(
        gcm.toBuilder().setSecretKeyBits(ByteString.copyFrom(new byte[31])).build(),
        SymmetricAlgorithm.AES_256_GCM));
  }

  @Test
  void errorMessagesDoNotEchoSecretsOrUnboundedInput() {
    String hostile = "x".repeat(10_000) + "\n\u001b[2J";
    CryptoException e = assertThrows(CryptoException.class,
        () -> KeyMessages.toPublicKey(rsaKey.toBuilder().setKeyType(hostile).build()));
    assertTrue(e.getMessage().length() < 200, e.getMessage());
    assertFalse(e.getMessage().contains("\n"));

    String secret = "secret-key-bits";
    CryptoException wrongLength = assertThrows(CryptoException.class, () ->
        KeyMessages.symmetricKey(SymmetricAlgorithm.AES_256_GCM,
            secret.getBytes(StandardCharsets.US_ASCII), "k"));
    assertFalse(wrongLength.getMessage().contains(secret));
  }

  @Test
  void labelsAndKeyTypesRoundTrip() throws Exception {
    for (KeyAlgorithm alg : KeyAlgorithm.values()) {
      assertEquals(alg, KeyAlgorithm.fromLabel(alg.label()));
      assertEquals(alg, KeyAlgorithm.fromKeyType(alg.publicKeyType()));
      assertEquals(alg, KeyAlgorithm.fromKeyType(alg.privateKeyType()));
      assertEquals(alg.label().startsWith("rsa-"), alg.isRsa());
    }
    assertEquals("rsa-2048-private", KeyAlgorithm.RSA_2048.privateKeyType());
    assertEquals("ecc-384-public", KeyAlgorithm.ECC_384.publicKeyType());
    assertThrows(CryptoException.class, () -> KeyAlgorithm.fromLabel("rsa-2048-private"));
    assertThrows(CryptoException.class, () -> KeyAlgorithm.fromKeyType("rsa-2048"));
    assertThrows(CryptoException.class, () -> KeyAlgorithm.fromLabel(null));
  }
}
