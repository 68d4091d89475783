package org.certifier.policy;

import static org.certifier.policy.Fixtures.says;
import static org.certifier.policy.Fixtures.speaksFor;
import static org.certifier.policy.Fixtures.unary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.proto.entity_message;
import org.certifier.proto.proof;
import org.certifier.proto.proof_step;
import org.certifier.proto.vse_clause;
import org.junit.jupiter.api.Test;

/** §3.6 with the fix: both premises must be established, unknown or broken steps fail. */
class ProofCheckerTest {
  private static final entity_message POLICY = Fixtures.key("policyKey", 1);
  private static final entity_message AUTH = Fixtures.key("auth-key", 2);
  private static final entity_message APP = Fixtures.measurement(3);

  private static final vse_clause AXIOM = unary(POLICY, Verb.IS_TRUSTED);
  private static final vse_clause TRUST_APP = says(POLICY, unary(APP, Verb.IS_TRUSTED));
  private static final vse_clause BINDING = speaksFor(AUTH, APP);
  private static final vse_clause APP_TRUSTED = unary(APP, Verb.IS_TRUSTED);
  private static final vse_clause GOAL = unary(AUTH, Verb.IS_TRUSTED_FOR_AUTHENTICATION);

  private static proof_step step(vse_clause s1, vse_clause s2, vse_clause c, Rule r) {
    return proof_step.newBuilder().setS1(s1).setS2(s2).setConclusion(c)
        .setRuleApplied(r.number()).build();
  }

  private static final proof_step STEP1 = step(AXIOM, TRUST_APP, APP_TRUSTED, Rule.R3);
  private static final proof_step STEP2 = step(APP_TRUSTED, BINDING, GOAL, Rule.R1);
  private static final List<vse_clause> ESTABLISHED = List.of(AXIOM, TRUST_APP, BINDING);

  private static proof proofOf(proof_step... steps) {
    return proof.newBuilder().addAllSteps(List.of(steps)).build();
  }

  private static VerificationException refused(proof p, List<vse_clause> established) {
    return assertThrows(VerificationException.class,
        () -> ProofChecker.check(GOAL, p, established));
  }

  @Test
  void acceptsAValidProof() throws VerificationException {
    ProofChecker.check(GOAL, proofOf(STEP1, STEP2), ESTABLISHED);
  }

  @Test
  void succeedsAtTheFirstStepConcludingTheGoal() throws VerificationException {
    proof_step garbage = proof_step.newBuilder().setRuleApplied(42).build();
    ProofChecker.check(GOAL, proofOf(STEP1, STEP2, garbage), ESTABLISHED);
  }

  @Test
  void refusesAStepWithAnUnprovedPremiseInsteadOfSkippingIt() {
    // Go skips such a step; here it fails even though a later step could still succeed.
    proof_step unproved = step(unary(Fixtures.key("x", 9), Verb.IS_TRUSTED), TRUST_APP,
        APP_TRUSTED, Rule.R3);
    VerificationException e = refused(proofOf(unproved, STEP1, STEP2), ESTABLISHED);
    assertEquals(Failure.PROOF_FAILED, e.failure());
    assertTrue(e.getMessage().startsWith("step 1 (rule 3): premise Key[rsa, x, "),
        e.getMessage());
  }

  @Test
  void refusesWhenOnlyOnePremiseIsProved() {
    // C++ accepted a step as soon as one premise was proved (§7.1 item 11).
    List<vse_clause> withoutBinding = List.of(AXIOM, TRUST_APP);
    VerificationException e = refused(proofOf(STEP1, STEP2), withoutBinding);
    assertEquals(Failure.PROOF_FAILED, e.failure());
    assertTrue(e.getMessage().contains("step 2 (rule 1): premise Key[rsa, auth-key"),
        e.getMessage());
  }

  @Test
  void refusesAStepThatBreaksItsRule() {
    proof_step wrongRule = STEP2.toBuilder().setRuleApplied(Rule.R7.number()).build();
    VerificationException e = refused(proofOf(STEP1, wrongRule), ESTABLISHED);
    assertEquals(Failure.PROOF_FAILED, e.failure());
    assertTrue(e.getMessage().startsWith("step 2 (rule 7): rule 7: the conclusion verb"),
        e.getMessage());
  }

  @Test
  void refusesATamperedConclusion() {
    proof_step tampered = STEP1.toBuilder()
        .setConclusion(unary(Fixtures.measurement(8), Verb.IS_TRUSTED)).build();
    assertEquals(Failure.PROOF_FAILED, refused(proofOf(tampered, STEP2), ESTABLISHED).failure());
  }

  @Test
  void refusesIncompleteSteps() {
    for (proof_step broken : List.of(STEP1.toBuilder().clearS1().build(),
        STEP1.toBuilder().clearS2().build(), STEP1.toBuilder().clearConclusion().build(),
        STEP1.toBuilder().clearRuleApplied().build())) {
      VerificationException e = refused(proofOf(broken, STEP2), ESTABLISHED);
      assertEquals(Failure.PROOF_FAILED, e.failure());
      assertEquals("step 1 is incomplete", e.getMessage());
    }
  }

  @Test
  void refusesUnknownRules() {
    VerificationException e =
        refused(proofOf(STEP1.toBuilder().setRuleApplied(12).build(), STEP2), ESTABLISHED);
    assertEquals("step 1 names unknown rule 12", e.getMessage());
  }

  @Test
  void refusesAProofThatNeverConcludesTheGoal() {
    VerificationException e = refused(proofOf(STEP1), ESTABLISHED);
    assertEquals(Failure.PROOF_FAILED, e.failure());
    assertTrue(e.getMessage().startsWith("the proof never concludes Key[rsa, auth-key"));
    assertEquals(Failure.PROOF_FAILED, refused(proofOf(), ESTABLISHED).failure());
  }

  @Test
  void refusesOverlongProofs() {
    proof_step[] steps = new proof_step[ProofChecker.MAX_STEPS + 1];
    java.util.Arrays.fill(steps, STEP1);
    VerificationException e = refused(proofOf(steps), ESTABLISHED);
    assertTrue(e.getMessage().contains("more than " + ProofChecker.MAX_STEPS), e.getMessage());
  }

  @Test
  void platformMismatchKeepsItsFailure() {
    entity_message env = Fixtures.environment(Fixtures.observedSev(68), Fixtures.bytes(1, 48));
    vse_clause isEnv = unary(env, Verb.IS_ENVIRONMENT);
    vse_clause template = unary(Entities.platform(Fixtures.sevTemplate(115)),
        Verb.HAS_TRUSTED_PLATFORM_PROPERTY);
    vse_clause goal = unary(env, Verb.ENVIRONMENT_PLATFORM_IS_TRUSTED);
    VerificationException e = assertThrows(VerificationException.class,
        () -> ProofChecker.check(goal, proofOf(step(isEnv, template, goal, Rule.R8)),
            List.of(isEnv, template)));
    assertEquals(Failure.PLATFORM_PROPERTY_MISMATCH, e.failure());
    assertEquals("step 1 (rule 8): tcb-version 68 < 115 required", e.getMessage());
  }

  @Test
  void doesNotModifyTheCallersList() throws VerificationException {
    List<vse_clause> established = new ArrayList<>(ESTABLISHED);
    ProofChecker.check(GOAL, proofOf(STEP1, STEP2), established);
    assertEquals(ESTABLISHED, established);
  }
}
