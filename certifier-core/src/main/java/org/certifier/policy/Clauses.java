package org.certifier.policy;

import com.google.protobuf.GeneratedMessage;
import java.util.Objects;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.proto.ecc_message;
import org.certifier.proto.entity_message;
import org.certifier.proto.environment;
import org.certifier.proto.key_message;
import org.certifier.proto.platform;
import org.certifier.proto.property;
import org.certifier.proto.vse_clause;

/**
 * Factories for the three statement shapes of §3.1 and the structural check every statement
 * from the outside (policy file, signed claim, attestation) must pass before it is reasoned
 * about.
 */
public final class Clauses {
  /**
   * How deep {@code says} may nest. The reference's proofs use one level ({@code K says X});
   * a few more allow delegation through nested assertions, anything deeper is an attack on
   * the recursive comparisons.
   */
  public static final int MAX_NESTING = 8;

  private static final int MAX_MEASUREMENT_BYTES = 1024;
  private static final int MAX_REGISTERS = 64;

  private Clauses() {}

  /** {@code subject verb}, e.g. {@code Key[policyKey] is-trusted}. */
  public static vse_clause unary(entity_message subject, Verb verb) {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(verb, "verb");
    if (verb == Verb.SAYS || verb == Verb.SPEAKS_FOR) {
      throw new IllegalArgumentException(verb + " is not a unary verb");
    }
    return vse_clause.newBuilder().setSubject(subject).setVerb(verb.label()).build();
  }

  /** {@code subject verb object}, e.g. {@code Key[auth] speaks-for Measurement[m]}. */
  public static vse_clause simple(entity_message subject, Verb verb, entity_message object) {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(verb, "verb");
    Objects.requireNonNull(object, "object");
    if (verb != Verb.SPEAKS_FOR) {
      throw new IllegalArgumentException(verb + " does not take an object");
    }
    return vse_clause.newBuilder()
        .setSubject(subject)
        .setVerb(verb.label())
        .setObject(object)
        .build();
  }

  /** {@code key says clause}: only keys can say things (they sign). */
  public static vse_clause says(entity_message keySubject, vse_clause clause) {
    Objects.requireNonNull(keySubject, "keySubject");
    Objects.requireNonNull(clause, "clause");
    if (!Entities.KEY.equals(keySubject.getEntityType())) {
      throw new IllegalArgumentException("only a key can say something");
    }
    return vse_clause.newBuilder()
        .setSubject(keySubject)
        .setVerb(Verb.SAYS.label())
        .setClause(clause)
        .build();
  }

  /**
   * Checks that {@code clause} is a well-formed statement: known verb with the arity it needs
   * ({@code says}: key subject and a clause; {@code speaks-for}: key subject and an object; all
   * others: neither), known entity types carrying exactly their payload, public keys of a
   * supported type with their material, platforms with typed properties, no unknown fields,
   * nesting at most {@link #MAX_NESTING}.
   *
   * @throws VerificationException with {@link Failure#MALFORMED_EVIDENCE} naming the defect
   */
  public static void validate(vse_clause clause) throws VerificationException {
    validate(clause, 0);
  }

  private static void validate(vse_clause c, int depth) throws VerificationException {
    if (c == null) {
      throw malformed("missing statement");
    }
    if (depth > MAX_NESTING) {
      throw malformed("statement nests deeper than " + MAX_NESTING + " levels");
    }
    noUnknownFields(c, "statement");
    if (!c.hasSubject()) {
      throw malformed("statement has no subject");
    }
    validateEntity(c.getSubject(), "subject");
    if (!c.hasVerb()) {
      throw malformed("statement has no verb");
    }
    Verb verb = Verb.fromLabel(c.getVerb()).orElseThrow(() -> malformed(
        "unknown verb \"" + Statements.printable(c.getVerb()) + "\""));
    boolean keySubject = Entities.KEY.equals(c.getSubject().getEntityType());
    switch (verb) {
      case SAYS -> {
        require(keySubject, "only a key can say something");
        require(c.hasClause(), "says without a clause");
        require(!c.hasObject(), "says with an object");
      }
      case SPEAKS_FOR -> {
        require(keySubject, "only a key can speak for something");
        require(c.hasObject(), "speaks-for without an object");
        require(!c.hasClause(), "speaks-for with a clause");
      }
      default -> {
        require(!c.hasObject(), verb + " with an object");
        require(!c.hasClause(), verb + " with a clause");
      }
    }
    if (c.hasObject()) {
      validateEntity(c.getObject(), "object");
    }
    if (c.hasClause()) {
      validate(c.getClause(), depth + 1);
    }
  }

  private static void validateEntity(entity_message e, String role) throws VerificationException {
    noUnknownFields(e, role);
    String type = e.getEntityType();
    boolean key = e.hasKey();
    boolean measurement = e.hasMeasurement() || e.hasRegisters();
    boolean platform = e.hasPlatformEnt();
    boolean environment = e.hasEnvironmentEnt();
    switch (type) {
      case Entities.KEY -> {
        require(key && !measurement && !platform && !environment,
            role + ": a key entity must carry exactly a key");
        validateKey(e.getKey(), role);
      }
      case Entities.MEASUREMENT -> {
        require(!key && !platform && !environment,
            role + ": a measurement entity must carry only a measurement");
        require(!e.getMeasurement().isEmpty(), role + ": empty measurement");
        require(e.getMeasurement().size() <= MAX_MEASUREMENT_BYTES,
            role + ": measurement longer than " + MAX_MEASUREMENT_BYTES + " bytes");
        require(e.getRegisters().size() <= MAX_REGISTERS,
            role + ": more than " + MAX_REGISTERS + " registers");
      }
      case Entities.PLATFORM -> {
        require(platform && !key && !measurement && !environment,
            role + ": a platform entity must carry exactly a platform");
        validatePlatform(e.getPlatformEnt(), role);
      }
      case Entities.ENVIRONMENT -> {
        require(environment && !key && !measurement && !platform,
            role + ": an environment entity must carry exactly an environment");
        validateEnvironment(e.getEnvironmentEnt(), role);
      }
      default -> throw malformed(
          role + ": unknown entity type \"" + Statements.printable(type) + "\"");
    }
  }

  private static void validateKey(key_message k, String role) throws VerificationException {
    noUnknownFields(k, role + " key");
    String type = k.getKeyType();
    if (Equality.isRsa(type)) {
      require(k.hasRsaKey() && !k.hasEccKey(), role + ": " + type + " without an RSA key");
      noUnknownFields(k.getRsaKey(), role + " key");
      require(!k.getRsaKey().getPublicModulus().isEmpty(), role + ": RSA key without modulus");
      require(!k.getRsaKey().getPublicExponent().isEmpty(), role + ": RSA key without exponent");
    } else if (Equality.isEcc(type)) {
      require(k.hasEccKey() && !k.hasRsaKey(), role + ": " + type + " without an ECC key");
      ecc_message ecc = k.getEccKey();
      noUnknownFields(ecc, role + " key");
      String curve = type.startsWith("ecc-256") ? "P-256" : "P-384";
      require(curve.equals(ecc.getCurveName()), role + ": " + type + " on curve \""
          + Statements.printable(ecc.getCurveName()) + "\"");
      require(ecc.hasPublicPoint() && !ecc.getPublicPoint().getX().isEmpty()
          && !ecc.getPublicPoint().getY().isEmpty(), role + ": ECC key without public point");
      noUnknownFields(ecc.getPublicPoint(), role + " key");
    } else {
      throw malformed(role + ": key type \"" + Statements.printable(type)
          + "\" cannot be a principal");
    }
    // §7.1 item 10: a statement is signed, stored and printed; private material never belongs.
    require(!Entities.hasPrivateMaterial(k), role + ": private key material in a statement");
  }

  private static void validatePlatform(platform p, String role) throws VerificationException {
    noUnknownFields(p, role + " platform");
    require(!p.getPlatformType().isEmpty(), role + ": platform without a type");
    if (p.getHasKey()) {
      require(p.hasAttestKey(), role + ": platform says it has a key but carries none");
      validateKey(p.getAttestKey(), role + " platform");
    } else {
      require(!p.hasAttestKey(), role + ": platform carries a key but has_key is not set");
    }
    noUnknownFields(p.getProps(), role + " platform");
    for (property q : p.getProps().getPropsList()) {
      validateProperty(q, role);
    }
  }

  private static void validateProperty(property q, String role) throws VerificationException {
    noUnknownFields(q, role + " property");
    require(!q.getPropertyName().isEmpty(), role + ": platform property without a name");
    String name = role + " property " + Statements.printable(q.getPropertyName());
    switch (q.getValueType()) {
      case "string" -> {
        require(q.getComparator().isEmpty() || "=".equals(q.getComparator())
            || PlatformProperties.IN.equals(q.getComparator()),
            name + ": a string can only be compared with \"=\" or \"in\"");
        require(q.hasStringValue(), name + ": no string value");
      }
      case "int" -> {
        require("=".equals(q.getComparator()) || ">=".equals(q.getComparator()),
            name + ": comparator must be \"=\" or \">=\"");
        require(q.hasIntValue(), name + ": no int value");
      }
      default -> throw malformed(name + ": unknown value type \""
          + Statements.printable(q.getValueType()) + "\"");
    }
  }

  private static void validateEnvironment(environment env, String role)
      throws VerificationException {
    noUnknownFields(env, role + " environment");
    require(env.hasThePlatform(), role + ": environment without a platform");
    validatePlatform(env.getThePlatform(), role);
    require(!env.getTheMeasurement().isEmpty(), role + ": environment without a measurement");
    require(env.getTheMeasurement().size() <= MAX_MEASUREMENT_BYTES,
        role + ": measurement longer than " + MAX_MEASUREMENT_BYTES + " bytes");
  }

  /** DESIGN.md §6: unknown fields are errors, never silently carried along. */
  private static void noUnknownFields(GeneratedMessage m, String what)
      throws VerificationException {
    if (!m.getUnknownFields().asMap().isEmpty()) {
      throw malformed(what + ": unknown fields " + m.getUnknownFields().asMap().keySet());
    }
  }

  private static void require(boolean ok, String what) throws VerificationException {
    if (!ok) {
      throw malformed(what);
    }
  }

  private static VerificationException malformed(String what) {
    return new VerificationException(Failure.MALFORMED_EVIDENCE, "malformed statement: " + what);
  }
}
