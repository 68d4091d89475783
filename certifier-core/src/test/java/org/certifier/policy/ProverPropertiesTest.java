package org.certifier.policy;

import static org.certifier.policy.Fixtures.says;
import static org.certifier.policy.Fixtures.speaksFor;
import static org.certifier.policy.Fixtures.unary;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.certifier.evidence.VerificationException;
import org.certifier.proto.entity_message;
import org.certifier.proto.proof;
import org.certifier.proto.vse_clause;

/**
 * Soundness of the search: over random policies and evidence drawn from a small universe (so
 * that chains, cycles and dead ends are common), every proof the prover returns is accepted by
 * the checker, and nothing but VerificationException is ever thrown.
 */
class ProverPropertiesTest {
  private static final List<entity_message> KEYS = List.of(Fixtures.key("policyKey", 1),
      Fixtures.key("a", 2), Fixtures.key("b", 3), Fixtures.key("auth", 4));
  private static final byte[] DIGEST = Fixtures.bytes(5, 48);
  private static final List<entity_message> THINGS = List.of(Fixtures.measurement(6),
      Entities.measurement(DIGEST), Fixtures.environment(Fixtures.observedSev(100), DIGEST),
      Fixtures.environment(Fixtures.observedSev(10), DIGEST));
  private static final List<entity_message> TEMPLATES = List.of(
      Entities.platform(Fixtures.sevTemplate(50)), Entities.platform(Fixtures.sevTemplate(500)));
  private static final Verb[] TRUST = {Verb.IS_TRUSTED, Verb.IS_TRUSTED_FOR_ATTESTATION,
      Verb.IS_TRUSTED_FOR_AUTHENTICATION, Verb.IS_TRUSTED_FOR_KEY_PROVISION};

  @Provide
  Arbitrary<List<vse_clause>> statements() {
    Arbitrary<entity_message> keys = Arbitraries.of(KEYS);
    Arbitrary<entity_message> things = Arbitraries.of(THINGS);
    Arbitrary<Verb> trust = Arbitraries.of(TRUST);
    Arbitrary<vse_clause> inner = Arbitraries.oneOf(
        Combinators.combine(keys, trust).as(Fixtures::unary),
        Combinators.combine(things, Arbitraries.of(Verb.IS_TRUSTED, Verb.IS_ENVIRONMENT))
            .as((t, v) -> v == Verb.IS_ENVIRONMENT && !Entities.ENVIRONMENT.equals(
                t.getEntityType()) ? unary(t, Verb.IS_TRUSTED) : unary(t, v)),
        Combinators.combine(keys, things).as(Fixtures::speaksFor),
        Arbitraries.of(TEMPLATES).map(t -> unary(t, Verb.HAS_TRUSTED_PLATFORM_PROPERTY)));
    // Most statements come from the policy key, as in a real policy, so proofs are common.
    Arbitrary<entity_message> speakers = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.just(KEYS.get(0))), Tuple.of(2, keys));
    Arbitrary<vse_clause> statement = Arbitraries.frequencyOf(
        Tuple.of(5, Combinators.combine(speakers, inner).as(Fixtures::says)),
        Tuple.of(1, Combinators.combine(speakers,
            Combinators.combine(keys, inner).as(Fixtures::says)).as(Fixtures::says)),
        Tuple.of(1, inner));
    return statement.list().ofMaxSize(20).map(list -> {
      List<vse_clause> all = new ArrayList<>(list);
      all.add(0, unary(KEYS.get(0), Verb.IS_TRUSTED));
      return all;
    });
  }

  @Provide
  Arbitrary<vse_clause> goals() {
    return Combinators.combine(Arbitraries.of(KEYS.subList(1, KEYS.size())),
        Arbitraries.of(TRUST)).as(Fixtures::unary);
  }

  @Property(tries = 400)
  void returnedProofsAreAcceptedByTheChecker(@ForAll("goals") vse_clause goal,
      @ForAll("statements") List<vse_clause> statements) throws VerificationException {
    proof p;
    try {
      p = Prover.prove(goal, statements);
    } catch (VerificationException refused) {
      Statistics.label("outcome").collect("refused: " + refused.failure());
      return;
    }
    Statistics.label("outcome").collect("proved");
    ProofChecker.check(goal, p, statements);
    // The property is only meaningful if the random universe produces proofs at all.
    Statistics.label("outcome").coverage(c -> c.check("proved").percentage(pct -> pct > 2));
  }

  @Property(tries = 200)
  void explicitScenarioWithRandomNoiseStillProves(
      @ForAll("statements") List<vse_clause> noise) throws VerificationException {
    entity_message policy = KEYS.get(0);
    entity_message attest = Fixtures.key("attestKey", 9);
    entity_message m = THINGS.get(0);
    vse_clause goal = unary(KEYS.get(3), Verb.IS_TRUSTED_FOR_AUTHENTICATION);
    List<vse_clause> all = new ArrayList<>(noise);
    all.removeIf(c -> Equality.sameClause(c, goal));
    all.add(says(policy, unary(attest, Verb.IS_TRUSTED_FOR_ATTESTATION)));
    all.add(says(policy, unary(m, Verb.IS_TRUSTED)));
    all.add(says(attest, speaksFor(KEYS.get(3), m)));
    ProofChecker.check(goal, Prover.prove(goal, all), all);
  }
}
