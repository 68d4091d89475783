package org.certifier.policy;

import com.google.protobuf.ByteString;
import java.util.Arrays;
import java.util.Random;
import org.certifier.proto.ecc_message;
import org.certifier.proto.entity_message;
import org.certifier.proto.environment;
import org.certifier.proto.key_message;
import org.certifier.proto.platform;
import org.certifier.proto.point_message;
import org.certifier.proto.properties;
import org.certifier.proto.property;
import org.certifier.proto.rsa_message;
import org.certifier.proto.vse_clause;

/**
 * Synthetic keys, platforms and statements for policy tests. Key material is made-up bytes from
 * fixed seeds: this package does no cryptography, it only compares and reasons.
 */
final class Fixtures {
  private Fixtures() {}

  static byte[] bytes(long seed, int length) {
    byte[] b = new byte[length];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** A public RSA key whose modulus is {@code bits/8} made-up bytes with the top bit set. */
  static key_message rsa(String name, long seed, int bits) {
    byte[] modulus = bytes(seed, bits / 8);
    modulus[0] |= (byte) 0x80;
    return key_message.newBuilder()
        .setKeyName(name)
        .setKeyType("rsa-" + bits + "-public")
        .setKeyFormat("vse-key")
        .setRsaKey(rsa_message.newBuilder()
            .setPublicModulus(ByteString.copyFrom(modulus))
            .setPublicExponent(ByteString.copyFrom(new byte[] {1, 0, 1})))
        .build();
  }

  static key_message rsa(String name, long seed) {
    return rsa(name, seed, 2048);
  }

  /** A public P-384 key, coordinates encoded as C++ does (minimal) or Go does (49 bytes). */
  static key_message ecc(String name, long seed, boolean goPadded) {
    byte[] x = bytes(seed, 48);
    byte[] y = bytes(seed + 1, 48);
    x[0] = 0; // a leading zero byte makes the two encodings differ in length (47 vs 49)
    return key_message.newBuilder()
        .setKeyName(name)
        .setKeyType("ecc-384-public")
        .setKeyFormat(goPadded ? "" : "vse_key")
        .setEccKey(ecc_message.newBuilder()
            .setCurveName("P-384")
            .setPublicPoint(point_message.newBuilder()
                .setX(ByteString.copyFrom(goPadded ? pad(x, 49) : minimal(x)))
                .setY(ByteString.copyFrom(goPadded ? pad(y, 49) : minimal(y)))))
        .build();
  }

  static byte[] minimal(byte[] b) {
    int i = 0;
    while (i < b.length - 1 && b[i] == 0) {
      i++;
    }
    return Arrays.copyOfRange(b, i, b.length);
  }

  static byte[] pad(byte[] b, int length) {
    byte[] m = minimal(b);
    byte[] out = new byte[length];
    System.arraycopy(m, 0, out, length - m.length, m.length);
    return out;
  }

  static entity_message key(String name, long seed) {
    return Entities.key(rsa(name, seed));
  }

  static entity_message measurement(long seed) {
    return Entities.measurement(bytes(seed, 32));
  }

  static property string(String name, String value) {
    return property.newBuilder().setPropertyName(name).setValueType("string")
        .setComparator("=").setStringValue(value).build();
  }

  /** A string property as Go writes it: no comparator. */
  static property goString(String name, String value) {
    return property.newBuilder().setPropertyName(name).setValueType("string")
        .setStringValue(value).build();
  }

  static property integer(String name, String comparator, long value) {
    return property.newBuilder().setPropertyName(name).setValueType("int")
        .setComparator(comparator).setIntValue(value).build();
  }

  static platform platform(String type, property... props) {
    return platform.newBuilder()
        .setPlatformType(type)
        .setHasKey(false)
        .setProps(properties.newBuilder().addAllProps(Arrays.asList(props)))
        .build();
  }

  /** An SEV-SNP platform as observed from a report (Go's GetPlatformFromSevAttest shape). */
  static platform observedSev(long tcb) {
    return platform("amd-sev-snp",
        string("debug", "no"), string("key-share", "no"), string("migrate", "no"),
        integer("api-major", "=", 1), integer("api-minor", "=", 55),
        integer("tcb-version", "=", tcb));
  }

  /** A policy template: debug no, api-major >= 0, tcb-version >= minTcb. */
  static platform sevTemplate(long minTcb) {
    return platform("amd-sev-snp",
        goString("debug", "no"), integer("api-major", ">=", 0),
        integer("tcb-version", ">=", minTcb));
  }

  static entity_message environment(platform p, byte[] measurement) {
    return Entities.environment(environment.newBuilder()
        .setThePlatform(p)
        .setTheMeasurement(ByteString.copyFrom(measurement))
        .build());
  }

  static vse_clause unary(entity_message subject, Verb verb) {
    return Clauses.unary(subject, verb);
  }

  static vse_clause speaksFor(entity_message key, entity_message object) {
    return Clauses.simple(key, Verb.SPEAKS_FOR, object);
  }

  static vse_clause says(entity_message key, vse_clause clause) {
    return Clauses.says(key, clause);
  }
}
