package org.certifier.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.proto.proof;
import org.certifier.proto.proof_step;
import org.certifier.proto.vse_clause;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reference capture's certification (§3.7.2), proved and checked without cryptography. */
class ReferenceScenarioTest {
  private ReferenceVectors v;

  @BeforeEach
  void load() throws Exception {
    v = new ReferenceVectors();
  }

  @Test
  void policyHoldsThePlatformKeyAndTheAppMeasurement() {
    assertEquals(2, v.policy.size());
    assertTrue(v.policy.get(0).getClause().getSubject().getKey().getKeyName()
        .equals("platformKey"));
    assertEquals("Measurement[9f2be451d6089d7ae4c72a79b042d993f49de901ddca775c26afd15746fb8154]"
        + " is-trusted", Statements.describe(v.policy.get(1).getClause()));
  }

  @Test
  void provesAuthenticationAndTheCheckerAcceptsTheProof() throws Exception {
    vse_clause goal = v.goal(Verb.IS_TRUSTED_FOR_AUTHENTICATION);
    proof p = Prover.prove(goal, v.established());
    ProofChecker.check(goal, p, v.established());
    assertEquals(Rule.R1.number(), last(p).getRuleApplied());
    assertTrue(Equality.sameClause(goal, last(p).getConclusion()));
  }

  @Test
  void provesAttestationWithRule7() throws Exception {
    vse_clause goal = v.goal(Verb.IS_TRUSTED_FOR_ATTESTATION);
    proof p = Prover.prove(goal, v.established());
    ProofChecker.check(goal, p, v.established());
    assertEquals(Rule.R7.number(), last(p).getRuleApplied());
  }

  @Test
  void proofUsesTheReferenceRules() throws Exception {
    proof p = Prover.prove(v.goal(Verb.IS_TRUSTED_FOR_AUTHENTICATION), v.established());
    List<Integer> rules = new ArrayList<>();
    for (proof_step s : p.getStepsList()) {
      rules.add(s.getRuleApplied());
    }
    // Go's recipe is R5, R3, R5, R6, R1; the search finds the same chain, taking R3 for the
    // policy key's own statements (R5 and R3 both hold there).
    assertEquals(5, rules.size(), Statements.describe(p));
    assertTrue(rules.containsAll(List.of(3, 5, 6, 1)), rules.toString());
  }

  @Test
  void orderOfTheStatementsDoesNotMatter() throws Exception {
    List<vse_clause> shuffled = new ArrayList<>(v.established());
    Collections.reverse(shuffled);
    vse_clause goal = v.goal(Verb.IS_TRUSTED_FOR_AUTHENTICATION);
    ProofChecker.check(goal, Prover.prove(goal, shuffled), shuffled);
  }

  @Test
  void unknownMeasurementWhenThePolicyDoesNotTrustIt() {
    List<vse_clause> statements = v.established();
    statements.remove(v.policy.get(1));
    VerificationException e = assertThrows(VerificationException.class,
        () -> Prover.prove(v.goal(Verb.IS_TRUSTED_FOR_AUTHENTICATION), statements));
    assertEquals(Failure.UNKNOWN_MEASUREMENT, e.failure());
    assertTrue(e.getMessage().startsWith("cannot establish Measurement[9f2be451d6089d7a"),
        e.getMessage());
    assertTrue(e.getMessage().contains("no policy statement trusts this measurement"));
  }

  @Test
  void untrustedSignerWhenThePolicyDoesNotTrustThePlatformKey() {
    List<vse_clause> statements = v.established();
    statements.remove(v.policy.get(0));
    VerificationException e = assertThrows(VerificationException.class,
        () -> Prover.prove(v.goal(Verb.IS_TRUSTED_FOR_AUTHENTICATION), statements));
    assertEquals(Failure.UNTRUSTED_SIGNER, e.failure());
    assertTrue(e.getMessage().startsWith("cannot establish Key[rsa, platformKey, "
        + "bcdf8b9a9d12b1d26347cb28a536b3e0ff2d5e84] is-trusted-for-attestation"),
        e.getMessage());
    assertTrue(e.getMessage().contains("needed for Key[rsa, attestKey, c21bfae0"),
        e.getMessage());
  }

  @Test
  void untrustedSignerWhenAnotherKeySignedTheReport() {
    List<vse_clause> statements = v.established();
    statements.set(statements.size() - 1, v.attestation(Fixtures.rsa("attestKey", 99)));
    VerificationException e = assertThrows(VerificationException.class,
        () -> Prover.prove(v.goal(Verb.IS_TRUSTED_FOR_AUTHENTICATION), statements));
    assertEquals(Failure.UNTRUSTED_SIGNER, e.failure());
  }

  @Test
  void untrustedSignerWithoutTheAxiom() {
    List<vse_clause> statements = v.established();
    statements.remove(0);
    VerificationException e = assertThrows(VerificationException.class,
        () -> Prover.prove(v.goal(Verb.IS_TRUSTED_FOR_AUTHENTICATION), statements));
    assertEquals(Failure.UNTRUSTED_SIGNER, e.failure());
  }

  @Test
  void checkerRejectsAStepWhosePremiseIsNotEstablished() throws Exception {
    vse_clause goal = v.goal(Verb.IS_TRUSTED_FOR_AUTHENTICATION);
    proof p = Prover.prove(goal, v.established());
    List<vse_clause> without = v.established();
    without.remove(v.platformEndorsement);
    VerificationException e = assertThrows(VerificationException.class,
        () -> ProofChecker.check(goal, p, without));
    assertEquals(Failure.PROOF_FAILED, e.failure());
    assertTrue(e.getMessage().contains("is not established"), e.getMessage());
  }

  @Test
  void checkerRejectsATamperedConclusion() throws Exception {
    vse_clause goal = v.goal(Verb.IS_TRUSTED_FOR_AUTHENTICATION);
    proof p = Prover.prove(goal, v.established());
    // Claim that the app's key may vouch for other keys instead of what rule 1 concludes.
    proof_step tampered = last(p).toBuilder()
        .setConclusion(v.goal(Verb.IS_TRUSTED_FOR_ATTESTATION))
        .build();
    proof bad = p.toBuilder().setSteps(p.getStepsCount() - 1, tampered).build();
    VerificationException e = assertThrows(VerificationException.class,
        () -> ProofChecker.check(v.goal(Verb.IS_TRUSTED_FOR_ATTESTATION), bad, v.established()));
    assertEquals(Failure.PROOF_FAILED, e.failure());
    assertTrue(e.getMessage().contains("rule 1"), e.getMessage());
  }

  private static proof_step last(proof p) {
    return p.getSteps(p.getStepsCount() - 1);
  }
}
