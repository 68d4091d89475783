package org.certifier.verifiers.sevsnp;

import org.certifier.proto.platform;
import org.certifier.proto.properties;
import org.certifier.proto.property;

/**
 * Describes verified SEV-SNP claims in the reference's platform-property vocabulary, so that
 * policies written for the reference Certifier Service ({@code platform[amd-sev-snp, ...]
 * has-trusted-platform-property}) apply unchanged (reference-certifier.md §6.1, "Observed
 * platform properties").
 *
 * <p>The property names, types, comparators and order are those of the Go service's
 * {@code GetPlatformFromSevAttest}; the values are not. Go took {@code single-socket} from
 * policy bit 19, {@code debug} from bit 18 and {@code migrate} from bit 17, which AMD defines
 * as DEBUG, MIGRATE_MA and a reserved bit that is always one. So Go reported a debuggable
 * guest as {@code debug: no} and every real guest as {@code migrate: yes}. Here each name
 * means what it says: {@code debug} is bit 19 (DEBUG), {@code migrate} bit 18 (MIGRATE_MA),
 * {@code single-socket} bit 20 (SINGLE_SOCKET), {@code smt} bit 16 (SMT). A policy that
 * demands {@code debug: no} therefore now refuses debuggable guests, as it always claimed to.
 */
public final class SnpProperties {
  /** The platform_type of SEV-SNP platforms. */
  public static final String PLATFORM_TYPE = "amd-sev-snp";

  private SnpProperties() {}

  /**
   * The observed platform: {@code amd-sev-snp}, no attestation key, and the properties
   * single-socket, debug, smt, migrate (strings {@code yes}/{@code no}, no comparator, as Go
   * leaves it unset), api-major, api-minor and tcb-version (ints with comparator {@code =};
   * tcb-version is REPORTED_TCB as the 64-bit value).
   */
  public static platform platform(SnpClaims claims) {
    GuestPolicy policy = claims.policy();
    return platform.newBuilder()
        .setPlatformType(PLATFORM_TYPE)
        .setHasKey(false)
        .setProps(properties.newBuilder()
            .addProps(yesNo("single-socket", policy.singleSocket()))
            .addProps(yesNo("debug", policy.debugAllowed()))
            .addProps(yesNo("smt", policy.smtAllowed()))
            .addProps(yesNo("migrate", policy.migrateMaAllowed()))
            .addProps(equalTo("api-major", policy.abiMajor()))
            .addProps(equalTo("api-minor", policy.abiMinor()))
            .addProps(equalTo("tcb-version", claims.reportedTcb().raw())))
        .build();
  }

  private static property yesNo(String name, boolean value) {
    return property.newBuilder()
        .setPropertyName(name)
        .setValueType("string")
        .setStringValue(value ? "yes" : "no")
        .build();
  }

  private static property equalTo(String name, long value) {
    return property.newBuilder()
        .setPropertyName(name)
        .setValueType("int")
        .setComparator("=")
        .setIntValue(value)
        .build();
  }
}
