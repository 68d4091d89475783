package org.certifier.policy;

import static org.certifier.policy.Fixtures.says;
import static org.certifier.policy.Fixtures.unary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.proto.entity_message;
import org.junit.jupiter.api.Test;

class ClosureTest {
  @Test
  void searchGivesUpAtItsWorkLimit() {
    entity_message policy = Fixtures.key("policyKey", 1);
    Closure closure = new Closure(10);
    closure.addGiven(unary(policy, Verb.IS_TRUSTED));
    for (int i = 0; i < 20; i++) {
      closure.addGiven(says(policy, unary(Fixtures.measurement(100 + i), Verb.IS_TRUSTED)));
    }
    VerificationException e = assertThrows(VerificationException.class, closure::saturate);
    assertEquals(Failure.PROOF_FAILED, e.failure());
    assertEquals("proof search gave up after 10 rule applications", e.getMessage());
  }

  @Test
  void eachPairIsJoinedOnce() throws VerificationException {
    // Both statements are indexed before either fires; the rule-8 reason must appear once.
    entity_message env = Fixtures.environment(Fixtures.observedSev(1), Fixtures.bytes(1, 48));
    Closure closure = new Closure(Closure.MAX_WORK);
    closure.addGiven(unary(env, Verb.IS_ENVIRONMENT));
    closure.addGiven(unary(Entities.platform(Fixtures.sevTemplate(2)),
        Verb.HAS_TRUSTED_PLATFORM_PROPERTY));
    closure.saturate();
    assertEquals(java.util.List.of(new Closure.Mismatch(env, Failure.PLATFORM_PROPERTY_MISMATCH,
        "tcb-version 1 < 2 required")), closure.mismatches(env));
    assertTrue(closure.speaksForBy(Fixtures.key("nobody", 9)).isEmpty());
  }
}
