package org.certifier.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.certifier.proto.key_message;

/** key_message conversion round trips over generated keys, and the minimal integer encoding. */
class KeyMessagesPropertiesTest {
  /** A reproducible generator: SHA1PRNG seeded before first use is deterministic. */
  static SecureRandom seeded(long seed) throws Exception {
    SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
    random.setSeed(seed);
    return random;
  }

  @Provide
  Arbitrary<KeyAlgorithm> smallRsa() {
    return Arbitraries.of(KeyAlgorithm.RSA_1024, KeyAlgorithm.RSA_2048);
  }

  @Provide
  Arbitrary<KeyAlgorithm> curves() {
    return Arbitraries.of(KeyAlgorithm.ECC_256, KeyAlgorithm.ECC_384);
  }

  // Key generation dominates the run time, so few tries; the encoding itself is covered by
  // minimalEncoding below.
  @Property(tries = 5)
  void rsaKeyRoundTrip(@ForAll("smallRsa") KeyAlgorithm alg, @ForAll long seed) throws Exception {
    roundTrip(alg, KeyMessages.generate(alg, seeded(seed)));
  }

  @Property(tries = 12)
  void eccKeyRoundTrip(@ForAll("curves") KeyAlgorithm alg, @ForAll long seed) throws Exception {
    roundTrip(alg, KeyMessages.generate(alg, seeded(seed)));
  }

  private static void roundTrip(KeyAlgorithm alg, KeyPair pair) throws Exception {
    key_message key = KeyMessages.fromKeyPair(pair, "k");

    KeyPair back = KeyMessages.toKeyPair(key);

    assertEquals(alg.privateKeyType(), key.getKeyType());
    assertEquals(KeyMessages.KEY_FORMAT, key.getKeyFormat());
    assertEquals(pair.getPublic(), back.getPublic());
    // The private value itself, not its encoding: providers differ in what a PKCS#8 encoding
    // carries besides it (the native provider adds the public point).
    assertEquals(privateValue(pair.getPrivate()), privateValue(back.getPrivate()));
    assertEquals(key, KeyMessages.fromKeyPair(back, "k"));
    assertEquals(KeyMessages.fromPublicKey(pair.getPublic(), "k"), KeyMessages.publicPart(key));
    assertEquals(pair.getPublic(), KeyMessages.toPublicKey(KeyMessages.publicPart(key)));
    assertNoLeadingZero(key);
  }

  private static BigInteger privateValue(PrivateKey key) {
    return key instanceof ECPrivateKey ec ? ec.getS()
        : ((RSAPrivateKey) key).getPrivateExponent();
  }

  /** Every integer field of the written key is minimal big-endian (§1.5). */
  private static void assertNoLeadingZero(Message message) {
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      if (field.getValue() instanceof Message nested) {
        assertNoLeadingZero(nested);
      } else if (field.getValue() instanceof ByteString bytes) {
        assertNotEquals(0, bytes.size(), field.getKey().getName());
        assertNotEquals(0, bytes.byteAt(0), field.getKey().getName());
      }
    }
  }

  @Property
  void minimalEncoding(@ForAll @Size(max = 80) byte[] raw) {
    BigInteger value = new BigInteger(1, raw);

    byte[] encoded = Unsigned.toBytes(value);

    assertEquals((value.bitLength() + 7) / 8, encoded.length);
    if (encoded.length > 0) {
      assertNotEquals(0, encoded[0]);
    }
    assertEquals(value, Unsigned.fromBytes(ByteString.copyFrom(encoded)));
    assertEquals(value, Unsigned.fromBytes(ByteString.copyFrom(raw)));
  }
}
