package org.certifier.verifiers.sevsnp;

import static org.certifier.verifiers.ObservedProperties.equalTo;
import static org.certifier.verifiers.ObservedProperties.yesNo;

import org.certifier.proto.platform;
import org.certifier.proto.properties;

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
 * demands {@code debug: no} therefore now refuses debuggable guests, as it always claimed to;
 * and a policy that does not mention {@code debug} refuses them too (docs/policy.md,
 * deviation 10).
 *
 * <p>After Go's properties come ours. {@code tcb-version} compares the 64-bit REPORTED_TCB as a
 * whole, so {@code tcb-version >= N} is decided by the microcode byte first and cannot demand
 * a minimum per component; {@code tcb-bootloader}, {@code tcb-tee}, {@code tcb-snp},
 * {@code tcb-microcode} (and {@code tcb-fmc} from Turin on) can, each read from REPORTED_TCB,
 * the TCB AMD's VCEK certificate vouches for. {@code vmpl} is the VMPL the report was
 * requested at (0 is the most privileged). A policy that names none of them is unaffected.
 */
public final class SnpProperties {
  /** The platform_type of SEV-SNP platforms. */
  public static final String PLATFORM_TYPE = "amd-sev-snp";

  private SnpProperties() {}

  /**
   * The observed platform: {@code amd-sev-snp}, no attestation key, and the properties
   * single-socket, debug, smt, migrate (strings {@code yes}/{@code no}, no comparator, as Go
   * leaves it unset), api-major, api-minor and tcb-version (ints with comparator {@code =};
   * tcb-version is REPORTED_TCB as the 64-bit value), then tcb-bootloader, tcb-tee, tcb-snp,
   * tcb-microcode, tcb-fmc (Turin and later only) and vmpl (ints with comparator {@code =}).
   */
  public static platform platform(SnpClaims claims) {
    GuestPolicy policy = claims.policy();
    TcbVersion tcb = claims.reportedTcb();
    properties.Builder props = properties.newBuilder()
        .addProps(yesNo("single-socket", policy.singleSocket()))
        .addProps(yesNo("debug", policy.debugAllowed()))
        .addProps(yesNo("smt", policy.smtAllowed()))
        .addProps(yesNo("migrate", policy.migrateMaAllowed()))
        .addProps(equalTo("api-major", policy.abiMajor()))
        .addProps(equalTo("api-minor", policy.abiMinor()))
        .addProps(equalTo("tcb-version", tcb.raw()))
        .addProps(equalTo("tcb-bootloader", tcb.bootloader()))
        .addProps(equalTo("tcb-tee", tcb.tee()))
        .addProps(equalTo("tcb-snp", tcb.snp()))
        .addProps(equalTo("tcb-microcode", tcb.microcode()));
    if (tcb.fmc().isPresent()) {
      props.addProps(equalTo("tcb-fmc", tcb.fmc().getAsInt()));
    }
    return platform.newBuilder()
        .setPlatformType(PLATFORM_TYPE)
        .setHasKey(false)
        .setProps(props.addProps(equalTo("vmpl", claims.vmpl())))
        .build();
  }
}
