package org.certifier.claims;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.policy.Clauses;
import org.certifier.policy.Entities;
import org.certifier.policy.Verb;
import org.certifier.proto.entity_message;
import org.certifier.proto.key_message;
import org.certifier.proto.signed_claim_message;
import org.certifier.proto.signed_claim_sequence;
import org.certifier.proto.vse_clause;
import org.certifier.protocol.MalformedMessageException;
import org.certifier.protocol.Messages;

/**
 * A domain's policy: the {@code signed_claim_sequence} file (§2.4, policy.bin), every claim
 * signed by the policy key and saying something in its name. All claims are checked when the
 * file is loaded; one bad claim rejects the whole file (the Go service skipped it silently).
 * Measurement statements are indexed, so a certification looks at the few statements that
 * concern its evidence however many programs the policy trusts.
 */
public final class SignedPolicy {
  private final key_message policyKey;
  private final String sha256;
  private final List<SignedClaims.Checked> claims;
  private final Map<String, List<SignedClaims.Checked>> byMeasurement = new HashMap<>();
  private final List<SignedClaims.Checked> general = new ArrayList<>();

  private SignedPolicy(key_message policyKey, String sha256, List<SignedClaims.Checked> claims) {
    this.policyKey = policyKey;
    this.sha256 = sha256;
    this.claims = List.copyOf(claims);
    for (SignedClaims.Checked c : this.claims) {
      vse_clause said = c.clause().getClause();
      if (Verb.IS_TRUSTED.label().equals(said.getVerb()) && !said.hasObject()
          && "measurement".equals(said.getSubject().getEntityType())) {
        byMeasurement.computeIfAbsent(hex(said.getSubject().getMeasurement().toByteArray()),
            k -> new ArrayList<>()).add(c);
      } else {
        general.add(c);
      }
    }
  }

  /** Parses and checks a policy file against the domain's public policy key at {@code now}. */
  public static SignedPolicy parse(byte[] policyFile, key_message policyKey, Instant now)
      throws VerificationException {
    signed_claim_sequence sequence;
    try {
      sequence = Messages.parse(signed_claim_sequence.parser(), policyFile, "policy file");
    } catch (MalformedMessageException e) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE, e.getMessage(), e);
    }
    List<SignedClaims.Checked> clauses = new ArrayList<>();
    int index = 0;
    for (signed_claim_message claim : sequence.getClaimsList()) {
      try {
        clauses.add(SignedClaims.check(claim, policyKey, now));
      } catch (VerificationException e) {
        throw new VerificationException(e.failure(), "policy claim " + index + ": "
            + e.getMessage(), e);
      }
      index++;
    }
    return new SignedPolicy(policyKey, hex(sha256(policyFile)), clauses);
  }

  /**
   * The SHA-256 of the policy file as loaded, lowercase hex: the policy's version, named in the
   * service's audit log so every decision can be traced to the exact policy it was made under.
   */
  public String sha256() {
    return sha256;
  }

  /** The policy key, public. */
  public key_message policyKey() {
    return policyKey;
  }

  /** The axiom every proof starts from: {@code policyKey is-trusted} (§2.4). */
  public vse_clause axiom() {
    return Clauses.unary(Entities.key(policyKey), Verb.IS_TRUSTED);
  }

  /** Every statement of the policy, each {@code policyKey says ...}, in file order. */
  public List<vse_clause> clauses() {
    return claims.stream().map(SignedClaims.Checked::clause).toList();
  }

  public int size() {
    return claims.size();
  }

  /**
   * The policy statements that can matter for evidence that established {@code statements} and
   * hold at {@code now}: statements about keys and platforms, and only those measurement
   * statements that name a measurement occurring in the evidence.
   */
  public List<vse_clause> relevantTo(List<vse_clause> statements, Instant now) {
    List<vse_clause> out = new ArrayList<>();
    for (SignedClaims.Checked c : general) {
      if (c.validAt(now)) {
        out.add(c.clause());
      }
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (vse_clause s : statements) {
      collectMeasurements(s, seen);
    }
    for (String m : seen) {
      for (SignedClaims.Checked c : byMeasurement.getOrDefault(m, List.of())) {
        if (c.validAt(now)) {
          out.add(c.clause());
        }
      }
    }
    return out;
  }

  private static void collectMeasurements(vse_clause clause, java.util.Set<String> into) {
    for (entity_message e : new entity_message[] {clause.getSubject(), clause.getObject()}) {
      if ("measurement".equals(e.getEntityType())) {
        into.add(hex(e.getMeasurement().toByteArray()));
      } else if ("environment".equals(e.getEntityType())) {
        into.add(hex(e.getEnvironmentEnt().getTheMeasurement().toByteArray()));
      }
    }
    if (clause.hasClause()) {
      collectMeasurements(clause.getClause(), into);
    }
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
