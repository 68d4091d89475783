package org.certifier.verifiers.dcap.collateral;

import static org.certifier.verifiers.dcap.collateral.CollateralVerifierVectorTest.assertFailure;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.certifier.evidence.Failure;
import org.junit.jupiter.api.Test;

class TcbAcceptanceTest {
  private static final Instant DATE = Instant.parse("2024-03-13T00:00:00Z");

  static TcbVerdict verdict(TcbStatus status, String... advisories) {
    TcbVerdict.Part part = new TcbVerdict.Part(status, DATE, List.of(advisories));
    return new TcbVerdict(status, List.of(advisories), DATE, part,
        new TcbVerdict.Part(TcbStatus.UP_TO_DATE, DATE, List.of()), Optional.empty(), false);
  }

  @Test
  void theDefaultAcceptsOnlyUpToDate() throws Exception {
    TcbAcceptance.upToDateOnly().check(verdict(TcbStatus.UP_TO_DATE));
    assertFailure(Failure.TCB_STATUS_NOT_ACCEPTED, () -> TcbAcceptance.upToDateOnly().check(
        verdict(TcbStatus.SW_HARDENING_NEEDED, "INTEL-SA-00615")));
    assertFailure(Failure.TCB_STATUS_NOT_ACCEPTED, () -> TcbAcceptance.upToDateOnly().check(
        verdict(TcbStatus.REVOKED)));
  }

  @Test
  void advisoriesMustBeAllowedUnlessAnyIs() throws Exception {
    Set<TcbStatus> statuses = EnumSet.of(TcbStatus.UP_TO_DATE,
        TcbStatus.CONFIGURATION_AND_SW_HARDENING_NEEDED);
    TcbVerdict sgx = verdict(TcbStatus.CONFIGURATION_AND_SW_HARDENING_NEEDED, "INTEL-SA-00289",
        "INTEL-SA-00615");
    TcbAcceptance.of(statuses, Set.of("INTEL-SA-00289", "INTEL-SA-00615")).check(sgx);
    TcbAcceptance.anyAdvisory(statuses).check(sgx);
    assertFailure(Failure.TCB_STATUS_NOT_ACCEPTED,
        () -> TcbAcceptance.of(statuses, Set.of("INTEL-SA-00615")).check(sgx));
    assertFailure(Failure.TCB_STATUS_NOT_ACCEPTED,
        () -> TcbAcceptance.anyAdvisory(Set.of(TcbStatus.UP_TO_DATE)).check(sgx));
    assertThrows(IllegalArgumentException.class, () -> TcbAcceptance.anyAdvisory(Set.of()));
  }
}
