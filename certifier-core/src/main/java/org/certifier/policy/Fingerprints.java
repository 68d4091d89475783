package org.certifier.policy;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.certifier.proto.entity_message;
import org.certifier.proto.environment;
import org.certifier.proto.key_message;
import org.certifier.proto.platform;
import org.certifier.proto.property;
import org.certifier.proto.vse_clause;

/**
 * Hash codes that agree with {@link Equality}: whenever {@code Equality.sameX(a, b)} holds, the
 * fingerprints of {@code a} and {@code b} are equal. They let the prover and the proof checker
 * find candidate statements in hash buckets instead of scanning thousands of policy statements;
 * every candidate is then confirmed with {@link Equality}, so collisions are harmless.
 */
final class Fingerprints {
  private Fingerprints() {}

  static int clause(vse_clause c) {
    return clause(c, 0);
  }

  private static int clause(vse_clause c, int depth) {
    if (depth > Equality.MAX_DEPTH) {
      return 0;
    }
    return Objects.hash(
        c.hasSubject() ? entity(c.getSubject()) : 0,
        c.getVerb(),
        c.hasObject() ? entity(c.getObject()) : -1,
        c.hasClause() ? clause(c.getClause(), depth + 1) : -1);
  }

  static int entity(entity_message e) {
    int payload = switch (e.getEntityType()) {
      case Entities.KEY -> key(e.getKey());
      case Entities.MEASUREMENT -> Objects.hash(e.getMeasurement(), e.getRegisters());
      case Entities.PLATFORM -> platform(e.getPlatformEnt());
      case Entities.ENVIRONMENT -> environment(e.getEnvironmentEnt());
      default -> 0;
    };
    return 31 * e.getEntityType().hashCode() + payload;
  }

  static int key(key_message k) {
    String type = k.getKeyType();
    if (Equality.isRsa(type)) {
      return Objects.hash(type, Equality.numberHash(k.getRsaKey().getPublicModulus()),
          Equality.numberHash(k.getRsaKey().getPublicExponent()));
    }
    if (Equality.isEcc(type)) {
      return Objects.hash(type, k.getEccKey().getCurveName(),
          Equality.numberHash(k.getEccKey().getPublicPoint().getX()),
          Equality.numberHash(k.getEccKey().getPublicPoint().getY()));
    }
    return type.hashCode();
  }

  private static int platform(platform p) {
    // Equality compares properties as sets in both directions, so the hash must not depend on
    // order or on duplicates: hash the set of distinct property hashes.
    Set<Integer> props = new HashSet<>();
    for (property q : p.getProps().getPropsList()) {
      props.add(Objects.hash(q.getPropertyName(), q.getValueType(), Equality.comparatorOf(q),
          q.getStringValue(), q.getIntValue()));
    }
    return Objects.hash(p.getPlatformType(), p.getHasKey(),
        p.getHasKey() ? key(p.getAttestKey()) : 0, props);
  }

  private static int environment(environment e) {
    return Objects.hash(e.getTheMeasurement(), platform(e.getThePlatform()));
  }
}
