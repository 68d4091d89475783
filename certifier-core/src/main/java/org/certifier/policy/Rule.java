package org.certifier.policy;

import java.util.Optional;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.proto.entity_message;
import org.certifier.proto.vse_clause;

/**
 * The inference rules of the policy logic, numbered as in the reference (§3.5). Each checks one
 * proof step "S1 and S2 imply conclusion" with Go's conditions plus the fixes of §8.2 and a few
 * tightenings, each marked in its comment. A check either returns (the step is valid) or throws
 * {@link VerificationException}: {@link Failure#PLATFORM_PROPERTY_MISMATCH} when rule 8's
 * platform does not satisfy its template, {@link Failure#PROOF_FAILED} for everything else. It
 * never throws anything else, whatever the clauses contain (null and half-empty included).
 */
public enum Rule {
  /** {@code E is-trusted} and {@code K speaks-for E} imply {@code K is-trusted-for-authentication}. */
  R1(1) {
    @Override
    public void check(vse_clause s1, vse_clause s2, vse_clause conclusion)
        throws VerificationException {
      trustedSpeaker(this, s1, s2, conclusion, Verb.IS_TRUSTED_FOR_AUTHENTICATION);
    }
  },
  /** Speaks-for transitivity: never implemented by the reference, so always refused. */
  R2(2) {
    @Override
    public void check(vse_clause s1, vse_clause s2, vse_clause conclusion)
        throws VerificationException {
      throw fail(this, "speaks-for transitivity is not implemented (nor in the reference)");
    }
  },
  /** {@code K is-trusted} and {@code K says Y} imply {@code Y}. */
  R3(3) {
    @Override
    public void check(vse_clause s1, vse_clause s2, vse_clause conclusion)
        throws VerificationException {
      unary(this, s1, "S1");
      verb(this, s1, "S1", Verb.IS_TRUSTED);
      type(this, s1.getSubject(), "S1 subject", Entities.KEY);
      says(this, s1, s2);
      same(this, s2.getClause(), conclusion, "the conclusion is not what S2 says");
    }
  },
  /** Trust through speaks-for: never implemented by the reference, so always refused. */
  R4(4) {
    @Override
    public void check(vse_clause s1, vse_clause s2, vse_clause conclusion)
        throws VerificationException {
      throw fail(this, "trust through speaks-for is not implemented (nor in the reference)");
    }
  },
  /**
   * {@code K vX} and {@code K says K2 vY} imply {@code K2 vY} when vX dominates vY. Tightened:
   * vX must dominate {@code is-trusted-for-attestation} (as in rule 6), because Go's "any verb"
   * would let a key that is only trusted for authentication (any admitted program) hand its
   * trust on to other keys. Every proof of §3.7 uses rule 5 with is-trusted or
   * is-trusted-for-attestation only. As in C++, the inner statement must be unary.
   */
  R5(5) {
    @Override
    public void check(vse_clause s1, vse_clause s2, vse_clause conclusion)
        throws VerificationException {
      unary(this, s1, "S1");
      type(this, s1.getSubject(), "S1 subject", Entities.KEY);
      Verb vx = vouchingVerb(this, s1);
      says(this, s1, s2);
      vse_clause inner = s2.getClause();
      unary(this, inner, "what S2 says");
      type(this, inner.getSubject(), "the subject of what S2 says", Entities.KEY);
      Optional<Verb> vy = Verb.fromLabel(inner.getVerb());
      if (vy.isEmpty() || !vx.dominates(vy.get())) {
        throw fail(this, "S1 verb " + vx + " does not dominate "
            + Statements.printable(inner.getVerb()));
      }
      same(this, inner, conclusion, "the conclusion is not what S2 says");
    }
  },
  /**
   * {@code K vX} and {@code K says Y} imply {@code Y} for Y = {@code K2 speaks-for M|Env} or
   * {@code Env is-environment}, when vX dominates {@code is-trusted-for-attestation}. The
   * speaker must be the trusted key (Go; C++ compiled that check out, §7.1 item 11).
   */
  R6(6) {
    @Override
    public void check(vse_clause s1, vse_clause s2, vse_clause conclusion)
        throws VerificationException {
      unary(this, s1, "S1");
      type(this, s1.getSubject(), "S1 subject", Entities.KEY);
      vouchingVerb(this, s1);
      says(this, s1, s2);
      vse_clause y = s2.getClause();
      present(this, y, "what S2 says");
      if (Verb.SPEAKS_FOR.label().equals(y.getVerb())) {
        binary(this, y, "what S2 says");
        type(this, y.getSubject(), "the subject of what S2 says", Entities.KEY);
        type(this, y.getObject(), "the object of what S2 says", Entities.MEASUREMENT,
            Entities.ENVIRONMENT);
      } else if (Verb.IS_ENVIRONMENT.label().equals(y.getVerb())) {
        unary(this, y, "what S2 says");
        type(this, y.getSubject(), "the subject of what S2 says", Entities.ENVIRONMENT);
      } else {
        throw fail(this, "only speaks-for and is-environment statements can be vouched for, not "
            + Statements.printable(y.getVerb()));
      }
      same(this, y, conclusion, "the conclusion is not what S2 says");
    }
  },
  /** {@code E is-trusted} and {@code K speaks-for E} imply {@code K is-trusted-for-attestation}. */
  R7(7) {
    @Override
    public void check(vse_clause s1, vse_clause s2, vse_clause conclusion)
        throws VerificationException {
      trustedSpeaker(this, s1, s2, conclusion, Verb.IS_TRUSTED_FOR_ATTESTATION);
    }
  },
  /**
   * {@code Env is-environment} and {@code Plat has-trusted-platform-property} imply
   * {@code Env environment-platform-is-trusted} when Env's platform satisfies the template Plat.
   * Fixed (§8.2): the conclusion is checked (Go never looked at it) and the platform type and
   * property values are compared by {@link PlatformProperties}.
   */
  R8(8) {
    @Override
    public void check(vse_clause s1, vse_clause s2, vse_clause conclusion)
        throws VerificationException {
      unary(this, s1, "S1");
      verb(this, s1, "S1", Verb.IS_ENVIRONMENT);
      environmentSubject(this, s1, "S1");
      unary(this, s2, "S2");
      verb(this, s2, "S2", Verb.HAS_TRUSTED_PLATFORM_PROPERTY);
      type(this, s2.getSubject(), "S2 subject", Entities.PLATFORM);
      if (!s2.getSubject().hasPlatformEnt()) {
        throw fail(this, "S2 subject carries no platform");
      }
      unary(this, conclusion, "the conclusion");
      verb(this, conclusion, "the conclusion", Verb.ENVIRONMENT_PLATFORM_IS_TRUSTED);
      sameEntity(this, conclusion.getSubject(), s1.getSubject(),
          "the conclusion is not about the environment of S1");
      PlatformProperties.check(s2.getSubject().getPlatformEnt(),
          s1.getSubject().getEnvironmentEnt().getThePlatform());
    }
  },
  /**
   * {@code Env is-environment} and {@code M is-trusted} imply
   * {@code Env environment-measurement-is-trusted} when M's bytes are Env's measurement
   * (registers ignored, as in Go). Null-safe where Go panics (§7.3).
   */
  R9(9) {
    @Override
    public void check(vse_clause s1, vse_clause s2, vse_clause conclusion)
        throws VerificationException {
      unary(this, s1, "S1");
      verb(this, s1, "S1", Verb.IS_ENVIRONMENT);
      environmentSubject(this, s1, "S1");
      unary(this, s2, "S2");
      verb(this, s2, "S2", Verb.IS_TRUSTED);
      type(this, s2.getSubject(), "S2 subject", Entities.MEASUREMENT);
      unary(this, conclusion, "the conclusion");
      verb(this, conclusion, "the conclusion", Verb.ENVIRONMENT_MEASUREMENT_IS_TRUSTED);
      sameEntity(this, conclusion.getSubject(), s1.getSubject(),
          "the conclusion is not about the environment of S1");
      if (!s2.getSubject().getMeasurement().equals(
          s1.getSubject().getEnvironmentEnt().getTheMeasurement())) {
        throw fail(this, "the trusted measurement is not the environment's measurement");
      }
    }
  },
  /**
   * {@code Env environment-measurement-is-trusted} and {@code Env environment-platform-is-trusted}
   * imply {@code Env is-trusted}, in Go's order (C++ expects the opposite). Tightened: the
   * subject must be an environment.
   */
  R10(10) {
    @Override
    public void check(vse_clause s1, vse_clause s2, vse_clause conclusion)
        throws VerificationException {
      unary(this, s1, "S1");
      verb(this, s1, "S1", Verb.ENVIRONMENT_MEASUREMENT_IS_TRUSTED);
      type(this, s1.getSubject(), "S1 subject", Entities.ENVIRONMENT);
      unary(this, s2, "S2");
      verb(this, s2, "S2", Verb.ENVIRONMENT_PLATFORM_IS_TRUSTED);
      unary(this, conclusion, "the conclusion");
      verb(this, conclusion, "the conclusion", Verb.IS_TRUSTED);
      sameEntity(this, conclusion.getSubject(), s1.getSubject(),
          "the conclusion is not about the environment of S1");
      sameEntity(this, conclusion.getSubject(), s2.getSubject(),
          "the conclusion is not about the environment of S2");
    }
  },
  /**
   * {@code M vX} (a trust verb) and {@code K speaks-for M} imply
   * {@code K is-trusted-for-key-provision} (Go only).
   */
  R11(11) {
    @Override
    public void check(vse_clause s1, vse_clause s2, vse_clause conclusion)
        throws VerificationException {
      unary(this, s1, "S1");
      Optional<Verb> vx = Verb.fromLabel(s1.getVerb());
      if (vx.isEmpty() || !vx.get().isTrust()) {
        throw fail(this, "S1 verb " + Statements.printable(s1.getVerb()) + " is not a trust verb");
      }
      type(this, s1.getSubject(), "S1 subject", Entities.MEASUREMENT);
      binary(this, s2, "S2");
      verb(this, s2, "S2", Verb.SPEAKS_FOR);
      type(this, s2.getSubject(), "S2 subject", Entities.KEY);
      type(this, s2.getObject(), "S2 object", Entities.MEASUREMENT);
      sameEntity(this, s1.getSubject(), s2.getObject(), "S2 speaks for another measurement");
      unary(this, conclusion, "the conclusion");
      verb(this, conclusion, "the conclusion", Verb.IS_TRUSTED_FOR_KEY_PROVISION);
      sameEntity(this, conclusion.getSubject(), s2.getSubject(),
          "the conclusion is not about the key of S2");
    }
  };

  private final int number;

  Rule(int number) {
    this.number = number;
  }

  /** The rule number used in {@code proof_step.rule_applied}. */
  public int number() {
    return number;
  }

  /** The rule with this number, or empty. */
  public static Optional<Rule> byNumber(int number) {
    for (Rule r : values()) {
      if (r.number == number) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /**
   * Checks the step "s1 and s2 imply conclusion".
   *
   * @throws VerificationException if the step is not an instance of this rule
   */
  public abstract void check(vse_clause s1, vse_clause s2, vse_clause conclusion)
      throws VerificationException;

  @Override
  public String toString() {
    return "rule " + number;
  }

  /** Rules 1 and 7: a key speaking for a trusted measurement or environment. */
  private static void trustedSpeaker(Rule rule, vse_clause s1, vse_clause s2,
      vse_clause conclusion, Verb concluded) throws VerificationException {
    unary(rule, s1, "S1");
    verb(rule, s1, "S1", Verb.IS_TRUSTED);
    type(rule, s1.getSubject(), "S1 subject", Entities.MEASUREMENT, Entities.ENVIRONMENT);
    binary(rule, s2, "S2");
    verb(rule, s2, "S2", Verb.SPEAKS_FOR);
    sameEntity(rule, s1.getSubject(), s2.getObject(), "S2 speaks for something else than S1");
    // Tightened: Go does not check the speaker's type; only keys can be admitted.
    type(rule, s2.getSubject(), "S2 subject", Entities.KEY);
    unary(rule, conclusion, "the conclusion");
    verb(rule, conclusion, "the conclusion", concluded);
    sameEntity(rule, conclusion.getSubject(), s2.getSubject(),
        "the conclusion is not about the key of S2");
  }

  /** S2 is {@code K says Y} with K the key of S1. */
  private static void says(Rule rule, vse_clause s1, vse_clause s2) throws VerificationException {
    present(rule, s2, "S2");
    if (!s2.hasVerb() || !Verb.SAYS.label().equals(s2.getVerb())) {
      throw fail(rule, "S2 verb is " + verbText(s2) + ", expected says");
    }
    if (!s2.hasClause()) {
      throw fail(rule, "S2 says nothing");
    }
    if (s2.hasObject()) {
      throw fail(rule, "S2 has an object");
    }
    type(rule, s2.getSubject(), "S2 subject", Entities.KEY);
    sameEntity(rule, s1.getSubject(), s2.getSubject(), "S2 is said by another key than S1's");
  }

  /** Rules 5 and 6: S1's verb is a trust verb that dominates is-trusted-for-attestation. */
  private static Verb vouchingVerb(Rule rule, vse_clause s1) throws VerificationException {
    Optional<Verb> vx = Verb.fromLabel(s1.getVerb());
    if (vx.isEmpty() || !vx.get().isTrust()
        || !vx.get().dominates(Verb.IS_TRUSTED_FOR_ATTESTATION)) {
      throw fail(rule, "S1 verb " + Statements.printable(s1.getVerb())
          + " does not dominate is-trusted-for-attestation");
    }
    return vx.get();
  }

  private static void environmentSubject(Rule rule, vse_clause c, String what)
      throws VerificationException {
    type(rule, c.getSubject(), what + " subject", Entities.ENVIRONMENT);
    if (!c.getSubject().hasEnvironmentEnt()
        || !c.getSubject().getEnvironmentEnt().hasThePlatform()) {
      throw fail(rule, what + " subject carries no environment with a platform");
    }
  }

  private static void present(Rule rule, vse_clause c, String what)
      throws VerificationException {
    if (c == null) {
      throw fail(rule, what + " is missing");
    }
    if (!c.hasSubject()) {
      throw fail(rule, what + " has no subject");
    }
    if (!c.hasVerb()) {
      throw fail(rule, what + " has no verb");
    }
  }

  /** {@code subject verb}: no object, no clause. */
  private static void unary(Rule rule, vse_clause c, String what) throws VerificationException {
    present(rule, c, what);
    if (c.hasObject()) {
      throw fail(rule, what + " has an object");
    }
    if (c.hasClause()) {
      throw fail(rule, what + " has a clause");
    }
  }

  /** {@code subject verb object}: object, no clause. */
  private static void binary(Rule rule, vse_clause c, String what) throws VerificationException {
    present(rule, c, what);
    if (!c.hasObject()) {
      throw fail(rule, what + " has no object");
    }
    if (c.hasClause()) {
      throw fail(rule, what + " has a clause");
    }
  }

  private static void verb(Rule rule, vse_clause c, String what, Verb expected)
      throws VerificationException {
    if (!expected.label().equals(c.getVerb())) {
      throw fail(rule, what + " verb is " + verbText(c) + ", expected " + expected);
    }
  }

  private static void type(Rule rule, entity_message e, String what, String... allowed)
      throws VerificationException {
    for (String t : allowed) {
      if (t.equals(e.getEntityType())) {
        return;
      }
    }
    String actual = e.getEntityType();
    throw fail(rule, what + " is " + (actual.isEmpty() ? "untyped"
        : (actual.matches("^[aeiou].*") ? "an " : "a ") + Statements.printable(actual))
        + ", expected " + String.join(" or ", allowed));
  }

  private static void sameEntity(Rule rule, entity_message a, entity_message b, String why)
      throws VerificationException {
    if (!Equality.sameEntity(a, b)) {
      throw fail(rule, why);
    }
  }

  private static void same(Rule rule, vse_clause a, vse_clause b, String why)
      throws VerificationException {
    if (!Equality.sameClause(a, b)) {
      throw fail(rule, why);
    }
  }

  private static String verbText(vse_clause c) {
    return c.getVerb().isEmpty() ? "missing" : Statements.printable(c.getVerb());
  }

  private static VerificationException fail(Rule rule, String why) {
    return new VerificationException(Failure.PROOF_FAILED, rule + ": " + why);
  }
}
