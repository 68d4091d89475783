package org.certifier.policy;

import com.google.protobuf.ByteString;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.proto.entity_message;
import org.certifier.proto.proof;
import org.certifier.proto.proof_step;
import org.certifier.proto.vse_clause;

/**
 * Everything derivable from a set of established statements under {@link Rule}, computed by
 * forward chaining to a fixpoint, with the first derivation of each statement remembered.
 *
 * <p>Why forward chaining: every conclusion of the rules is either a sub-statement of an
 * established {@code says} or a statement about the subject of an established {@code speaks-for}
 * or {@code is-environment}, so the closure is finite and small (linear in the input); a
 * fixpoint needs no cycle handling (a statement is derived once, from premises derived before
 * it) and no memo table beyond the closure itself. Joins go through hash indexes keyed by
 * {@link Fingerprints}, so ten thousand policy statements cost ten thousand cheap lookups.
 * Every join is confirmed by {@link Rule#check}, the same code the {@link ProofChecker} runs,
 * so a derivation found here is a proof step the checker accepts.
 */
final class Closure {
  /** Upper bound on rule applications tried, against policies built to make the search slow. */
  static final int MAX_WORK = 1_000_000;

  /** An established statement and, if it was derived, how (given statements have no rule). */
  static final class Node {
    final vse_clause clause;
    final Rule rule;
    final Node first;
    final Node second;
    /** Set when the node has been joined with its partners (semi-naive evaluation). */
    boolean fired;

    Node(vse_clause clause, Rule rule, Node first, Node second) {
      this.clause = clause;
      this.rule = rule;
      this.first = first;
      this.second = second;
    }
  }

  /** A step of the proof walk: a node, before or after its premises were emitted. */
  private record Visit(Node node, boolean premisesDone) {}

  /** A platform template that an environment's platform failed to satisfy, and why. */
  record Mismatch(entity_message environment, Failure failure, String reason) {}

  private final Map<Integer, List<Node>> byFingerprint = new HashMap<>();
  private final Map<Integer, List<Node>> unaryBySubject = new HashMap<>();
  private final Map<Integer, List<Node>> saysBySpeaker = new HashMap<>();
  private final Map<Integer, List<Node>> saysByInnerSubject = new HashMap<>();
  private final Map<Integer, List<Node>> speaksForBySubject = new HashMap<>();
  private final Map<Integer, List<Node>> speaksForByObject = new HashMap<>();
  private final Map<String, List<Node>> environmentsByPlatformType = new HashMap<>();
  private final Map<ByteString, List<Node>> environmentsByMeasurement = new HashMap<>();
  private final Map<String, List<Node>> templatesByType = new HashMap<>();
  private final Map<String, List<Node>> templateClaimsByType = new HashMap<>();
  private final Map<ByteString, List<Node>> trustedMeasurementsByBytes = new HashMap<>();
  private final Map<Integer, List<Mismatch>> mismatches = new HashMap<>();
  private final Deque<Node> pending = new ArrayDeque<>();
  private final int maxWork;
  private int work;

  /** A closure that gives up after {@code maxWork} rule applications. */
  Closure(int maxWork) {
    this.maxWork = maxWork;
  }

  /** Adds an established statement (policy, axiom or evidence). Must be valid (Clauses). */
  void addGiven(vse_clause c) {
    add(c, null, null, null);
  }

  /** Applies the rules until nothing new follows. */
  void saturate() throws VerificationException {
    while (!pending.isEmpty()) {
      fire(pending.poll());
    }
  }

  /** The established statement equal to {@code c}, or null. */
  Node find(vse_clause c) {
    for (Node n : bucket(byFingerprint, Fingerprints.clause(c))) {
      if (Equality.sameClause(n.clause, c)) {
        return n;
      }
    }
    return null;
  }

  boolean established(vse_clause c) {
    return find(c) != null;
  }

  /** Established {@code subject speaks-for X} statements. */
  List<vse_clause> speaksForBy(entity_message subject) {
    List<vse_clause> out = new ArrayList<>();
    for (Node n : bucket(speaksForBySubject, Fingerprints.entity(subject))) {
      if (Equality.sameEntity(n.clause.getSubject(), subject)) {
        out.add(n.clause);
      }
    }
    return out;
  }

  /** Established {@code K says (subject ...)} statements, whoever K is. */
  List<vse_clause> saysAbout(entity_message subject) {
    List<vse_clause> out = new ArrayList<>();
    for (Node n : bucket(saysByInnerSubject, Fingerprints.entity(subject))) {
      if (Equality.sameEntity(n.clause.getClause().getSubject(), subject)) {
        out.add(n.clause);
      }
    }
    return out;
  }

  /** Established {@code K says platform[type, ...] has-trusted-platform-property}. */
  List<vse_clause> templateClaims(String platformType) {
    return clauses(templateClaimsByType.getOrDefault(platformType, List.of()));
  }

  /** Established {@code Measurement[bytes, any registers] is-trusted}. */
  List<vse_clause> trustedMeasurements(ByteString bytes) {
    return clauses(trustedMeasurementsByBytes.getOrDefault(bytes, List.of()));
  }

  /** Why rule 8 refused the platform of {@code environment} against each template tried. */
  List<Mismatch> mismatches(entity_message environment) {
    List<Mismatch> out = new ArrayList<>();
    Set<String> reasons = new HashSet<>();
    for (Mismatch m : bucket(mismatches, Fingerprints.entity(environment))) {
      if (Equality.sameEntity(m.environment(), environment) && reasons.add(m.reason())) {
        out.add(m);
      }
    }
    return List.copyOf(out);
  }

  /**
   * The proof of the derived statement {@code goal}: the derivation steps in dependency order,
   * each premise either given or concluded by an earlier step, the goal's own step last. A
   * derived statement's premises were established before it, so the walk cannot cycle.
   */
  proof proofOf(Node goal) throws VerificationException {
    List<proof_step> steps = new ArrayList<>();
    Set<Node> emitted = Collections.newSetFromMap(new IdentityHashMap<>());
    // Iterative post-order walk: derivation chains can be long, the call stack is not.
    Deque<Visit> stack = new ArrayDeque<>();
    stack.push(new Visit(goal, false));
    while (!stack.isEmpty()) {
      Visit top = stack.pop();
      Node n = top.node();
      if (n.rule == null || emitted.contains(n)) {
        continue;
      }
      if (!top.premisesDone()) {
        stack.push(new Visit(n, true));
        stack.push(new Visit(n.second, false));
        stack.push(new Visit(n.first, false));
      } else {
        emitted.add(n);
        steps.add(proof_step.newBuilder()
            .setS1(n.first.clause)
            .setS2(n.second.clause)
            .setConclusion(n.clause)
            .setRuleApplied(n.rule.number())
            .build());
        if (steps.size() > ProofChecker.MAX_STEPS) {
          throw new VerificationException(Failure.PROOF_FAILED, "the proof of "
              + Statements.describe(goal.clause) + " needs more than " + ProofChecker.MAX_STEPS
              + " steps");
        }
      }
    }
    return proof.newBuilder().setToProve(goal.clause).addAllSteps(steps).build();
  }

  private void add(vse_clause c, Rule rule, Node first, Node second) {
    if (find(c) != null) {
      return;
    }
    Node n = new Node(c, rule, first, second);
    index(n);
    pending.add(n);
  }

  private void index(Node n) {
    vse_clause c = n.clause;
    entity_message subject = c.getSubject();
    put(byFingerprint, Fingerprints.clause(c), n);
    Optional<Verb> verb = Verb.fromLabel(c.getVerb());
    if (verb.isEmpty()) {
      return;
    }
    switch (verb.get()) {
      case SAYS -> {
        put(saysBySpeaker, Fingerprints.entity(subject), n);
        vse_clause inner = c.getClause();
        put(saysByInnerSubject, Fingerprints.entity(inner.getSubject()), n);
        if (isTemplate(inner)) {
          put(templateClaimsByType, inner.getSubject().getPlatformEnt().getPlatformType(), n);
        }
      }
      case SPEAKS_FOR -> {
        put(speaksForBySubject, Fingerprints.entity(subject), n);
        put(speaksForByObject, Fingerprints.entity(c.getObject()), n);
      }
      default -> {
        put(unaryBySubject, Fingerprints.entity(subject), n);
        if (isEnvironment(c)) {
          put(environmentsByPlatformType,
              subject.getEnvironmentEnt().getThePlatform().getPlatformType(), n);
          put(environmentsByMeasurement, subject.getEnvironmentEnt().getTheMeasurement(), n);
        } else if (isTemplate(c)) {
          put(templatesByType, subject.getPlatformEnt().getPlatformType(), n);
        } else if (verb.get() == Verb.IS_TRUSTED && is(subject, Entities.MEASUREMENT)) {
          put(trustedMeasurementsByBytes, subject.getMeasurement(), n);
        }
      }
    }
  }

  /**
   * Joins a statement with every partner it can form a rule instance with. Semi-naive: only
   * partners that have fired before are joined, so each pair is tried exactly once, when the
   * later of the two fires; conclusions added meanwhile are queued and fire on their own.
   */
  private void fire(Node n) throws VerificationException {
    n.fired = true;
    vse_clause c = n.clause;
    entity_message subject = c.getSubject();
    Optional<Verb> parsed = Verb.fromLabel(c.getVerb());
    if (parsed.isEmpty()) {
      return;
    }
    Verb verb = parsed.get();
    switch (verb) {
      case SAYS -> {
        for (Node u : fired(bucket(unaryBySubject, Fingerprints.entity(subject)))) {
          if (isKeyTrust(u.clause)) {
            keySays(u, n);
          }
        }
      }
      case SPEAKS_FOR -> {
        for (Node u : fired(bucket(unaryBySubject, Fingerprints.entity(c.getObject())))) {
          trustedSpeaks(u, n);
        }
      }
      default -> {
        if (isKeyTrust(c)) {
          for (Node s : fired(bucket(saysBySpeaker, Fingerprints.entity(subject)))) {
            keySays(n, s);
          }
        }
        if (verb.isTrust() && !is(subject, Entities.KEY)) {
          for (Node s : fired(bucket(speaksForByObject, Fingerprints.entity(subject)))) {
            trustedSpeaks(n, s);
          }
        }
        if (isEnvironment(c)) {
          String type = subject.getEnvironmentEnt().getThePlatform().getPlatformType();
          for (Node t : fired(templatesByType.getOrDefault(type, List.of()))) {
            platform(n, t);
          }
          ByteString m = subject.getEnvironmentEnt().getTheMeasurement();
          for (Node t : fired(trustedMeasurementsByBytes.getOrDefault(m, List.of()))) {
            measurement(n, t);
          }
        }
        if (isTemplate(c)) {
          String type = subject.getPlatformEnt().getPlatformType();
          for (Node e : fired(environmentsByPlatformType.getOrDefault(type, List.of()))) {
            platform(e, n);
          }
        }
        if (verb == Verb.IS_TRUSTED && is(subject, Entities.MEASUREMENT)) {
          for (Node e : fired(environmentsByMeasurement.getOrDefault(subject.getMeasurement(),
              List.of()))) {
            measurement(e, n);
          }
        }
        if (verb == Verb.ENVIRONMENT_MEASUREMENT_IS_TRUSTED
            || verb == Verb.ENVIRONMENT_PLATFORM_IS_TRUSTED) {
          Verb partner = verb == Verb.ENVIRONMENT_MEASUREMENT_IS_TRUSTED
              ? Verb.ENVIRONMENT_PLATFORM_IS_TRUSTED : Verb.ENVIRONMENT_MEASUREMENT_IS_TRUSTED;
          for (Node p : fired(bucket(unaryBySubject, Fingerprints.entity(subject)))) {
            if (partner.label().equals(p.clause.getVerb())) {
              Node measured = verb == Verb.ENVIRONMENT_MEASUREMENT_IS_TRUSTED ? n : p;
              Node platformed = measured == n ? p : n;
              apply(Rule.R10, measured, platformed,
                  Clauses.unary(subject, Verb.IS_TRUSTED));
            }
          }
        }
      }
    }
  }

  /** Rules 3, 5, 6: {@code u = K vX}, {@code s = K says Y}. */
  private void keySays(Node u, Node s) throws VerificationException {
    vse_clause said = s.clause.getClause();
    if (Verb.IS_TRUSTED.label().equals(u.clause.getVerb())) {
      apply(Rule.R3, u, s, said);
    }
    if (isKeyTrust(said)) {
      apply(Rule.R5, u, s, said);
    } else if (Verb.SPEAKS_FOR.label().equals(said.getVerb())
        || Verb.IS_ENVIRONMENT.label().equals(said.getVerb())) {
      apply(Rule.R6, u, s, said);
    }
  }

  /** Rules 1, 7, 11: {@code u = E vX}, {@code s = K speaks-for E}. */
  private void trustedSpeaks(Node u, Node s) throws VerificationException {
    entity_message speaker = s.clause.getSubject();
    if (!is(speaker, Entities.KEY) || u.clause.hasObject() || u.clause.hasClause()
        || !Verb.fromLabel(u.clause.getVerb()).map(Verb::isTrust).orElse(false)) {
      return;
    }
    if (Verb.IS_TRUSTED.label().equals(u.clause.getVerb())) {
      apply(Rule.R1, u, s, Clauses.unary(speaker, Verb.IS_TRUSTED_FOR_AUTHENTICATION));
      apply(Rule.R7, u, s, Clauses.unary(speaker, Verb.IS_TRUSTED_FOR_ATTESTATION));
    }
    if (is(u.clause.getSubject(), Entities.MEASUREMENT)) {
      apply(Rule.R11, u, s, Clauses.unary(speaker, Verb.IS_TRUSTED_FOR_KEY_PROVISION));
    }
  }

  /** Rule 8, remembering why a platform failed its template for the explanation. */
  private void platform(Node environment, Node template) throws VerificationException {
    vse_clause conclusion = Clauses.unary(environment.clause.getSubject(),
        Verb.ENVIRONMENT_PLATFORM_IS_TRUSTED);
    countWork();
    try {
      Rule.R8.check(environment.clause, template.clause, conclusion);
    } catch (VerificationException e) {
      if (e.failure() == Failure.PLATFORM_PROPERTY_MISMATCH
          || e.failure() == Failure.TCB_STATUS_NOT_ACCEPTED
          || e.failure() == Failure.DEBUG_NOT_ALLOWED) {
        entity_message env = environment.clause.getSubject();
        put(mismatches, Fingerprints.entity(env), new Mismatch(env, e.failure(),
            e.getMessage()));
      }
      return;
    }
    add(conclusion, Rule.R8, environment, template);
  }

  /** Rule 9. */
  private void measurement(Node environment, Node trusted) throws VerificationException {
    apply(Rule.R9, environment, trusted, Clauses.unary(environment.clause.getSubject(),
        Verb.ENVIRONMENT_MEASUREMENT_IS_TRUSTED));
  }

  private void apply(Rule rule, Node first, Node second, vse_clause conclusion)
      throws VerificationException {
    countWork();
    try {
      rule.check(first.clause, second.clause, conclusion);
    } catch (VerificationException e) {
      // The join only found candidates; the rule decides. Not an instance: nothing follows.
      return;
    }
    add(conclusion, rule, first, second);
  }

  private void countWork() throws VerificationException {
    if (++work > maxWork) {
      throw new VerificationException(Failure.PROOF_FAILED,
          "proof search gave up after " + maxWork + " rule applications");
    }
  }

  private static boolean isKeyTrust(vse_clause c) {
    return !c.hasObject() && !c.hasClause() && is(c.getSubject(), Entities.KEY)
        && Verb.fromLabel(c.getVerb()).map(Verb::isTrust).orElse(false);
  }

  private static boolean isEnvironment(vse_clause c) {
    return Verb.IS_ENVIRONMENT.label().equals(c.getVerb()) && !c.hasObject() && !c.hasClause()
        && is(c.getSubject(), Entities.ENVIRONMENT);
  }

  private static boolean isTemplate(vse_clause c) {
    return Verb.HAS_TRUSTED_PLATFORM_PROPERTY.label().equals(c.getVerb())
        && is(c.getSubject(), Entities.PLATFORM);
  }

  private static boolean is(entity_message e, String type) {
    return type.equals(e.getEntityType());
  }

  private static List<vse_clause> clauses(List<Node> nodes) {
    List<vse_clause> out = new ArrayList<>(nodes.size());
    for (Node n : nodes) {
      out.add(n.clause);
    }
    return out;
  }

  private static <K, V> void put(Map<K, List<V>> index, K key, V value) {
    index.computeIfAbsent(key, k -> new ArrayList<>(1)).add(value);
  }

  /** The partners that have fired already, copied: the indexes grow while we join. */
  private static List<Node> fired(List<Node> nodes) {
    List<Node> out = new ArrayList<>(nodes.size());
    for (Node n : nodes) {
      if (n.fired) {
        out.add(n);
      }
    }
    return out;
  }

  private static <V> List<V> bucket(Map<Integer, List<V>> index, int key) {
    return index.getOrDefault(key, List.of());
  }
}
