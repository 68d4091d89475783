package org.certifier.verifiers.dcap.collateral;

import static org.certifier.verifiers.dcap.collateral.TcbStatus.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class TcbStatusTest {
  @Test
  void jsonNamesAreIntels() {
    assertEquals(Optional.of(CONFIGURATION_AND_SW_HARDENING_NEEDED),
        TcbStatus.fromJsonName("ConfigurationAndSWHardeningNeeded"));
    assertEquals(Optional.of(OUT_OF_DATE_CONFIGURATION_NEEDED),
        TcbStatus.fromJsonName("OutOfDateConfigurationNeeded"));
    assertEquals(Optional.empty(), TcbStatus.fromJsonName("uptodate"));
    assertEquals(Optional.empty(), TcbStatus.fromJsonName("TDRelaunchAdvised"));
    for (TcbStatus s : values()) {
      assertEquals(Optional.of(s), TcbStatus.fromJsonName(s.jsonName()));
    }
  }

  /** Intel QVL's convergeTcbStatusWithQeTcbStatus / ...WithTdxModuleStatus, case by case. */
  @Test
  void combiningWithAnIdentityStatusIsIntels() {
    for (TcbStatus platform : values()) {
      assertEquals(platform, platform.combine(UP_TO_DATE));
      assertEquals(REVOKED, platform.combine(REVOKED));
    }
    assertEquals(OUT_OF_DATE, UP_TO_DATE.combine(OUT_OF_DATE));
    assertEquals(OUT_OF_DATE, SW_HARDENING_NEEDED.combine(OUT_OF_DATE));
    assertEquals(OUT_OF_DATE_CONFIGURATION_NEEDED, CONFIGURATION_NEEDED.combine(OUT_OF_DATE));
    assertEquals(OUT_OF_DATE_CONFIGURATION_NEEDED,
        CONFIGURATION_AND_SW_HARDENING_NEEDED.combine(OUT_OF_DATE));
    assertEquals(OUT_OF_DATE, OUT_OF_DATE.combine(OUT_OF_DATE));
    assertEquals(OUT_OF_DATE_CONFIGURATION_NEEDED,
        OUT_OF_DATE_CONFIGURATION_NEEDED.combine(OUT_OF_DATE));
    assertEquals(REVOKED, REVOKED.combine(OUT_OF_DATE));
  }

  @Test
  void findingsUnite() {
    assertEquals(CONFIGURATION_AND_SW_HARDENING_NEEDED,
        SW_HARDENING_NEEDED.combine(CONFIGURATION_NEEDED));
  }

  @Property
  void combineIsCommutativeAssociativeAndIdempotent(@ForAll TcbStatus a, @ForAll TcbStatus b,
      @ForAll TcbStatus c) {
    assertEquals(a.combine(b), b.combine(a));
    assertEquals(a.combine(b).combine(c), a.combine(b.combine(c)));
    assertEquals(a, a.combine(a));
  }
}
