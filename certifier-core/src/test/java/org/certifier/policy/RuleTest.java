package org.certifier.policy;

import static org.certifier.policy.Fixtures.says;
import static org.certifier.policy.Fixtures.speaksFor;
import static org.certifier.policy.Fixtures.unary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.proto.entity_message;
import org.certifier.proto.vse_clause;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule accepts its instances and refuses a step that breaks any one of its conditions
 * (§3.5 plus the fixes of §8.2). Each refusal is checked for its Failure and for a fragment of
 * the message that names the broken condition, so a test cannot pass on the wrong check.
 */
class RuleTest {
  static final entity_message K = Fixtures.key("policyKey", 1);
  static final entity_message K2 = Fixtures.key("platformKey", 2);
  static final entity_message A = Fixtures.key("auth-key", 3);
  static final entity_message M = Fixtures.measurement(4);
  static final entity_message M2 = Fixtures.measurement(5);
  static final byte[] ENV_BYTES = Fixtures.bytes(6, 48);
  static final entity_message E = Fixtures.environment(Fixtures.observedSev(200), ENV_BYTES);
  static final entity_message E2 = Fixtures.environment(Fixtures.observedSev(201), ENV_BYTES);
  static final entity_message ENV_MEASUREMENT = Entities.measurement(ENV_BYTES);
  static final entity_message T = Entities.platform(Fixtures.sevTemplate(115));

  static Stream<Arguments> instances() {
    return Stream.of(
        ok("R1 measurement", Rule.R1, unary(M, Verb.IS_TRUSTED), speaksFor(A, M),
            unary(A, Verb.IS_TRUSTED_FOR_AUTHENTICATION)),
        ok("R1 environment", Rule.R1, unary(E, Verb.IS_TRUSTED), speaksFor(A, E),
            unary(A, Verb.IS_TRUSTED_FOR_AUTHENTICATION)),
        ok("R1 speaker renamed", Rule.R1, unary(M, Verb.IS_TRUSTED), speaksFor(A, M),
            unary(PolicyArbitraries.variant(A, 7), Verb.IS_TRUSTED_FOR_AUTHENTICATION)),
        ok("R3", Rule.R3, unary(K, Verb.IS_TRUSTED), says(K, unary(M, Verb.IS_TRUSTED)),
            unary(M, Verb.IS_TRUSTED)),
        ok("R3 nested says", Rule.R3, unary(K, Verb.IS_TRUSTED),
            says(K, says(K2, unary(M, Verb.IS_TRUSTED))), says(K2, unary(M, Verb.IS_TRUSTED))),
        ok("R5 attestation", Rule.R5, unary(K, Verb.IS_TRUSTED_FOR_ATTESTATION),
            says(K, unary(K2, Verb.IS_TRUSTED_FOR_ATTESTATION)),
            unary(K2, Verb.IS_TRUSTED_FOR_ATTESTATION)),
        ok("R5 from is-trusted", Rule.R5, unary(K, Verb.IS_TRUSTED),
            says(K, unary(K2, Verb.IS_TRUSTED_FOR_AUTHENTICATION)),
            unary(K2, Verb.IS_TRUSTED_FOR_AUTHENTICATION)),
        ok("R6 speaks-for measurement", Rule.R6, unary(K, Verb.IS_TRUSTED_FOR_ATTESTATION),
            says(K, speaksFor(A, M)), speaksFor(A, M)),
        ok("R6 speaks-for environment", Rule.R6, unary(K, Verb.IS_TRUSTED),
            says(K, speaksFor(A, E)), speaksFor(A, E)),
        ok("R6 is-environment", Rule.R6, unary(K, Verb.IS_TRUSTED_FOR_ATTESTATION),
            says(K, unary(E, Verb.IS_ENVIRONMENT)), unary(E, Verb.IS_ENVIRONMENT)),
        ok("R7", Rule.R7, unary(M, Verb.IS_TRUSTED), speaksFor(A, M),
            unary(A, Verb.IS_TRUSTED_FOR_ATTESTATION)),
        ok("R8", Rule.R8, unary(E, Verb.IS_ENVIRONMENT),
            unary(T, Verb.HAS_TRUSTED_PLATFORM_PROPERTY),
            unary(E, Verb.ENVIRONMENT_PLATFORM_IS_TRUSTED)),
        ok("R9", Rule.R9, unary(E, Verb.IS_ENVIRONMENT), unary(ENV_MEASUREMENT, Verb.IS_TRUSTED),
            unary(E, Verb.ENVIRONMENT_MEASUREMENT_IS_TRUSTED)),
        ok("R9 registers ignored as in Go", Rule.R9, unary(E, Verb.IS_ENVIRONMENT),
            unary(Entities.measurement(ENV_BYTES, new byte[] {7}), Verb.IS_TRUSTED),
            unary(E, Verb.ENVIRONMENT_MEASUREMENT_IS_TRUSTED)),
        ok("R10", Rule.R10, unary(E, Verb.ENVIRONMENT_MEASUREMENT_IS_TRUSTED),
            unary(E, Verb.ENVIRONMENT_PLATFORM_IS_TRUSTED), unary(E, Verb.IS_TRUSTED)),
        ok("R11", Rule.R11, unary(M, Verb.IS_TRUSTED), speaksFor(A, M),
            unary(A, Verb.IS_TRUSTED_FOR_KEY_PROVISION)),
        ok("R11 any trust verb", Rule.R11, unary(M, Verb.IS_TRUSTED_FOR_ATTESTATION),
            speaksFor(A, M), unary(A, Verb.IS_TRUSTED_FOR_KEY_PROVISION)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("instances")
  void instanceIsAccepted(String name, Rule rule, vse_clause s1, vse_clause s2, vse_clause c)
      throws VerificationException {
    rule.check(s1, s2, c);
  }

  static Stream<Arguments> violations() {
    List<Arguments> all = new ArrayList<>();
    trustedSpeaker(all, Rule.R1, Verb.IS_TRUSTED_FOR_AUTHENTICATION, Verb.IS_TRUSTED_FOR_ATTESTATION);
    trustedSpeaker(all, Rule.R7, Verb.IS_TRUSTED_FOR_ATTESTATION, Verb.IS_TRUSTED_FOR_AUTHENTICATION);
    rule3(all);
    rule5(all);
    rule6(all);
    rule8(all);
    rule9(all);
    rule10(all);
    rule11(all);
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("violations")
  void violationIsRefused(String name, Rule rule, vse_clause s1, vse_clause s2, vse_clause c,
      Failure expected, String fragment) {
    VerificationException e =
        assertThrows(VerificationException.class, () -> rule.check(s1, s2, c));
    assertEquals(expected, e.failure(), e.getMessage());
    assertTrue(e.getMessage().contains(fragment),
        () -> "expected \"" + fragment + "\" in: " + e.getMessage());
  }

  /** Rules 1 and 7 share their conditions; {@code other} is the other purpose's verb. */
  private static void trustedSpeaker(List<Arguments> all, Rule r, Verb concluded, Verb other) {
    vse_clause s1 = unary(M, Verb.IS_TRUSTED);
    vse_clause s2 = speaksFor(A, M);
    vse_clause c = unary(A, concluded);
    String p = r.name() + " ";
    all.add(no(p + "S1 missing", r, null, s2, c, "S1 is missing"));
    all.add(no(p + "S1 without subject", r, edit(s1, b -> b.clearSubject()), s2, c,
        "S1 has no subject"));
    all.add(no(p + "S1 without verb", r, edit(s1, b -> b.clearVerb()), s2, c, "S1 has no verb"));
    all.add(no(p + "S1 with object", r, edit(s1, b -> b.setObject(M)), s2, c, "S1 has an object"));
    all.add(no(p + "S1 with clause", r, edit(s1, b -> b.setClause(s2)), s2, c,
        "S1 has a clause"));
    all.add(no(p + "S1 verb not is-trusted", r, unary(M, Verb.IS_TRUSTED_FOR_ATTESTATION), s2, c,
        "S1 verb is is-trusted-for-attestation, expected is-trusted"));
    all.add(no(p + "S1 subject a key", r, unary(K, Verb.IS_TRUSTED), speaksFor(A, K), c,
        "S1 subject is a key"));
    all.add(no(p + "S2 missing", r, s1, null, c, "S2 is missing"));
    all.add(no(p + "S2 without object", r, s1, edit(s2, b -> b.clearObject()), c,
        "S2 has no object"));
    all.add(no(p + "S2 with clause", r, s1, edit(s2, b -> b.setClause(s1)), c,
        "S2 has a clause"));
    all.add(no(p + "S2 verb not speaks-for", r, s1, edit(s2, b -> b.setVerb("says")), c,
        "S2 verb is says, expected speaks-for"));
    all.add(no(p + "S2 speaks for another measurement", r, s1, speaksFor(A, M2), c,
        "S2 speaks for something else"));
    all.add(no(p + "S2 speaker not a key", r, s1, speaksFor(M2, M), unary(M2, concluded),
        "S2 subject is a measurement, expected key"));
    all.add(no(p + "conclusion missing", r, s1, s2, null, "the conclusion is missing"));
    all.add(no(p + "conclusion with object", r, s1, s2, edit(c, b -> b.setObject(M)),
        "the conclusion has an object"));
    all.add(no(p + "conclusion with the other purpose", r, s1, s2, unary(A, other),
        "the conclusion verb is " + other));
    all.add(no(p + "conclusion about another key", r, s1, s2, unary(K2, concluded),
        "not about the key of S2"));
  }

  private static void rule3(List<Arguments> all) {
    Rule r = Rule.R3;
    vse_clause y = unary(M, Verb.IS_TRUSTED);
    vse_clause s1 = unary(K, Verb.IS_TRUSTED);
    vse_clause s2 = says(K, y);
    all.add(no("R3 S1 missing", r, null, s2, y, "S1 is missing"));
    all.add(no("R3 S1 only trusted for attestation", r,
        unary(K, Verb.IS_TRUSTED_FOR_ATTESTATION), s2, y, "expected is-trusted"));
    all.add(no("R3 S1 subject not a key", r, unary(M, Verb.IS_TRUSTED), s2, y,
        "S1 subject is a measurement"));
    all.add(no("R3 S1 with object", r, edit(s1, b -> b.setObject(M)), s2, y,
        "S1 has an object"));
    all.add(no("R3 S2 missing", r, s1, null, y, "S2 is missing"));
    all.add(no("R3 S2 verb not says", r, s1, edit(s2, b -> b.setVerb("speaks-for")), y,
        "S2 verb is speaks-for, expected says"));
    all.add(no("R3 S2 says nothing", r, s1, edit(s2, b -> b.clearClause()), y,
        "S2 says nothing"));
    all.add(no("R3 S2 with object", r, s1, edit(s2, b -> b.setObject(M)), y, "S2 has an object"));
    all.add(no("R3 S2 said by another key", r, s1, says(K2, y), y, "said by another key"));
    all.add(no("R3 S2 speaker not a key", r, s1, edit(s2, b -> b.setSubject(M2)), y,
        "S2 subject is a measurement"));
    all.add(no("R3 conclusion not what was said", r, s1, s2, unary(M2, Verb.IS_TRUSTED),
        "not what S2 says"));
    all.add(no("R3 conclusion missing", r, s1, s2, null, "not what S2 says"));
  }

  private static void rule5(List<Arguments> all) {
    Rule r = Rule.R5;
    vse_clause y = unary(K2, Verb.IS_TRUSTED_FOR_ATTESTATION);
    vse_clause s1 = unary(K, Verb.IS_TRUSTED_FOR_ATTESTATION);
    vse_clause s2 = says(K, y);
    all.add(no("R5 S1 missing", r, null, s2, y, "S1 is missing"));
    all.add(no("R5 S1 only trusted for authentication (Go: any verb)", r,
        unary(K, Verb.IS_TRUSTED_FOR_AUTHENTICATION),
        says(K, unary(K2, Verb.IS_TRUSTED_FOR_AUTHENTICATION)),
        unary(K2, Verb.IS_TRUSTED_FOR_AUTHENTICATION),
        "does not dominate is-trusted-for-attestation"));
    all.add(no("R5 S1 verb not a trust verb (Go: self-dominance)", r,
        unary(K, Verb.IS_ENVIRONMENT), says(K, unary(K2, Verb.IS_ENVIRONMENT)),
        unary(K2, Verb.IS_ENVIRONMENT), "does not dominate is-trusted-for-attestation"));
    all.add(no("R5 S1 subject not a key", r, unary(M, Verb.IS_TRUSTED_FOR_ATTESTATION), s2, y,
        "S1 subject is a measurement"));
    all.add(no("R5 S1 with clause", r, edit(s1, b -> b.setClause(y)), s2, y, "S1 has a clause"));
    all.add(no("R5 S2 missing", r, s1, null, y, "S2 is missing"));
    all.add(no("R5 S2 verb not says", r, s1, edit(s2, b -> b.setVerb("is-trusted")), y,
        "expected says"));
    all.add(no("R5 S2 said by another key", r, s1, says(K2, y), y, "said by another key"));
    all.add(no("R5 said statement with object", r, s1,
        says(K, edit(y, b -> b.setObject(M))), edit(y, b -> b.setObject(M)),
        "what S2 says has an object"));
    all.add(no("R5 said statement with clause (C++ check)", r, s1,
        says(K, edit(y, b -> b.setClause(y))), edit(y, b -> b.setClause(y)),
        "what S2 says has a clause"));
    all.add(no("R5 said statement about a measurement", r, s1,
        says(K, unary(M, Verb.IS_TRUSTED_FOR_ATTESTATION)),
        unary(M, Verb.IS_TRUSTED_FOR_ATTESTATION), "the subject of what S2 says is a measurement"));
    all.add(no("R5 S1 verb does not dominate the said verb", r, s1,
        says(K, unary(K2, Verb.IS_TRUSTED)), unary(K2, Verb.IS_TRUSTED),
        "S1 verb is-trusted-for-attestation does not dominate is-trusted"));
    all.add(no("R5 conclusion not what was said", r, s1, s2,
        unary(K2, Verb.IS_TRUSTED_FOR_AUTHENTICATION), "not what S2 says"));
  }

  private static void rule6(List<Arguments> all) {
    Rule r = Rule.R6;
    vse_clause y = speaksFor(A, M);
    vse_clause s1 = unary(K, Verb.IS_TRUSTED_FOR_ATTESTATION);
    vse_clause s2 = says(K, y);
    all.add(no("R6 S1 missing", r, null, s2, y, "S1 is missing"));
    all.add(no("R6 S1 only trusted for authentication", r,
        unary(K, Verb.IS_TRUSTED_FOR_AUTHENTICATION), s2, y,
        "does not dominate is-trusted-for-attestation"));
    all.add(no("R6 S1 unknown verb", r, edit(s1, b -> b.setVerb("trusts")), s2, y,
        "S1 verb trusts does not dominate"));
    all.add(no("R6 S1 subject not a key", r, unary(M, Verb.IS_TRUSTED), s2, y,
        "S1 subject is a measurement"));
    all.add(no("R6 S1 with object", r, edit(s1, b -> b.setObject(M)), s2, y, "S1 has an object"));
    all.add(no("R6 S2 said by another key (C++ did not check)", r, s1, says(K2, y), y,
        "said by another key"));
    all.add(no("R6 S2 says nothing", r, s1, edit(s2, b -> b.clearClause()), y, "S2 says nothing"));
    all.add(no("R6 said statement is a trust statement", r, s1,
        says(K, unary(A, Verb.IS_TRUSTED_FOR_AUTHENTICATION)),
        unary(A, Verb.IS_TRUSTED_FOR_AUTHENTICATION),
        "only speaks-for and is-environment statements"));
    all.add(no("R6 said binding to a key", r, s1, says(K, speaksFor(A, K2)), speaksFor(A, K2),
        "the object of what S2 says is a key"));
    all.add(no("R6 said binding by a measurement", r, s1, says(K, speaksFor(M2, M)),
        speaksFor(M2, M), "the subject of what S2 says is a measurement"));
    all.add(no("R6 said binding without object", r, s1, says(K, edit(y, b -> b.clearObject())),
        edit(y, b -> b.clearObject()), "what S2 says has no object"));
    all.add(no("R6 said binding with clause", r, s1, says(K, edit(y, b -> b.setClause(s1))),
        edit(y, b -> b.setClause(s1)), "what S2 says has a clause"));
    all.add(no("R6 said is-environment about a key", r, s1, says(K, unary(A, Verb.IS_ENVIRONMENT)),
        unary(A, Verb.IS_ENVIRONMENT), "the subject of what S2 says is a key"));
    all.add(no("R6 said is-environment with object", r, s1,
        says(K, edit(unary(E, Verb.IS_ENVIRONMENT), b -> b.setObject(M))),
        edit(unary(E, Verb.IS_ENVIRONMENT), b -> b.setObject(M)), "what S2 says has an object"));
    all.add(no("R6 conclusion not what was said", r, s1, s2, speaksFor(A, M2),
        "not what S2 says"));
  }

  private static void rule8(List<Arguments> all) {
    Rule r = Rule.R8;
    vse_clause s1 = unary(E, Verb.IS_ENVIRONMENT);
    vse_clause s2 = unary(T, Verb.HAS_TRUSTED_PLATFORM_PROPERTY);
    vse_clause c = unary(E, Verb.ENVIRONMENT_PLATFORM_IS_TRUSTED);
    Failure mismatch = Failure.PLATFORM_PROPERTY_MISMATCH;
    all.add(no("R8 S1 missing", r, null, s2, c, "S1 is missing"));
    all.add(no("R8 S1 verb wrong", r, unary(E, Verb.IS_TRUSTED), s2, c,
        "S1 verb is is-trusted, expected is-environment"));
    all.add(no("R8 S1 subject not an environment", r, unary(M, Verb.IS_ENVIRONMENT), s2, c,
        "S1 subject is a measurement"));
    all.add(no("R8 S1 environment without platform", r, unary(withoutPlatform(E),
        Verb.IS_ENVIRONMENT), s2, unary(withoutPlatform(E), Verb.ENVIRONMENT_PLATFORM_IS_TRUSTED),
        "no environment with a platform"));
    all.add(no("R8 S1 environment entity without environment", r,
        unary(entity("environment"), Verb.IS_ENVIRONMENT), s2, c,
        "no environment with a platform"));
    all.add(no("R8 S1 with clause", r, edit(s1, b -> b.setClause(s2)), s2, c, "S1 has a clause"));
    all.add(no("R8 S2 missing", r, s1, null, c, "S2 is missing"));
    all.add(no("R8 S2 verb wrong", r, s1, unary(T, Verb.IS_TRUSTED), c,
        "S2 verb is is-trusted, expected has-trusted-platform-property"));
    all.add(no("R8 S2 subject not a platform", r, s1,
        unary(M, Verb.HAS_TRUSTED_PLATFORM_PROPERTY), c, "S2 subject is a measurement"));
    all.add(no("R8 S2 platform entity without platform", r, s1,
        unary(entity("platform"), Verb.HAS_TRUSTED_PLATFORM_PROPERTY), c,
        "S2 subject carries no platform"));
    all.add(no("R8 S2 with object", r, s1, edit(s2, b -> b.setObject(M)), c, "S2 has an object"));
    all.add(no("R8 conclusion missing (Go never looked)", r, s1, s2, null,
        "the conclusion is missing"));
    all.add(no("R8 conclusion about another environment (Go never looked)", r, s1, s2,
        unary(E2, Verb.ENVIRONMENT_PLATFORM_IS_TRUSTED), "not about the environment of S1"));
    all.add(no("R8 conclusion verb wrong (Go never looked)", r, s1, s2,
        unary(E, Verb.IS_TRUSTED), "the conclusion verb is is-trusted"));
    all.add(no("R8 conclusion with object", r, s1, s2, edit(c, b -> b.setObject(M)),
        "the conclusion has an object"));
    all.add(no("R8 platform type mismatch (Go ignored it)", r, s1, unary(Entities.platform(
        Fixtures.sevTemplate(115).toBuilder().setPlatformType("sgx").build()),
        Verb.HAS_TRUSTED_PLATFORM_PROPERTY), c, mismatch, "platform type"));
    entity_message debug = Fixtures.environment(Fixtures.platform("amd-sev-snp",
        Fixtures.string("debug", "yes"), Fixtures.integer("api-major", "=", 1),
        Fixtures.integer("tcb-version", "=", 200)), ENV_BYTES);
    all.add(no("R8 property value mismatch (Go compared names)", r,
        unary(debug, Verb.IS_ENVIRONMENT), s2,
        unary(debug, Verb.ENVIRONMENT_PLATFORM_IS_TRUSTED), Failure.DEBUG_NOT_ALLOWED,
        "debug: observed yes, policy requires no"));
    entity_message old = Fixtures.environment(Fixtures.observedSev(68), ENV_BYTES);
    all.add(no("R8 tcb below the minimum", r, unary(old, Verb.IS_ENVIRONMENT), s2,
        unary(old, Verb.ENVIRONMENT_PLATFORM_IS_TRUSTED), mismatch,
        "tcb-version 68 < 115 required"));
    all.add(no("R8 template property not reported (Go skipped it)", r, s1,
        unary(Entities.platform(Fixtures.platform("amd-sev-snp", Fixtures.goString("smt", "no"))),
            Verb.HAS_TRUSTED_PLATFORM_PROPERTY), c, mismatch, "smt: not reported"));
  }

  private static void rule9(List<Arguments> all) {
    Rule r = Rule.R9;
    vse_clause s1 = unary(E, Verb.IS_ENVIRONMENT);
    vse_clause s2 = unary(ENV_MEASUREMENT, Verb.IS_TRUSTED);
    vse_clause c = unary(E, Verb.ENVIRONMENT_MEASUREMENT_IS_TRUSTED);
    all.add(no("R9 S1 missing", r, null, s2, c, "S1 is missing"));
    all.add(no("R9 S1 verb wrong", r, unary(E, Verb.IS_TRUSTED), s2, c,
        "S1 verb is is-trusted, expected is-environment"));
    all.add(no("R9 S1 subject not an environment", r, unary(M, Verb.IS_ENVIRONMENT), s2,
        unary(M, Verb.ENVIRONMENT_MEASUREMENT_IS_TRUSTED), "S1 subject is a measurement"));
    all.add(no("R9 S1 environment entity without environment (Go panicked)", r,
        unary(entity("environment"), Verb.IS_ENVIRONMENT), s2,
        unary(entity("environment"), Verb.ENVIRONMENT_MEASUREMENT_IS_TRUSTED),
        "no environment with a platform"));
    all.add(no("R9 S1 with object", r, edit(s1, b -> b.setObject(M)), s2, c, "S1 has an object"));
    all.add(no("R9 S2 missing", r, s1, null, c, "S2 is missing"));
    all.add(no("R9 S2 verb wrong", r, s1, unary(ENV_MEASUREMENT, Verb.IS_TRUSTED_FOR_ATTESTATION),
        c, "S2 verb is is-trusted-for-attestation, expected is-trusted"));
    all.add(no("R9 S2 subject not a measurement", r, s1, unary(E, Verb.IS_TRUSTED), c,
        "S2 subject is an environment"));
    all.add(no("R9 S2 with object", r, s1, edit(s2, b -> b.setObject(M)), c, "S2 has an object"));
    all.add(no("R9 measurement is not the environment's", r, s1, unary(M, Verb.IS_TRUSTED), c,
        "not the environment's measurement"));
    all.add(no("R9 conclusion verb wrong", r, s1, s2,
        unary(E, Verb.ENVIRONMENT_PLATFORM_IS_TRUSTED),
        "the conclusion verb is environment-platform-is-trusted"));
    all.add(no("R9 conclusion about another environment", r, s1, s2,
        unary(E2, Verb.ENVIRONMENT_MEASUREMENT_IS_TRUSTED), "not about the environment of S1"));
    all.add(no("R9 conclusion with object", r, s1, s2, edit(c, b -> b.setObject(M)),
        "the conclusion has an object"));
  }

  private static void rule10(List<Arguments> all) {
    Rule r = Rule.R10;
    vse_clause s1 = unary(E, Verb.ENVIRONMENT_MEASUREMENT_IS_TRUSTED);
    vse_clause s2 = unary(E, Verb.ENVIRONMENT_PLATFORM_IS_TRUSTED);
    vse_clause c = unary(E, Verb.IS_TRUSTED);
    all.add(no("R10 premises in the C++ order", r, s2, s1, c,
        "S1 verb is environment-platform-is-trusted, expected environment-measurement-is-trusted"));
    all.add(no("R10 S1 missing", r, null, s2, c, "S1 is missing"));
    all.add(no("R10 S1 verb wrong", r, unary(E, Verb.IS_ENVIRONMENT), s2, c,
        "S1 verb is is-environment"));
    all.add(no("R10 S1 subject not an environment", r,
        unary(M, Verb.ENVIRONMENT_MEASUREMENT_IS_TRUSTED),
        unary(M, Verb.ENVIRONMENT_PLATFORM_IS_TRUSTED), unary(M, Verb.IS_TRUSTED),
        "S1 subject is a measurement"));
    all.add(no("R10 S1 with object", r, edit(s1, b -> b.setObject(M)), s2, c, "S1 has an object"));
    all.add(no("R10 S2 verb wrong", r, s1, unary(E, Verb.IS_ENVIRONMENT), c,
        "S2 verb is is-environment, expected environment-platform-is-trusted"));
    all.add(no("R10 S2 with clause", r, s1, edit(s2, b -> b.setClause(s1)), c,
        "S2 has a clause"));
    all.add(no("R10 S2 about another environment", r, s1,
        unary(E2, Verb.ENVIRONMENT_PLATFORM_IS_TRUSTED), c, "not about the environment of S2"));
    all.add(no("R10 conclusion missing", r, s1, s2, null, "the conclusion is missing"));
    all.add(no("R10 conclusion verb wrong", r, s1, s2,
        unary(E, Verb.IS_TRUSTED_FOR_ATTESTATION), "the conclusion verb is"));
    all.add(no("R10 conclusion about another environment", r, s1, s2,
        unary(E2, Verb.IS_TRUSTED), "not about the environment of S1"));
  }

  private static void rule11(List<Arguments> all) {
    Rule r = Rule.R11;
    vse_clause s1 = unary(M, Verb.IS_TRUSTED);
    vse_clause s2 = speaksFor(A, M);
    vse_clause c = unary(A, Verb.IS_TRUSTED_FOR_KEY_PROVISION);
    all.add(no("R11 S1 missing", r, null, s2, c, "S1 is missing"));
    all.add(no("R11 S1 verb not a trust verb", r, unary(M, Verb.IS_ENVIRONMENT), s2, c,
        "S1 verb is-environment is not a trust verb"));
    all.add(no("R11 S1 subject an environment", r, unary(E, Verb.IS_TRUSTED), speaksFor(A, E), c,
        "S1 subject is an environment, expected measurement"));
    all.add(no("R11 S1 with clause", r, edit(s1, b -> b.setClause(s2)), s2, c,
        "S1 has a clause"));
    all.add(no("R11 S2 missing", r, s1, null, c, "S2 is missing"));
    all.add(no("R11 S2 verb wrong", r, s1, edit(s2, b -> b.setVerb("says")), c,
        "S2 verb is says, expected speaks-for"));
    all.add(no("R11 S2 speaker not a key", r, s1, speaksFor(M2, M), c,
        "S2 subject is a measurement"));
    all.add(no("R11 S2 object not a measurement", r, s1, speaksFor(A, E), c,
        "S2 object is an environment"));
    all.add(no("R11 S2 speaks for another measurement", r, s1, speaksFor(A, M2), c,
        "another measurement"));
    all.add(no("R11 S2 with clause", r, s1, edit(s2, b -> b.setClause(s1)), c,
        "S2 has a clause"));
    all.add(no("R11 conclusion verb wrong", r, s1, s2,
        unary(A, Verb.IS_TRUSTED_FOR_AUTHENTICATION), "the conclusion verb is"));
    all.add(no("R11 conclusion about another key", r, s1, s2,
        unary(K2, Verb.IS_TRUSTED_FOR_KEY_PROVISION), "not about the key of S2"));
  }

  @Test
  void rules2And4AreNeverValid() {
    for (Rule r : List.of(Rule.R2, Rule.R4)) {
      VerificationException e = assertThrows(VerificationException.class,
          () -> r.check(unary(K, Verb.IS_TRUSTED), speaksFor(A, M), unary(A, Verb.IS_TRUSTED)));
      assertEquals(Failure.PROOF_FAILED, e.failure());
      assertTrue(e.getMessage().contains("not implemented (nor in the reference)"));
    }
  }

  @Test
  void rulesAreNumberedAsInTheReference() {
    for (int n = 1; n <= 11; n++) {
      assertEquals(n, Rule.byNumber(n).orElseThrow().number());
      assertEquals("R" + n, Rule.byNumber(n).orElseThrow().name());
    }
    assertEquals(Optional.empty(), Rule.byNumber(0));
    assertEquals(Optional.empty(), Rule.byNumber(12));
  }

  private static Arguments ok(String name, Rule r, vse_clause s1, vse_clause s2, vse_clause c) {
    return Arguments.of(name, r, s1, s2, c);
  }

  private static Arguments no(String name, Rule r, vse_clause s1, vse_clause s2, vse_clause c,
      String fragment) {
    return no(name, r, s1, s2, c, Failure.PROOF_FAILED, fragment);
  }

  private static Arguments no(String name, Rule r, vse_clause s1, vse_clause s2, vse_clause c,
      Failure failure, String fragment) {
    return Arguments.of(name, r, s1, s2, c, failure, fragment);
  }

  private static vse_clause edit(vse_clause c, UnaryOperator<vse_clause.Builder> change) {
    return change.apply(c.toBuilder()).build();
  }

  private static entity_message entity(String type) {
    return entity_message.newBuilder().setEntityType(type).build();
  }

  private static entity_message withoutPlatform(entity_message env) {
    return env.toBuilder().setEnvironmentEnt(env.getEnvironmentEnt().toBuilder()
        .clearThePlatform()).build();
  }
}
