package org.certifier.cli.inspect;

import java.util.HexFormat;
import java.util.List;
import org.certifier.cli.output.Facts;
import org.certifier.cli.platform.PlatformValues;
import org.certifier.evidence.VerificationException;
import org.certifier.policy.Clauses;
import org.certifier.policy.Entities;
import org.certifier.policy.Statements;
import org.certifier.policy.Verb;
import org.certifier.proto.environment;
import org.certifier.proto.platform;
import org.certifier.proto.properties;
import org.certifier.proto.property;
import org.certifier.proto.vse_clause;

/**
 * Statements and their parts (§3.1) for people, as the reference's print_vse_clause, with the
 * check every reader applies (well-formed or why not: e.g. the private key that
 * appoint_platform put into its clauses, §7.1 item 10).
 */
final class StatementFacts {
  private StatementFacts() {}

  static Facts clause(vse_clause c) {
    Facts f = new Facts();
    f.put("statement", Statements.describe(c));
    f.put("shape", c.hasClause() ? "indirect (KEY says CLAUSE)"
        : c.hasObject() ? "simple (SUBJECT VERB OBJECT)" : "unary (SUBJECT VERB)");
    try {
      Clauses.validate(c);
      f.put("well-formed", true);
    } catch (VerificationException e) {
      f.put("well-formed", "no: " + e.getMessage());
    }
    return f;
  }

  static boolean plausible(vse_clause c) {
    return c.hasSubject() && Verb.fromLabel(c.getVerb()).isPresent()
        && List.of(Entities.KEY, Entities.MEASUREMENT, Entities.PLATFORM, Entities.ENVIRONMENT)
            .contains(c.getSubject().getEntityType());
  }

  static boolean plausible(property p) {
    return !p.getPropertyName().isEmpty()
        && (PlatformValues.INT.equals(p.getValueType()) && p.hasIntValue()
            || PlatformValues.STRING.equals(p.getValueType()) && p.hasStringValue());
  }

  static boolean plausible(platform p) {
    return !p.getPlatformType().isEmpty() && (p.hasHasKey() || p.hasProps())
        && p.getProps().getPropsList().stream().allMatch(StatementFacts::plausible);
  }

  static Facts property(property p) {
    return new Facts().put("property", PlatformValues.describe(p));
  }

  static Facts properties(properties ps) {
    Facts f = new Facts();
    List<Object> list = f.list("properties");
    for (property p : ps.getPropsList()) {
      list.add(PlatformValues.describe(p));
    }
    return f;
  }

  static Facts platform(platform p) {
    Facts f = new Facts().put("platform", Statements.describe(Entities.platform(p)));
    return f.putAll(check(Clauses.unary(Entities.platform(p),
        Verb.HAS_TRUSTED_PLATFORM_PROPERTY)));
  }

  static Facts environment(environment e) {
    Facts f = new Facts().put("environment", Statements.describe(Entities.environment(e)));
    f.put("measurement", HexFormat.of().formatHex(e.getTheMeasurement().toByteArray()));
    return f.putAll(check(Clauses.unary(Entities.environment(e), Verb.IS_ENVIRONMENT)));
  }

  private static Facts check(vse_clause c) {
    try {
      Clauses.validate(c);
      return new Facts().put("well-formed", true);
    } catch (VerificationException e) {
      return new Facts().put("well-formed", "no: " + e.getMessage());
    }
  }
}
