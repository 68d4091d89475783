package org.certifier.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.proto.entity_message;
import org.certifier.proto.key_message;
import org.certifier.proto.platform;
import org.certifier.proto.property;
import org.certifier.proto.vse_clause;
import org.certifier.testing.TestVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClausesTest {
  private static final String POLICY_KEY =
      "Key[rsa, policyKey, b8eed4bf44e7a92ee1577fc132ea22c2da9406bf]";
  private static final String PLATFORM_KEY =
      "Key[rsa, platformKey, bcdf8b9a9d12b1d26347cb28a536b3e0ff2d5e84]";
  private static final String ATTEST_KEY =
      "Key[rsa, attestKey, c21bfae0acb1648c3867b6a663597b6b24973c19]";
  private static final String APP =
      "Measurement[9f2be451d6089d7ae4c72a79b042d993f49de901ddca775c26afd15746fb8154]";

  static Stream<Arguments> referenceClauses() {
    return Stream.of(
        Arguments.of("ts1.bin", PLATFORM_KEY + " is-trusted-for-attestation"),
        Arguments.of("ts2.bin", APP + " is-trusted"),
        Arguments.of("tsc1.bin", ATTEST_KEY + " is-trusted-for-attestation"),
        Arguments.of("vse_policy1.bin",
            POLICY_KEY + " says " + PLATFORM_KEY + " is-trusted-for-attestation"),
        Arguments.of("vse_policy2.bin", POLICY_KEY + " says " + APP + " is-trusted"),
        Arguments.of("vse_policy3.bin",
            PLATFORM_KEY + " says " + ATTEST_KEY + " is-trusted-for-attestation"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("referenceClauses")
  void referenceClauseParsesValidatesAndDescribes(String file, String expected)
      throws Exception {
    vse_clause c = vse_clause.parseFrom(TestVectors.reference("provisioning/" + file));
    Clauses.validate(c);
    assertEquals(expected, Statements.describe(c));
  }

  @Test
  void factoriesBuildTheThreeShapes() throws Exception {
    entity_message k = Fixtures.key("k", 1);
    entity_message m = Fixtures.measurement(2);
    vse_clause unary = Clauses.unary(m, Verb.IS_TRUSTED);
    vse_clause simple = Clauses.simple(k, Verb.SPEAKS_FOR, m);
    vse_clause says = Clauses.says(k, unary);
    for (vse_clause c : new vse_clause[] {unary, simple, says}) {
      Clauses.validate(c);
    }
    assertEquals("is-trusted", unary.getVerb());
    assertTrue(simple.hasObject() && !simple.hasClause());
    assertTrue(says.hasClause() && !says.hasObject());
  }

  @Test
  void factoriesRefuseMisuse() {
    entity_message k = Fixtures.key("k", 1);
    entity_message m = Fixtures.measurement(2);
    assertThrows(IllegalArgumentException.class, () -> Clauses.unary(k, Verb.SAYS));
    assertThrows(IllegalArgumentException.class, () -> Clauses.simple(k, Verb.IS_TRUSTED, m));
    assertThrows(IllegalArgumentException.class,
        () -> Clauses.says(m, Clauses.unary(m, Verb.IS_TRUSTED)));
    key_message priv = Fixtures.rsa("p", 3).toBuilder()
        .setRsaKey(Fixtures.rsa("p", 3).getRsaKey().toBuilder()
            .setPrivateExponent(ByteString.copyFrom(new byte[] {7})))
        .build();
    assertThrows(IllegalArgumentException.class, () -> Entities.key(priv));
  }

  static Stream<Arguments> malformed() {
    vse_clause good = Clauses.says(Fixtures.key("k", 1),
        Clauses.simple(Fixtures.key("a", 2), Verb.SPEAKS_FOR, Fixtures.environment(
            Fixtures.observedSev(5), Fixtures.bytes(3, 48))));
    vse_clause unary = Clauses.unary(Fixtures.measurement(4), Verb.IS_TRUSTED);
    return Stream.of(
        bad("unknown verb", unary, c -> c.toBuilder().setVerb("is-trustworthy").build()),
        bad("missing verb", unary, c -> c.toBuilder().clearVerb().build()),
        bad("missing subject", unary, c -> c.toBuilder().clearSubject().build()),
        bad("unknown entity type", unary, c -> c.toBuilder()
            .setSubject(c.getSubject().toBuilder().setEntityType("program")).build()),
        bad("measurement entity without measurement", unary, c -> c.toBuilder()
            .setSubject(c.getSubject().toBuilder().clearMeasurement()).build()),
        bad("measurement entity also carrying a key", unary, c -> c.toBuilder()
            .setSubject(c.getSubject().toBuilder().setKey(Fixtures.rsa("x", 5))).build()),
        bad("unary verb with an object", unary, c -> c.toBuilder()
            .setObject(Fixtures.measurement(6)).build()),
        bad("unary verb with a clause", unary, c -> c.toBuilder().setClause(unary).build()),
        bad("says with both object and clause", good, c -> c.toBuilder()
            .setObject(Fixtures.measurement(6)).build()),
        bad("says without clause", good, c -> c.toBuilder().clearClause().build()),
        bad("says by a measurement", good, c -> c.toBuilder()
            .setSubject(Fixtures.measurement(7)).build()),
        bad("speaks-for without object", good, c -> c.toBuilder()
            .setClause(c.getClause().toBuilder().clearObject()).build()),
        bad("symmetric key as principal", unary, c -> c.toBuilder()
            .setSubject(entity_message.newBuilder().setEntityType("key")
                .setKey(key_message.newBuilder().setKeyType("aes-256-gcm")
                    .setSecretKeyBits(ByteString.copyFrom(new byte[32])))).build()),
        bad("RSA key without modulus", good, c -> c.toBuilder()
            .setSubject(Entities.key(Fixtures.rsa("k", 1).toBuilder()
                .setRsaKey(Fixtures.rsa("k", 1).getRsaKey().toBuilder().clearPublicModulus())
                .build())).build()),
        bad("private key material", good, c -> c.toBuilder()
            .setSubject(c.getSubject().toBuilder().setKey(c.getSubject().getKey().toBuilder()
                .setRsaKey(c.getSubject().getKey().getRsaKey().toBuilder()
                    .setPrivateExponent(ByteString.copyFrom(new byte[] {9}))))).build()),
        bad("ECC key on the wrong curve", unary, c -> c.toBuilder()
            .setSubject(Entities.key(Fixtures.ecc("v", 8, false).toBuilder()
                .setEccKey(Fixtures.ecc("v", 8, false).getEccKey().toBuilder()
                    .setCurveName("P-256")).build())).build()),
        bad("environment without platform", good, c -> c.toBuilder()
            .setClause(c.getClause().toBuilder().setObject(c.getClause().getObject()
                .toBuilder().setEnvironmentEnt(c.getClause().getObject().getEnvironmentEnt()
                    .toBuilder().clearThePlatform()))).build()),
        bad("platform property with unknown comparator", unary, c -> c.toBuilder()
            .setSubject(Entities.platform(Fixtures.platform("sgx",
                Fixtures.integer("cpusvn", ">", 3)))).build()),
        bad("string property compared with >=", unary, c -> c.toBuilder()
            .setSubject(Entities.platform(Fixtures.platform("sgx",
                property.newBuilder().setPropertyName("debug").setValueType("string")
                    .setComparator(">=").setStringValue("no").build()))).build()),
        bad("platform with has_key but no key", unary, c -> c.toBuilder()
            .setSubject(Entities.platform(platform.newBuilder(Fixtures.platform("sgx"))
                .setHasKey(true).build())).build()),
        bad("unknown field", unary, c -> c.toBuilder().setUnknownFields(
            UnknownFieldSet.newBuilder().addField(9, UnknownFieldSet.Field.newBuilder()
                .addVarint(1).build()).build()).build()),
        bad("nesting too deep", unary, c -> {
          vse_clause n = c;
          for (int i = 0; i <= Clauses.MAX_NESTING; i++) {
            n = Clauses.says(Fixtures.key("k", i), n);
          }
          return n;
        }));
  }

  private static Arguments bad(String name, vse_clause base, UnaryOperator<vse_clause> breakIt) {
    return Arguments.of(name, breakIt.apply(base));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void validateRejects(String name, vse_clause broken) {
    VerificationException e =
        assertThrows(VerificationException.class, () -> Clauses.validate(broken));
    assertEquals(Failure.MALFORMED_EVIDENCE, e.failure());
  }

  @Test
  void nestingUpToTheBoundIsAccepted() throws Exception {
    vse_clause n = Clauses.unary(Fixtures.measurement(4), Verb.IS_TRUSTED);
    for (int i = 0; i < Clauses.MAX_NESTING; i++) {
      n = Clauses.says(Fixtures.key("k", i), n);
    }
    Clauses.validate(n);
  }

  @Test
  void validateAcceptsTheSyntheticSevStatements() throws Exception {
    Clauses.validate(Clauses.unary(Entities.platform(Fixtures.sevTemplate(115)),
        Verb.HAS_TRUSTED_PLATFORM_PROPERTY));
    Clauses.validate(Clauses.unary(Fixtures.environment(Fixtures.observedSev(200),
        Fixtures.bytes(1, 48)), Verb.IS_ENVIRONMENT));
    Clauses.validate(Clauses.unary(Entities.key(Fixtures.ecc("VCEK", 3, true)),
        Verb.IS_TRUSTED_FOR_ATTESTATION));
    Clauses.validate(Clauses.unary(Entities.measurement(Fixtures.bytes(2, 32), new byte[] {7}),
        Verb.IS_TRUSTED));
  }
}
