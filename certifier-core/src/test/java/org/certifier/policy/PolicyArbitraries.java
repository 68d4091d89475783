package org.certifier.policy;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.certifier.proto.entity_message;
import org.certifier.proto.environment;
import org.certifier.proto.key_message;
import org.certifier.proto.platform;
import org.certifier.proto.properties;
import org.certifier.proto.property;
import org.certifier.proto.vse_clause;

/**
 * Generators for property tests. Well-formed values come from a deliberately small universe
 * (few seeds, few names) so that generated pairs are often equal and rules often apply; the
 * "anything" generators produce half-empty and nonsensical messages for robustness checks.
 */
final class PolicyArbitraries {
  private static final String[] NAMES = {"policyKey", "platformKey", "attestKey", "", "x"};
  private static final Verb[] UNARY_VERBS = {Verb.IS_TRUSTED, Verb.IS_TRUSTED_FOR_ATTESTATION,
      Verb.IS_TRUSTED_FOR_AUTHENTICATION, Verb.IS_TRUSTED_FOR_KEY_PROVISION, Verb.IS_ENVIRONMENT,
      Verb.HAS_TRUSTED_PLATFORM_PROPERTY, Verb.ENVIRONMENT_PLATFORM_IS_TRUSTED,
      Verb.ENVIRONMENT_MEASUREMENT_IS_TRUSTED};

  private PolicyArbitraries() {}

  static Arbitrary<key_message> keys() {
    Arbitrary<key_message> rsa = Combinators.combine(
        Arbitraries.longs().between(0, 3), Arbitraries.of(NAMES))
        .as((seed, name) -> Fixtures.rsa(name, seed));
    Arbitrary<key_message> ecc = Combinators.combine(
        Arbitraries.longs().between(0, 3), Arbitraries.of(NAMES), Arbitraries.of(true, false))
        .as((seed, name, padded) -> Fixtures.ecc(name, seed, padded));
    return Arbitraries.oneOf(rsa, ecc);
  }

  static Arbitrary<entity_message> measurements() {
    return Combinators.combine(Arbitraries.longs().between(0, 2),
        Arbitraries.of(0, 1, 2)).as((seed, regs) -> switch (regs) {
          case 0 -> Entities.measurement(Fixtures.bytes(seed, 32));
          case 1 -> Entities.measurement(Fixtures.bytes(seed, 32), new byte[] {7});
          default -> Entities.measurement(Fixtures.bytes(seed, 32), new byte[] {7, 8});
        });
  }

  static Arbitrary<property> properties() {
    Arbitrary<property> strings = Combinators.combine(
        Arbitraries.of("debug", "migrate"), Arbitraries.of("yes", "no"),
        Arbitraries.of(true, false))
        .as((name, value, go) -> go ? Fixtures.goString(name, value)
            : Fixtures.string(name, value));
    Arbitrary<property> ints = Combinators.combine(
        Arbitraries.of("api-major", "tcb-version"), Arbitraries.of("=", ">="),
        Arbitraries.longs().between(0, 3))
        .as(Fixtures::integer);
    return Arbitraries.oneOf(strings, ints);
  }

  static Arbitrary<platform> platforms() {
    return Combinators.combine(Arbitraries.of("amd-sev-snp", "sgx"),
        properties().list().ofMaxSize(3))
        .as((type, props) -> Fixtures.platform(type, props.toArray(new property[0])));
  }

  static Arbitrary<entity_message> environments() {
    return Combinators.combine(platforms(), Arbitraries.longs().between(0, 2))
        .as((p, seed) -> Fixtures.environment(p, Fixtures.bytes(seed, 48)));
  }

  static Arbitrary<entity_message> entities() {
    return Arbitraries.oneOf(keys().map(Entities::key), measurements(),
        platforms().map(Entities::platform), environments());
  }

  /** Well-formed statements of all three shapes, nested at most twice. */
  static Arbitrary<vse_clause> clauses() {
    return clauses(2);
  }

  private static Arbitrary<vse_clause> clauses(int depth) {
    Arbitrary<vse_clause> unary = Combinators.combine(entities(), Arbitraries.of(UNARY_VERBS))
        .as(Clauses::unary);
    Arbitrary<vse_clause> simple = Combinators.combine(keys(), entities())
        .as((k, e) -> Clauses.simple(Entities.key(k), Verb.SPEAKS_FOR, e));
    if (depth == 0) {
      return Arbitraries.oneOf(unary, simple);
    }
    Arbitrary<vse_clause> says = Combinators.combine(keys(), clauses(depth - 1))
        .as((k, c) -> Clauses.says(Entities.key(k), c));
    return Arbitraries.oneOf(unary, simple, says);
  }

  /**
   * An entity that Equality must consider the same as {@code e}: key names, formats and
   * certificates changed, ECC coordinates re-encoded, properties reordered and duplicated,
   * string comparators switched between the C++ and Go spellings.
   */
  static entity_message variant(entity_message e, long seed) {
    return switch (e.getEntityType()) {
      case Entities.KEY -> e.toBuilder().setKey(variant(e.getKey(), seed)).build();
      case Entities.PLATFORM -> e.toBuilder().setPlatformEnt(variant(e.getPlatformEnt(), seed))
          .build();
      case Entities.ENVIRONMENT -> e.toBuilder().setEnvironmentEnt(e.getEnvironmentEnt()
          .toBuilder().setThePlatform(variant(e.getEnvironmentEnt().getThePlatform(), seed)))
          .build();
      default -> e;
    };
  }

  static vse_clause variant(vse_clause c, long seed) {
    vse_clause.Builder b = c.toBuilder().setSubject(variant(c.getSubject(), seed));
    if (c.hasObject()) {
      b.setObject(variant(c.getObject(), seed + 1));
    }
    if (c.hasClause()) {
      b.setClause(variant(c.getClause(), seed + 2));
    }
    return b.build();
  }

  static key_message variant(key_message k, long seed) {
    key_message.Builder b = k.toBuilder()
        .setKeyName("renamed-" + seed)
        .setKeyFormat(seed % 2 == 0 ? "vse-key" : "vse_key")
        .setCertificate(ByteString.copyFrom(Fixtures.bytes(seed, 8)))
        .setNotBefore("2026-11-22T05:13:43.00000Z");
    if (k.hasEccKey()) {
      int length = seed % 2 == 0 ? 49 : 48;
      b.setEccKey(k.getEccKey().toBuilder().setPublicPoint(k.getEccKey().getPublicPoint()
          .toBuilder()
          .setX(ByteString.copyFrom(Fixtures.pad(k.getEccKey().getPublicPoint().getX()
              .toByteArray(), length)))
          .setY(ByteString.copyFrom(Fixtures.minimal(k.getEccKey().getPublicPoint().getY()
              .toByteArray())))));
    }
    return b.build();
  }

  static platform variant(platform p, long seed) {
    List<property> props = new ArrayList<>();
    for (property q : p.getProps().getPropsList()) {
      if ("string".equals(q.getValueType())) {
        q = seed % 2 == 0 ? q.toBuilder().clearComparator().build()
            : q.toBuilder().setComparator("=").build();
      }
      props.add(q);
    }
    if (!props.isEmpty()) {
      props.add(props.get(0));
    }
    Collections.reverse(props);
    return p.toBuilder().setProps(properties.newBuilder().addAllProps(props)).build();
  }

  /** Statements with any subset of fields, unknown verbs and types, missing payloads. */
  static Arbitrary<vse_clause> anything() {
    return anything(2);
  }

  private static Arbitrary<vse_clause> anything(int depth) {
    Arbitrary<String> verbs = Arbitraries.oneOf(
        Arbitraries.of(Verb.values()).map(Verb::label), Arbitraries.of("", "is-trusted ", "x"));
    Arbitrary<vse_clause> inner = depth == 0 ? Arbitraries.just(null)
        : anything(depth - 1).injectNull(0.5);
    return Combinators.combine(anyEntity().injectNull(0.2), verbs.injectNull(0.2),
        anyEntity().injectNull(0.6), inner)
        .as((subject, verb, object, clause) -> {
          vse_clause.Builder b = vse_clause.newBuilder();
          if (subject != null) {
            b.setSubject(subject);
          }
          if (verb != null) {
            b.setVerb(verb);
          }
          if (object != null) {
            b.setObject(object);
          }
          if (clause != null) {
            b.setClause(clause);
          }
          return b.build();
        });
  }

  private static Arbitrary<entity_message> anyEntity() {
    Arbitrary<environment> envs = Combinators.combine(
        platforms().injectNull(0.3), Arbitraries.longs().between(0, 2).injectNull(0.3))
        .as((p, seed) -> {
          environment.Builder b = environment.newBuilder();
          if (p != null) {
            b.setThePlatform(p);
          }
          if (seed != null) {
            b.setTheMeasurement(ByteString.copyFrom(Fixtures.bytes(seed, 48)));
          }
          return b.build();
        });
    Arbitrary<key_message> weirdKeys = Arbitraries.oneOf(keys(),
        Arbitraries.of(key_message.getDefaultInstance(),
            key_message.newBuilder().setKeyType("rsa-2048-public").build(),
            key_message.newBuilder().setKeyType("ecc-384-public").build(),
            key_message.newBuilder().setKeyType("aes-256-gcm")
                .setSecretKeyBits(ByteString.copyFrom(new byte[32])).build()));
    return Combinators.combine(
        Arbitraries.of("key", "measurement", "platform", "environment", "", "program"),
        weirdKeys.injectNull(0.5), Arbitraries.longs().between(0, 2).injectNull(0.5),
        platforms().injectNull(0.6), envs.injectNull(0.5))
        .as((type, key, m, p, env) -> {
          entity_message.Builder b = entity_message.newBuilder().setEntityType(type);
          if (key != null) {
            b.setKey(key);
          }
          if (m != null) {
            b.setMeasurement(ByteString.copyFrom(Fixtures.bytes(m, 32)));
          }
          if (p != null) {
            b.setPlatformEnt(p);
          }
          if (env != null) {
            b.setEnvironmentEnt(env);
          }
          return b.build();
        });
  }
}
