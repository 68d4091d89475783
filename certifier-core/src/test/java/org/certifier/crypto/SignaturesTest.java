package org.certifier.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every §4.11 label against plain JDK signatures, in both directions, and label/key misuse. */
class SignaturesTest {
  private static final byte[] DATA = "serialized claim".getBytes(StandardCharsets.US_ASCII);
  private static KeyPair rsa1024;
  private static KeyPair rsa2048;
  private static KeyPair ec256;
  private static KeyPair ec384;

  @BeforeAll
  static void generateKeys() throws Exception {
    rsa1024 = KeyMessages.generate(KeyAlgorithm.RSA_1024, Randomness.secureRandom());
    rsa2048 = KeyMessages.generate(KeyAlgorithm.RSA_2048, Randomness.secureRandom());
    ec256 = KeyMessages.generate(KeyAlgorithm.ECC_256, Randomness.secureRandom());
    ec384 = KeyMessages.generate(KeyAlgorithm.ECC_384, Randomness.secureRandom());
  }

  static Stream<Arguments> labels() {
    return Stream.of(
        Arguments.of("rsa-1024-sha256-pkcs-sign", "SHA256withRSA", rsa1024),
        Arguments.of("rsa-2048-sha256-pkcs-sign", "SHA256withRSA", rsa2048),
        Arguments.of("rsa-3072-sha384-pkcs-sign", "SHA384withRSA", rsa2048),
        Arguments.of("rsa-4096-sha384-pkcs-sign", "SHA384withRSA", rsa2048),
        Arguments.of("ecc-256-sha256-pkcs-sign", "SHA256withECDSA", ec256),
        Arguments.of("ecc-384-sha384-pkcs-sign", "SHA384withECDSA", ec384));
  }

  @ParameterizedTest
  @MethodSource("labels")
  void oursVerifiesWithTheJdk(String label, String jcaName, KeyPair pair) throws Exception {
    byte[] signature = Signatures.sign(label, pair.getPrivate(), DATA);

    Signature jdk = Signature.getInstance(jcaName);
    jdk.initVerify(pair.getPublic());
    jdk.update(DATA);
    assertTrue(jdk.verify(signature));
  }

  @ParameterizedTest
  @MethodSource("labels")
  void jdkVerifiesWithOurs(String label, String jcaName, KeyPair pair) throws Exception {
    Signature jdk = Signature.getInstance(jcaName);
    jdk.initSign(pair.getPrivate());
    jdk.update(DATA);
    byte[] signature = jdk.sign();

    assertTrue(Signatures.verify(label, pair.getPublic(), DATA, signature));
    assertFalse(Signatures.verify(label, pair.getPublic(),
        "other data".getBytes(StandardCharsets.US_ASCII), signature));
  }

  @Test
  void digestFollowsTheLabelNotTheKeySize() throws Exception {
    byte[] sha384 = Signatures.sign("rsa-4096-sha384-pkcs-sign", rsa2048.getPrivate(), DATA);

    assertTrue(Signatures.verify("rsa-3072-sha384-pkcs-sign", rsa2048.getPublic(), DATA, sha384));
    assertFalse(Signatures.verify("rsa-2048-sha256-pkcs-sign", rsa2048.getPublic(), DATA, sha384));
  }

  @Test
  void malformedSignaturesAreInvalidNotErrors() throws Exception {
    byte[] rsaSig = Signatures.sign("rsa-2048-sha256-pkcs-sign", rsa2048.getPrivate(), DATA);
    byte[] ecSig = Signatures.sign("ecc-256-sha256-pkcs-sign", ec256.getPrivate(), DATA);

    for (byte[] bad : new byte[][] {new byte[0], new byte[] {0x30, 0x00},
        Arrays.copyOf(rsaSig, rsaSig.length - 1), Arrays.copyOf(rsaSig, rsaSig.length + 1),
        Arrays.copyOf(ecSig, 8), new byte[256]}) {
      assertFalse(Signatures.verify("rsa-2048-sha256-pkcs-sign", rsa2048.getPublic(), DATA, bad));
      assertFalse(Signatures.verify("ecc-256-sha256-pkcs-sign", ec256.getPublic(), DATA, bad));
    }
  }

  @Test
  void keyFamilyAndCurveMustFitTheLabel() {
    assertThrows(CryptoException.class,
        () -> Signatures.sign("rsa-2048-sha256-pkcs-sign", ec256.getPrivate(), DATA));
    assertThrows(CryptoException.class,
        () -> Signatures.verify("rsa-2048-sha256-pkcs-sign", ec256.getPublic(), DATA,
            new byte[64]));
    assertThrows(CryptoException.class,
        () -> Signatures.sign("ecc-256-sha256-pkcs-sign", rsa2048.getPrivate(), DATA));
    assertThrows(CryptoException.class,
        () -> Signatures.sign("ecc-384-sha384-pkcs-sign", ec256.getPrivate(), DATA));
    assertThrows(CryptoException.class,
        () -> Signatures.verify("ecc-256-sha256-pkcs-sign", ec384.getPublic(), DATA, new byte[8]));
  }

  @Test
  void unknownLabelsAreErrors() {
    for (String label : new String[] {"", "rsa-2048-sha512-pkcs-sign", "RSA-2048-SSA-SHA-256",
        "ecc-521-sha512-pkcs-sign"}) {
      assertThrows(CryptoException.class,
          () -> Signatures.sign(label, rsa2048.getPrivate(), DATA), label);
      assertThrows(CryptoException.class,
          () -> Signatures.verify(label, rsa2048.getPublic(), DATA, new byte[256]), label);
    }
    assertThrows(CryptoException.class, () -> SignatureAlgorithm.fromLabel(null));
  }

  @Test
  void rsaKeysTheReferenceCannotNameAreRejected() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(1536);
    KeyPair odd = generator.generateKeyPair();

    assertThrows(CryptoException.class,
        () -> Signatures.sign("rsa-2048-sha256-pkcs-sign", odd.getPrivate(), DATA));
    assertThrows(CryptoException.class, () -> Signatures.defaultLabel(odd.getPublic()));
  }

  @Test
  void defaultLabelIsSha256ForEveryRsaKeyAndFollowsTheCurve() throws Exception {
    assertEquals("rsa-2048-sha256-pkcs-sign", Signatures.defaultLabel(rsa1024.getPublic()));
    assertEquals("rsa-2048-sha256-pkcs-sign", Signatures.defaultLabel(rsa2048.getPublic()));
    assertEquals("ecc-256-sha256-pkcs-sign", Signatures.defaultLabel(ec256.getPublic()));
    assertEquals("ecc-384-sha384-pkcs-sign", Signatures.defaultLabel(ec384.getPublic()));
  }

  @Test
  void labelsRoundTrip() throws Exception {
    for (SignatureAlgorithm alg : SignatureAlgorithm.values()) {
      assertEquals(alg, SignatureAlgorithm.fromLabel(alg.label()));
    }
  }
}
