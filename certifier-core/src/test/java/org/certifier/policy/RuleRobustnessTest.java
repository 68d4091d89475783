package org.certifier.policy;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.certifier.evidence.VerificationException;
import org.certifier.proto.vse_clause;

/** No rule, check or printer throws anything but VerificationException, whatever it is fed. */
class RuleRobustnessTest {
  @Provide
  Arbitrary<vse_clause> anything() {
    return PolicyArbitraries.anything().injectNull(0.05);
  }

  @Property(tries = 500)
  void rulesOnlyEverThrowVerificationException(@ForAll("anything") vse_clause s1,
      @ForAll("anything") vse_clause s2, @ForAll("anything") vse_clause c) {
    for (Rule r : Rule.values()) {
      try {
        r.check(s1, s2, c);
      } catch (VerificationException expected) {
        // refusing is fine; anything else would fail the property
      }
    }
  }

  @Property(tries = 500)
  void validateAndDescribeAreTotal(@ForAll("anything") vse_clause c) {
    try {
      Clauses.validate(c);
    } catch (VerificationException expected) {
      // refusing is fine
    }
    Statements.describe(c);
    Equality.sameClause(c, c);
    if (c != null) {
      Fingerprints.clause(c);
    }
  }
}
