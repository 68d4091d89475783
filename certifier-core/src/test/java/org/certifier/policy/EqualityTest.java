package org.certifier.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.certifier.proto.entity_message;
import org.certifier.proto.key_message;
import org.certifier.proto.platform;
import org.certifier.proto.vse_clause;

class EqualityTest {
  @Provide
  Arbitrary<entity_message> entities() {
    return PolicyArbitraries.entities();
  }

  @Provide
  Arbitrary<vse_clause> clauses() {
    return PolicyArbitraries.clauses();
  }

  @Provide
  Arbitrary<key_message> keys() {
    return PolicyArbitraries.keys();
  }

  @Provide
  Arbitrary<platform> platforms() {
    return PolicyArbitraries.platforms();
  }

  @Property
  void entityEqualityIsReflexive(@ForAll("entities") entity_message e) {
    assertTrue(Equality.sameEntity(e, e));
    assertTrue(Equality.sameEntity(e, e.toBuilder().build()));
  }

  @Property
  void entityEqualityIsSymmetric(@ForAll("entities") entity_message a,
      @ForAll("entities") entity_message b) {
    assertEquals(Equality.sameEntity(a, b), Equality.sameEntity(b, a));
  }

  @Property
  void clauseEqualityIsReflexive(@ForAll("clauses") vse_clause c) {
    assertTrue(Equality.sameClause(c, c));
  }

  @Property
  void clauseEqualityIsSymmetric(@ForAll("clauses") vse_clause a,
      @ForAll("clauses") vse_clause b) {
    assertEquals(Equality.sameClause(a, b), Equality.sameClause(b, a));
  }

  @Property
  void variantsAreEqualBothWaysAndHashAlike(@ForAll("clauses") vse_clause c,
      @ForAll @LongRange(min = 0, max = 9) long seed) {
    vse_clause v = PolicyArbitraries.variant(c, seed);
    assertTrue(Equality.sameClause(c, v), () -> Statements.describe(c));
    assertTrue(Equality.sameClause(v, c));
    assertEquals(Fingerprints.clause(c), Fingerprints.clause(v));
  }

  @Property
  void equalClausesHaveEqualFingerprints(@ForAll("clauses") vse_clause a,
      @ForAll("clauses") vse_clause b) {
    if (Equality.sameClause(a, b)) {
      assertEquals(Fingerprints.clause(a), Fingerprints.clause(b));
    }
  }

  @Property
  void sameKeyIgnoresNamesFormatsCertificatesAndTimes(@ForAll("keys") key_message k,
      @ForAll @LongRange(min = 0, max = 9) long seed) {
    key_message renamed = PolicyArbitraries.variant(k, seed).toBuilder()
        .setNotAfter("2027:12:01T05:13:43Z").build();
    assertTrue(Equality.sameKey(k, renamed));
  }

  @Property
  void eccPaddedAndMinimalEncodingsAreTheSameKey(@ForAll @LongRange(min = 0, max = 1000)
      long seed) {
    key_message go = Fixtures.ecc("VCEK", seed, true);
    key_message cpp = Fixtures.ecc("VCEK", seed, false);
    assertEquals(49, go.getEccKey().getPublicPoint().getX().size());
    assertTrue(cpp.getEccKey().getPublicPoint().getX().size() < 48);
    assertTrue(Equality.sameKey(go, cpp));
    assertTrue(Equality.sameKey(cpp, go));
    assertFalse(Equality.sameKey(go, Fixtures.ecc("VCEK", seed + 2, false)));
  }

  @Property
  void platformsDifferingInAPropertyValueDiffer(@ForAll("platforms") platform p) {
    if (p.getProps().getPropsCount() == 0) {
      return;
    }
    platform changed = p.toBuilder().setProps(p.getProps().toBuilder().setProps(0,
        p.getProps().getProps(0).toBuilder().setStringValue("maybe").setIntValue(99))).build();
    assertFalse(Equality.samePlatform(p, changed));
    assertFalse(Equality.samePlatform(changed, p));
  }

  @Example
  void keysDifferInTypeOrMaterial() {
    key_message k = Fixtures.rsa("k", 1);
    assertFalse(Equality.sameKey(k, Fixtures.rsa("k", 2)));
    assertFalse(Equality.sameKey(k, k.toBuilder().setKeyType("rsa-3072-public").build()));
    assertFalse(Equality.sameKey(k, k.toBuilder().setRsaKey(k.getRsaKey().toBuilder()
        .setPublicExponent(ByteString.copyFrom(new byte[] {3}))).build()));
    assertFalse(Equality.sameKey(k, null));
  }

  @Example
  void rsaLeadingZerosDoNotChangeTheKey() {
    key_message k = Fixtures.rsa("k", 1);
    byte[] padded = Fixtures.pad(k.getRsaKey().getPublicModulus().toByteArray(), 257);
    key_message p = k.toBuilder().setRsaKey(k.getRsaKey().toBuilder()
        .setPublicModulus(ByteString.copyFrom(padded))).build();
    assertTrue(Equality.sameKey(k, p));
  }

  @Property
  void paddedNumbersHashAndCompareAsTheirMinimalForm(@ForAll byte[] number,
      @ForAll @IntRange(min = 0, max = 40) int zeros) {
    byte[] padded = new byte[zeros + number.length];
    System.arraycopy(number, 0, padded, zeros, number.length);
    ByteString a = ByteString.copyFrom(number);
    ByteString b = ByteString.copyFrom(padded);
    assertEquals(Equality.numberHash(a), Equality.numberHash(b));
    key_message k = Fixtures.rsa("k", 1);
    key_message withA = k.toBuilder().setRsaKey(k.getRsaKey().toBuilder()
        .setPublicExponent(a)).build();
    key_message withB = k.toBuilder().setRsaKey(k.getRsaKey().toBuilder()
        .setPublicExponent(b)).build();
    assertEquals(!a.isEmpty(), Equality.sameKey(withA, withB));
    assertEquals(Equality.sameKey(withA, withB), Equality.sameKey(withB, withA));
    if (number.length > 0) {
      byte[] other = number.clone();
      other[0] ^= 1; // a change in the most significant byte, outside the hashed tail
      key_message withOther = k.toBuilder().setRsaKey(k.getRsaKey().toBuilder()
          .setPublicExponent(ByteString.copyFrom(other))).build();
      assertFalse(Equality.sameKey(withA, withOther));
    }
  }

  @Example
  void symmetricKeysAreNeverEqual() {
    key_message aes = key_message.newBuilder().setKeyType("aes-256-gcm")
        .setSecretKeyBits(ByteString.copyFrom(new byte[32])).build();
    assertFalse(Equality.sameKey(aes, aes));
  }

  @Example
  void keysWithoutMaterialAreNeverEqual() {
    key_message empty = key_message.newBuilder().setKeyType("rsa-2048-public").build();
    assertFalse(Equality.sameKey(empty, empty));
    key_message noPoint = key_message.newBuilder().setKeyType("ecc-384-public")
        .setEccKey(Fixtures.ecc("v", 1, false).getEccKey().toBuilder().clearPublicPoint())
        .build();
    assertFalse(Equality.sameKey(noPoint, noPoint));
  }

  @Example
  void registersTakePartInMeasurementEquality() {
    byte[] m = Fixtures.bytes(1, 32);
    assertFalse(Equality.sameEntity(Entities.measurement(m),
        Entities.measurement(m, new byte[0])));
    assertFalse(Equality.sameEntity(Entities.measurement(m, new byte[] {7}),
        Entities.measurement(m, new byte[] {8})));
    assertTrue(Equality.sameEntity(Entities.measurement(m, new byte[] {7}),
        Entities.measurement(m, new byte[] {7})));
  }

  @Example
  void platformsCompareTypeAndValuesBothWays() {
    platform p = Fixtures.observedSev(115);
    assertFalse(Equality.samePlatform(p, p.toBuilder().setPlatformType("sgx").build()));
    assertFalse(Equality.samePlatform(p, Fixtures.observedSev(114)));
    platform fewer = p.toBuilder().setProps(p.getProps().toBuilder().removeProps(0)).build();
    assertFalse(Equality.samePlatform(p, fewer));
    assertFalse(Equality.samePlatform(fewer, p));
    platform keyed = p.toBuilder().setHasKey(true).setAttestKey(Fixtures.rsa("a", 1)).build();
    assertFalse(Equality.samePlatform(p, keyed));
    assertTrue(Equality.samePlatform(keyed, keyed.toBuilder()
        .setAttestKey(Fixtures.rsa("renamed", 1)).build()));
  }

  @Example
  void clausePresenceOfObjectAndClauseMatters() {
    entity_message k = Fixtures.key("k", 1);
    entity_message m = Fixtures.measurement(2);
    vse_clause simple = Clauses.simple(k, Verb.SPEAKS_FOR, m);
    assertFalse(Equality.sameClause(simple, simple.toBuilder().clearObject().build()));
    vse_clause says = Clauses.says(k, Clauses.unary(m, Verb.IS_TRUSTED));
    assertFalse(Equality.sameClause(says, says.toBuilder().clearClause().build()));
    assertFalse(Equality.sameClause(says, says.toBuilder().setVerb("speaks-for").build()));
    assertFalse(Equality.sameClause(says, null));
  }
}
