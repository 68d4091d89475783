package org.certifier.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.proto.proof;
import org.certifier.proto.proof_step;
import org.certifier.proto.vse_clause;

/**
 * Verifies a proof against the statements already established (§3.6). Differences from Go's
 * {@code VerifyProof}, all fail-closed: a step whose premises are not both established fails
 * the proof instead of being skipped silently (C++ even accepted one proved premise, §7.1 item
 * 11); proofs longer than {@link #MAX_STEPS} are refused; the caller's list is not modified.
 * As in Go, the proof succeeds at the first step concluding the goal, so steps after it are
 * not examined.
 */
public final class ProofChecker {
  /** Far above the 11 steps of the longest reference proof (SEV, §3.7.4). */
  public static final int MAX_STEPS = 1000;

  private ProofChecker() {}

  /**
   * Returns normally if {@code p} proves {@code goal} from {@code alreadyProved}.
   *
   * @throws VerificationException {@link Failure#PROOF_FAILED} for an incomplete or unjustified
   *     step, an unknown rule or a proof that never reaches the goal; the failure of the rule
   *     check (e.g. {@link Failure#PLATFORM_PROPERTY_MISMATCH}) for a step that breaks its rule
   */
  public static void check(vse_clause goal, proof p, List<vse_clause> alreadyProved)
      throws VerificationException {
    Objects.requireNonNull(goal, "goal");
    Objects.requireNonNull(p, "proof");
    Objects.requireNonNull(alreadyProved, "alreadyProved");
    if (p.getStepsCount() > MAX_STEPS) {
      throw failed("proof has " + p.getStepsCount() + " steps, more than " + MAX_STEPS);
    }
    StatementSet proved = new StatementSet();
    for (vse_clause c : alreadyProved) {
      if (c != null) {
        proved.add(c);
      }
    }
    int n = 0;
    for (proof_step step : p.getStepsList()) {
      n++;
      if (!step.hasS1() || !step.hasS2() || !step.hasConclusion() || !step.hasRuleApplied()) {
        throw failed("step " + n + " is incomplete");
      }
      Optional<Rule> rule = Rule.byNumber(step.getRuleApplied());
      if (rule.isEmpty()) {
        throw failed("step " + n + " names unknown rule " + step.getRuleApplied());
      }
      String where = "step " + n + " (" + rule.get() + "): ";
      if (!proved.contains(step.getS1())) {
        throw failed(where + "premise " + Statements.describe(step.getS1())
            + " is not established");
      }
      if (!proved.contains(step.getS2())) {
        throw failed(where + "premise " + Statements.describe(step.getS2())
            + " is not established");
      }
      try {
        rule.get().check(step.getS1(), step.getS2(), step.getConclusion());
      } catch (VerificationException e) {
        throw new VerificationException(e.failure(), where + e.getMessage(), e);
      }
      if (Equality.sameClause(step.getConclusion(), goal)) {
        return;
      }
      proved.add(step.getConclusion());
    }
    throw failed("the proof never concludes " + Statements.describe(goal));
  }

  private static VerificationException failed(String why) {
    return new VerificationException(Failure.PROOF_FAILED, why);
  }
}
