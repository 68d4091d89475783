package org.certifier.verifiers.dcap.collateral;

import java.util.Optional;
import java.util.Set;

/**
 * Intel's TCB status of a TCB level, with the exact names of the PCS JSON (PCS API v4, TCB Info
 * and Enclave Identity models).
 *
 * <p>A status is a set of findings: revoked, out of date, configuration needed, software
 * hardening needed. {@link #combine} merges two statuses by uniting their findings, with
 * "out of date" absorbing "SW hardening needed" and "revoked" absorbing everything, as Intel's
 * names leave no other choice. For every pair Intel's Quote Verification Library merges
 * (platform with QE identity in {@code convergeTcbStatusWithQeTcbStatus}, platform with TDX
 * module in {@code convergeTcbStatusWithTdxModuleStatus}, where the second status is only ever
 * UpToDate, OutOfDate or Revoked) this gives the library's answer; it also answers pairs the
 * library never meets, such as SWHardeningNeeded with ConfigurationNeeded, which give
 * ConfigurationAndSWHardeningNeeded.
 */
public enum TcbStatus {
  UP_TO_DATE("UpToDate", false, false, false),
  SW_HARDENING_NEEDED("SWHardeningNeeded", false, false, true),
  CONFIGURATION_NEEDED("ConfigurationNeeded", false, true, false),
  CONFIGURATION_AND_SW_HARDENING_NEEDED("ConfigurationAndSWHardeningNeeded", false, true, true),
  OUT_OF_DATE("OutOfDate", true, false, false),
  OUT_OF_DATE_CONFIGURATION_NEEDED("OutOfDateConfigurationNeeded", true, true, false),
  REVOKED("Revoked", false, false, false);

  /** The statuses an Enclave Identity or TDX module identity TCB level may carry. */
  static final Set<TcbStatus> IDENTITY_STATUSES = Set.of(UP_TO_DATE, OUT_OF_DATE, REVOKED);

  private final String jsonName;
  private final boolean outOfDate;
  private final boolean configurationNeeded;
  private final boolean swHardeningNeeded;

  TcbStatus(String jsonName, boolean outOfDate, boolean configurationNeeded,
      boolean swHardeningNeeded) {
    this.jsonName = jsonName;
    this.outOfDate = outOfDate;
    this.configurationNeeded = configurationNeeded;
    this.swHardeningNeeded = swHardeningNeeded;
  }

  /** The name in Intel's JSON, e.g. {@code ConfigurationAndSWHardeningNeeded}. */
  public String jsonName() {
    return jsonName;
  }

  /** The status with this exact JSON name (case matters, as in Intel's schema). */
  public static Optional<TcbStatus> fromJsonName(String name) {
    for (TcbStatus s : values()) {
      if (s.jsonName.equals(name)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** The status of a TCB made of two parts with these statuses; see the class comment. */
  public TcbStatus combine(TcbStatus other) {
    if (this == REVOKED || other == REVOKED) {
      return REVOKED;
    }
    boolean ood = outOfDate || other.outOfDate;
    boolean config = configurationNeeded || other.configurationNeeded;
    boolean sw = swHardeningNeeded || other.swHardeningNeeded;
    if (ood) {
      return config ? OUT_OF_DATE_CONFIGURATION_NEEDED : OUT_OF_DATE;
    }
    if (config) {
      return sw ? CONFIGURATION_AND_SW_HARDENING_NEEDED : CONFIGURATION_NEEDED;
    }
    return sw ? SW_HARDENING_NEEDED : UP_TO_DATE;
  }

  boolean configurationNeeded() {
    return configurationNeeded;
  }

  boolean outOfDate() {
    return outOfDate;
  }

  @Override
  public String toString() {
    return jsonName;
  }
}
