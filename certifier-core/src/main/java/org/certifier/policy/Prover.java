package org.certifier.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.stream.Collectors;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.proto.entity_message;
import org.certifier.proto.proof;
import org.certifier.proto.vse_clause;

/**
 * Builds the proof the Certifier Service needs (§3.6, §3.7): from the established statements
 * (the axiom {@code policyKey is-trusted}, the policy's {@code policyKey says ...} statements and
 * the statements derived from the evidence) to a goal such as
 * {@code enclaveKey is-trusted-for-authentication}.
 *
 * <p>Unlike Go, which picks statements by their position in a filtered list and applies a fixed
 * recipe per platform, the prover searches: it computes what the rules derive (see
 * {@link Closure}) and extracts the derivation of the goal. Every platform shape of §3.7 is
 * therefore handled by the same code, the order of statements does not matter, and policy
 * statements need not be filtered first. The proof it returns is accepted by
 * {@link ProofChecker} against the same statements.
 *
 * <p>When the goal cannot be established, the failure explains itself: it names the deepest
 * statement that could not be established, why, and what it was needed for, e.g.
 * {@code cannot establish Measurement[9f2b...] is-trusted: no policy statement trusts this
 * measurement (needed for Key[rsa, auth-key, a3bf...] is-trusted-for-authentication)}.
 */
public final class Prover {
  private static final int MAX_EXPLANATION_DEPTH = 32;

  private Prover() {}

  /**
   * A proof of {@code goal} from {@code alreadyProved}, whose order is irrelevant.
   *
   * @throws VerificationException {@link Failure#MALFORMED_EVIDENCE} if the goal or a statement
   *     is not well-formed ({@link Clauses#validate}); otherwise, if the goal cannot be
   *     established, {@link Failure#UNKNOWN_MEASUREMENT} (no policy statement trusts the
   *     measurement), {@link Failure#UNTRUSTED_SIGNER} (a key that vouches for evidence is not
   *     trusted), {@link Failure#PLATFORM_PROPERTY_MISMATCH} (the platform does not satisfy any
   *     trusted template; the reason lists the unmet properties),
   *     {@link Failure#TCB_STATUS_NOT_ACCEPTED} (every template refuses only the platform's
   *     graded TCB status or advisories) or {@link Failure#PROOF_FAILED}
   */
  public static proof prove(vse_clause goal, List<vse_clause> alreadyProved)
      throws VerificationException {
    Objects.requireNonNull(goal, "goal");
    Objects.requireNonNull(alreadyProved, "alreadyProved");
    validate(goal, "the goal");
    Closure closure = new Closure(Closure.MAX_WORK);
    int i = 0;
    for (vse_clause s : alreadyProved) {
      validate(s, "established statement " + i++);
      closure.addGiven(s);
    }
    closure.saturate();
    Closure.Node node = closure.find(goal);
    if (node != null && node.rule != null) {
      return closure.proofOf(node);
    }
    if (node != null) {
      // Only the service's own statements are given; a goal among them means something asserts
      // the conclusion without evidence for it. Refuse rather than prove it from itself.
      throw new VerificationException(Failure.PROOF_FAILED, Statements.describe(goal)
          + " is itself among the established statements; a goal must be derived, not given");
    }
    Why why = new Explainer(closure).why(goal, 0);
    if (why == null) {
      why = new Why(Failure.PROOF_FAILED, goal,
          "no rule derives it from the established statements", List.of());
    }
    throw new VerificationException(why.failure(), why.message());
  }

  private static void validate(vse_clause c, String what) throws VerificationException {
    try {
      Clauses.validate(c);
    } catch (VerificationException e) {
      throw new VerificationException(e.failure(), what + ": " + e.getMessage(), e);
    }
  }

  /** The deepest statement that could not be established, why, and what needed it. */
  private record Why(Failure failure, vse_clause missing, String reason,
      List<vse_clause> neededFor) {

    Why neededFor(vse_clause parent) {
      List<vse_clause> chain = new ArrayList<>(neededFor);
      chain.add(parent);
      return new Why(failure, missing, reason, List.copyOf(chain));
    }

    String message() {
      String head = "cannot establish " + Statements.describe(missing) + ": " + reason;
      if (neededFor.isEmpty()) {
        return head;
      }
      StringJoiner chain = new StringJoiner(", needed for ", " (needed for ", ")");
      for (vse_clause c : neededFor) {
        chain.add(Statements.describe(c));
      }
      return head + chain;
    }
  }

  /**
   * Walks backwards from an unestablished statement through the premises the rules would need,
   * to the first one that has no support at all. Runs only after saturation, so "established"
   * is exact; every statement is visited at most once and the depth is bounded.
   */
  private static final class Explainer {
    private final Closure closure;
    private final StatementSet visited = new StatementSet();

    Explainer(Closure closure) {
      this.closure = closure;
    }

    /**
     * Why {@code s} is not established, or null if this path explains nothing. The first
     * explanation found is passed straight up, so a statement met a second time (on a cycle or
     * another branch) has nothing to add: visiting each statement once keeps this linear.
     */
    Why why(vse_clause s, int depth) {
      if (depth > MAX_EXPLANATION_DEPTH || closure.established(s) || !visited.add(s)) {
        return null;
      }
      Why why = viaSpeaker(s, depth);
      return why != null ? why : byShape(s, depth);
    }

    /** Someone said {@code s}, but is not trusted enough for it to follow (rules 3, 5, 6). */
    private Why viaSpeaker(vse_clause s, int depth) {
      for (vse_clause said : closure.saysAbout(s.getSubject())) {
        if (Equality.sameClause(said.getClause(), s)) {
          Why why = why(Clauses.unary(said.getSubject(), speakerNeeds(s)), depth + 1);
          if (why != null) {
            return why.neededFor(s);
          }
        }
      }
      return null;
    }

    private Why byShape(vse_clause s, int depth) {
      entity_message subject = s.getSubject();
      Verb verb = Verb.fromLabel(s.getVerb()).orElse(Verb.SAYS);
      String type = subject.getEntityType();
      if (Entities.KEY.equals(type) && verb.isTrust()) {
        return key(s, verb, depth);
      }
      if (Entities.MEASUREMENT.equals(type) && verb == Verb.IS_TRUSTED) {
        return measurement(s);
      }
      if (Entities.ENVIRONMENT.equals(type)) {
        return environment(s, verb, depth);
      }
      return switch (verb) {
        case SPEAKS_FOR -> new Why(Failure.PROOF_FAILED, s,
            "no trusted attestation makes this binding", List.of());
        case HAS_TRUSTED_PLATFORM_PROPERTY -> new Why(Failure.PLATFORM_PROPERTY_MISMATCH, s,
            "no policy statement trusts this platform", List.of());
        default -> null;
      };
    }

    /** A key's trust: through its binding to a measurement or environment, or a voucher. */
    private Why key(vse_clause s, Verb verb, int depth) {
      entity_message key = s.getSubject();
      if (verb != Verb.IS_TRUSTED) {
        // Rules 1, 7, 11: bound to something the policy does not trust.
        for (vse_clause binding : closure.speaksForBy(key)) {
          Why why = why(Clauses.unary(binding.getObject(), Verb.IS_TRUSTED), depth + 1);
          if (why != null) {
            return why.neededFor(s);
          }
        }
        // The binding itself was attested by a key that is not trusted.
        for (vse_clause said : closure.saysAbout(key)) {
          if (Verb.SPEAKS_FOR.label().equals(said.getClause().getVerb())) {
            Why why = why(said.getClause(), depth + 1);
            if (why != null) {
              return why.neededFor(s);
            }
          }
        }
      }
      if (verb == Verb.IS_TRUSTED || verb == Verb.IS_TRUSTED_FOR_ATTESTATION) {
        return new Why(Failure.UNTRUSTED_SIGNER, s, "no policy statement trusts this key",
            List.of());
      }
      return new Why(Failure.PROOF_FAILED, s, verb == Verb.IS_TRUSTED_FOR_KEY_PROVISION
          ? "no trusted attestation binds this key to a trusted measurement (rule 11 does not"
              + " apply to environments)"
          : "no trusted attestation binds this key to a trusted measurement or environment",
          List.of());
    }

    private Why measurement(vse_clause s) {
      List<vse_clause> sameBytes = closure.trustedMeasurements(s.getSubject().getMeasurement());
      if (!sameBytes.isEmpty()) {
        return new Why(Failure.UNKNOWN_MEASUREMENT, s, "the policy trusts these bytes only as "
            + Statements.describe(sameBytes.get(0).getSubject()), List.of());
      }
      return new Why(Failure.UNKNOWN_MEASUREMENT, s,
          "no policy statement trusts this measurement", List.of());
    }

    /** Rules 8, 9, 10: an environment is trusted when its platform and its program are. */
    private Why environment(vse_clause s, Verb verb, int depth) {
      entity_message env = s.getSubject();
      if (verb == Verb.IS_ENVIRONMENT) {
        return new Why(Failure.PROOF_FAILED, s,
            "no trusted attestation describes this environment", List.of());
      }
      List<vse_clause> premises = new ArrayList<>();
      premises.add(Clauses.unary(env, Verb.IS_ENVIRONMENT));
      switch (verb) {
        case IS_TRUSTED -> {
          premises.add(Clauses.unary(env, Verb.ENVIRONMENT_MEASUREMENT_IS_TRUSTED));
          premises.add(Clauses.unary(env, Verb.ENVIRONMENT_PLATFORM_IS_TRUSTED));
        }
        case ENVIRONMENT_MEASUREMENT_IS_TRUSTED -> premises.add(Clauses.unary(
            Entities.measurement(env.getEnvironmentEnt().getTheMeasurement().toByteArray()),
            Verb.IS_TRUSTED));
        case ENVIRONMENT_PLATFORM_IS_TRUSTED -> {
          if (closure.established(premises.get(0))) {
            return platform(s, depth);
          }
        }
        default -> {
          return null;
        }
      }
      for (vse_clause premise : premises) {
        Why why = why(premise, depth + 1);
        if (why != null) {
          return why.neededFor(s);
        }
      }
      return null;
    }

    /** Rule 8 could not conclude {@code s = Env environment-platform-is-trusted}. */
    private Why platform(vse_clause s, int depth) {
      List<Closure.Mismatch> mismatches = closure.mismatches(s.getSubject());
      if (!mismatches.isEmpty()) {
        // Refused by every template for the same specific reason (debug, the graded TCB): say
        // so; otherwise the properties.
        Set<Failure> kinds = mismatches.stream().map(Closure.Mismatch::failure)
            .collect(Collectors.toSet());
        return new Why(kinds.size() == 1 ? kinds.iterator().next()
            : Failure.PLATFORM_PROPERTY_MISMATCH, s, String.join(" | ",
                mismatches.stream().map(Closure.Mismatch::reason).toList()), List.of());
      }
      String type = s.getSubject().getEnvironmentEnt().getThePlatform().getPlatformType();
      for (vse_clause claim : closure.templateClaims(type)) {
        Why why = why(claim.getClause(), depth + 1);
        if (why != null) {
          return why.neededFor(s);
        }
      }
      return new Why(Failure.PLATFORM_PROPERTY_MISMATCH, s,
          "no policy statement trusts platforms of type " + Statements.printable(type),
          List.of());
    }

    /**
     * What the speaker of {@code s} must be for {@code s} to follow: trusted for attestation to
     * vouch for bindings, environments and attestation keys (rules 5, 6), fully trusted for
     * anything else (rule 3).
     */
    private static Verb speakerNeeds(vse_clause s) {
      String verb = s.getVerb();
      boolean vouchable = Verb.SPEAKS_FOR.label().equals(verb)
          || Verb.IS_ENVIRONMENT.label().equals(verb)
          || (Verb.IS_TRUSTED_FOR_ATTESTATION.label().equals(verb)
              && Entities.KEY.equals(s.getSubject().getEntityType()));
      return vouchable ? Verb.IS_TRUSTED_FOR_ATTESTATION : Verb.IS_TRUSTED;
    }
  }
}
