package org.certifier.verifiers.dcap.collateral;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Intel's verdict on a platform's TCB: the merged status with every advisory that applies, and
 * the parts it was merged from. Whether the verdict is acceptable is {@link TcbAcceptance}'s
 * question.
 *
 * @param status the merged status of platform, TDX module and QE (see
 *     {@link TcbStatus#combine})
 * @param advisoryIds the union of the parts' advisories, platform's first
 * @param tcbDate the earliest TCB date of the parts: the platform is no newer than this
 * @param platform the matched TCB level of the TCB info
 * @param qe the matched TCB level of the QE identity
 * @param tdxModule TDX with a module major version above 0 only: the matched TCB level of the
 *     module identity
 * @param tdRelaunchAdvised TDX 1.5 only: Intel's "TD relaunch advised" condition holds, i.e.
 *     the platform is out of date only because the TD still runs on the TDX module it was
 *     launched with, and relaunching it on the updated module (TEE_TCB_SVN2) would fix that.
 *     The status stays OutOfDate (or OutOfDateConfigurationNeeded) either way.
 */
public record TcbVerdict(
    TcbStatus status,
    List<String> advisoryIds,
    Instant tcbDate,
    Part platform,
    Part qe,
    Optional<Part> tdxModule,
    boolean tdRelaunchAdvised) {

  /** One matched TCB level. */
  public record Part(TcbStatus status, Instant tcbDate, List<String> advisoryIds) {
    public Part {
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(tcbDate, "tcbDate");
      advisoryIds = List.copyOf(advisoryIds);
    }
  }

  public TcbVerdict {
    Objects.requireNonNull(status, "status");
    advisoryIds = List.copyOf(advisoryIds);
    Objects.requireNonNull(tcbDate, "tcbDate");
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(qe, "qe");
    Objects.requireNonNull(tdxModule, "tdxModule");
  }
}
