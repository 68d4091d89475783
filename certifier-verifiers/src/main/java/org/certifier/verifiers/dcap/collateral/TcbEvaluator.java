package org.certifier.verifiers.dcap.collateral;

import com.google.protobuf.ByteString;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;

/**
 * Grades a platform against verified collateral with Intel's rules, as Intel's Quote
 * Verification Library implements them (QuoteVerifier.cpp, TcbLevelCheck.cpp,
 * TdxModuleCheck.cpp, TDRelaunchCheck.cpp, EnclaveReportVerifier.cpp; the numbers in the
 * comments are the library's step numbers). In order:
 *
 * <ol>
 *   <li>the TCB info is for the quote's TEE (SGX or TDX), and its FMSPC and PCEID are the PCK
 *       certificate's ({@link Failure#TCB_MISMATCH});
 *   <li>TDX: the TDX module. A module major version (TEE_TCB_SVN[1]) above 0 needs the module
 *       identity {@code TDX_xx} of that version ({@link Failure#TCB_MISMATCH} without one);
 *       MRSIGNERSEAM must be that identity's (or, for version 0, {@code tdxModule}'s) signer,
 *       SEAMATTRIBUTES must be zero and match its attributes under its mask
 *       ({@link Failure#TCB_MISMATCH});
 *   <li>the QE report against the QE identity: the identity must be QE for SGX and TD_QE for
 *       TDX, MISCSELECT and ATTRIBUTES must match under their masks, MRSIGNER and ISVPRODID
 *       must be equal ({@link Failure#TCB_MISMATCH});
 *   <li>the platform's TCB level: the first level, in Intel's (descending) order, whose 16 SGX
 *       components are all at most the PCK's CPUSVN components and whose PCESVN is at most the
 *       PCK's; for TDX also whose TDX components are all at most TEE_TCB_SVN's bytes, where
 *       bytes 0 and 1 (module SVN and major version) are skipped when the major version is
 *       above 0 because the module identity grades them. No such level:
 *       {@link Failure#TCB_LEVEL_NOT_FOUND};
 *   <li>TDX with major version above 0: the module identity's first level whose ISVSVN is at
 *       most TEE_TCB_SVN[0]; the QE identity's first level whose ISVSVN is at most the QE's.
 *       None: {@link Failure#TCB_LEVEL_NOT_FOUND};
 *   <li>the statuses are merged with {@link TcbStatus#combine} and the advisories united.
 * </ol>
 *
 * <p>TDX 1.5 report bodies carry TEE_TCB_SVN2, the SVNs of the module the TD now runs on after
 * a TD-preserving update. As in Intel's library the level is matched with TEE_TCB_SVN (the
 * module the TD was launched on); TEE_TCB_SVN2 only decides Intel's "TD relaunch advised"
 * condition, reported as {@link TcbVerdict#tdRelaunchAdvised()} without softening the status.
 */
public final class TcbEvaluator {
  private TcbEvaluator() {}

  /** Grades a platform and its QE against collateral verified by {@link CollateralVerifier}. */
  public static TcbVerdict evaluate(VerifiedCollateral collateral, PlatformTcb platform,
      QeReportIdentity qe) throws VerificationException {
    Objects.requireNonNull(collateral, "collateral");
    return evaluate(collateral.tcbInfo(), collateral.qeIdentity(), platform, qe);
  }

  static TcbVerdict evaluate(TcbInfo info, EnclaveIdentity identity, PlatformTcb platform,
      QeReportIdentity qe) throws VerificationException {
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(qe, "qe");
    // 4.1.2.4.9, 4.1.2.4.10
    TcbInfo.Id tee = platform.isTdx() ? TcbInfo.Id.TDX : TcbInfo.Id.SGX;
    if (info.id() != tee) {
      throw mismatch("the TCB info is for " + info.id() + ", the quote is " + tee);
    }
    if (!info.fmspc().equals(platform.fmspc())) {
      throw mismatch("the TCB info is for FMSPC " + hex(info.fmspc())
          + ", the PCK certificate's is " + hex(platform.fmspc()));
    }
    if (!info.pceId().equals(platform.pceId())) {
      throw mismatch("the TCB info is for PCEID " + hex(info.pceId())
          + ", the PCK certificate's is " + hex(platform.pceId()));
    }
    Optional<TcbInfo.TdxModuleIdentity> module = platform.isTdx()
        ? checkTdxModule(info, platform) : Optional.empty();
    checkQeIdentity(identity, tee, qe);

    // 4.1.2.4.17
    List<Integer> cpuSvn = platform.cpuSvnComponents();
    Optional<TcbInfo.Level> sgxLevel = Optional.empty();
    Optional<TcbInfo.Level> level = Optional.empty();
    for (TcbInfo.Level candidate : info.tcbLevels()) {
      if (!atLeast(cpuSvn, candidate.sgxComponents(), 0)
          || platform.pceSvn() < candidate.pceSvn()) {
        continue;
      }
      if (sgxLevel.isEmpty()) {
        sgxLevel = Optional.of(candidate);
      }
      if (!platform.isTdx() || tdxAtLeast(platform.teeTcbSvn().get(), candidate)) {
        level = Optional.of(candidate);
        break;
      }
    }
    if (sgxLevel.isEmpty()) {
      throw notFound("no TCB level of FMSPC " + hex(info.fmspc()) + " (evaluation data number "
          + info.tcbEvaluationDataNumber() + ") is met by CPUSVN " + cpuSvn + " and PCESVN "
          + platform.pceSvn());
    }
    if (level.isEmpty()) {
      throw notFound("no TDX TCB level of FMSPC " + hex(info.fmspc()) + " is met by TEE_TCB_SVN "
          + hex(platform.teeTcbSvn().get()));
    }
    TcbVerdict.Part platformPart = new TcbVerdict.Part(level.get().status(),
        level.get().tcbDate(), level.get().advisoryIds());

    Optional<TcbVerdict.Part> modulePart = Optional.empty();
    if (module.isPresent()) {
      int moduleSvn = platform.teeTcbSvn().get().byteAt(0) & 0xFF;
      IdentityTcbLevel moduleLevel = firstLevel(module.get().tcbLevels(), moduleSvn)
          .orElseThrow(() -> notFound("no TCB level of TDX module identity "
              + module.get().id() + " is met by module SVN " + moduleSvn));
      modulePart = Optional.of(new TcbVerdict.Part(moduleLevel.status(), moduleLevel.tcbDate(),
          moduleLevel.advisoryIds()));
    }
    IdentityTcbLevel qeLevel = firstLevel(identity.tcbLevels(), qe.isvSvn())
        .orElseThrow(() -> notFound("no TCB level of the " + identity.id()
            + " identity is met by the QE's ISVSVN " + qe.isvSvn()));
    TcbVerdict.Part qePart = new TcbVerdict.Part(qeLevel.status(), qeLevel.tcbDate(),
        qeLevel.advisoryIds());

    TcbStatus tdxStatus = modulePart.map(m -> platformPart.status().combine(m.status()))
        .orElse(platformPart.status());
    boolean relaunch = platform.teeTcbSvn2().isPresent()
        && relaunchAdvised(info, platform.teeTcbSvn2().get(), sgxLevel.get().status(),
            tdxStatus, modulePart, qePart.status());

    List<TcbVerdict.Part> parts = new ArrayList<>();
    parts.add(platformPart);
    modulePart.ifPresent(parts::add);
    parts.add(qePart);
    TcbStatus status = tdxStatus.combine(qePart.status());
    Set<String> advisories = new LinkedHashSet<>();
    Instant tcbDate = platformPart.tcbDate();
    for (TcbVerdict.Part part : parts) {
      advisories.addAll(part.advisoryIds());
      if (part.tcbDate().isBefore(tcbDate)) {
        tcbDate = part.tcbDate();
      }
    }
    return new TcbVerdict(status, List.copyOf(advisories), tcbDate, platformPart, qePart,
        modulePart, relaunch);
  }

  // 4.1.2.4.11: returns the module identity for a major version above 0.
  private static Optional<TcbInfo.TdxModuleIdentity> checkTdxModule(TcbInfo info,
      PlatformTcb platform) throws VerificationException {
    int majorVersion = platform.teeTcbSvn().get().byteAt(1) & 0xFF;
    TcbInfo.TdxModule base = info.tdxModule().orElseThrow(
        () -> mismatch("the TDX TCB info has no tdxModule"));
    ByteString mrSigner = base.mrSigner();
    ByteString attributes = base.attributes();
    ByteString mask = base.attributesMask();
    Optional<TcbInfo.TdxModuleIdentity> identity = Optional.empty();
    if (majorVersion > 0) {
      identity = info.moduleIdentity(majorVersion);
      if (identity.isEmpty()) {
        throw mismatch("the TCB info has no identity for TDX module major version "
            + majorVersion);
      }
      mrSigner = identity.get().mrSigner();
      attributes = identity.get().attributes();
      mask = identity.get().attributesMask();
    }
    if (!mrSigner.equals(platform.mrSignerSeam().get())) {
      throw mismatch("MRSIGNERSEAM is not the TDX module signer of the TCB info");
    }
    // Intel's library wants SEAMATTRIBUTES zero (reserved in TDX 1.x); the PCS documentation
    // compares them under the mask. Both must hold.
    ByteString seamAttributes = platform.seamAttributes().get();
    if (!seamAttributes.equals(ByteString.copyFrom(new byte[seamAttributes.size()]))
        || !masked(seamAttributes, mask).equals(masked(attributes, mask))) {
      throw mismatch("SEAMATTRIBUTES " + hex(seamAttributes)
          + " are not zero or do not match the TDX module attributes of the TCB info");
    }
    return identity;
  }

  // 4.1.2.4.14, 4.1.2.9.5 - 4.1.2.9.8
  private static void checkQeIdentity(EnclaveIdentity identity, TcbInfo.Id tee,
      QeReportIdentity qe) throws VerificationException {
    EnclaveIdentity.Id expected = tee == TcbInfo.Id.TDX
        ? EnclaveIdentity.Id.TD_QE : EnclaveIdentity.Id.QE;
    if (identity.id() != expected) {
      throw mismatch("a " + tee + " quote needs the " + expected + " identity, not "
          + identity.id());
    }
    if ((qe.miscselect() & identity.miscselectMask()) != identity.miscselect()) {
      throw mismatch("the QE's MISCSELECT does not match the " + expected + " identity");
    }
    if (!masked(qe.attributes(), identity.attributesMask()).equals(identity.attributes())) {
      throw mismatch("the QE's ATTRIBUTES do not match the " + expected + " identity");
    }
    if (!qe.mrSigner().equals(identity.mrSigner())) {
      throw mismatch("the QE's MRSIGNER " + hex(qe.mrSigner()) + " is not the "
          + expected + " identity's");
    }
    if (qe.isvProdId() != identity.isvProdId()) {
      throw mismatch("the QE's ISVPRODID " + qe.isvProdId() + " is not the " + expected
          + " identity's " + identity.isvProdId());
    }
  }

  // 4.1.2.4.17.4.3, Intel's TDRelaunchCheck: the TD runs on an out-of-date module only
  // because it was launched before a TD-preserving update to a module good enough for the
  // newest TCB level.
  private static boolean relaunchAdvised(TcbInfo info, ByteString teeTcbSvn2,
      TcbStatus sgxStatus, TcbStatus tdxStatus, Optional<TcbVerdict.Part> module,
      TcbStatus qeStatus) throws VerificationException {
    if (qeStatus != TcbStatus.UP_TO_DATE || sgxStatus.outOfDate()
        || sgxStatus == TcbStatus.REVOKED || !tdxStatus.outOfDate()
        || module.isEmpty() || module.get().status() != TcbStatus.OUT_OF_DATE) {
      return false;
    }
    TcbInfo.Level latest = info.tcbLevels().get(0);
    List<Integer> latestTdx = latest.tdxComponents().orElseThrow();
    int svn = teeTcbSvn2.byteAt(0) & 0xFF;
    int majorVersion = teeTcbSvn2.byteAt(1) & 0xFF;
    int microcode = teeTcbSvn2.byteAt(2) & 0xFF;
    int neededModuleSvn = latestTdx.get(0);
    if (majorVersion > 0) {
      TcbInfo.TdxModuleIdentity updated = info.moduleIdentity(majorVersion).orElseThrow(
          () -> mismatch("the TCB info has no identity for the updated TDX module major "
              + "version " + majorVersion));
      neededModuleSvn = updated.tcbLevels().get(0).isvSvn();
    }
    return svn >= neededModuleSvn && microcode >= latestTdx.get(2);
  }

  private static Optional<IdentityTcbLevel> firstLevel(List<IdentityTcbLevel> levels,
      int isvSvn) {
    return levels.stream().filter(l -> isvSvn >= l.isvSvn()).findFirst();
  }

  private static boolean tdxAtLeast(ByteString teeTcbSvn, TcbInfo.Level level) {
    List<Integer> svn = new ArrayList<>();
    for (int i = 0; i < teeTcbSvn.size(); i++) {
      svn.add(teeTcbSvn.byteAt(i) & 0xFF);
    }
    // Bytes 0 and 1 are the module's SVN and major version; from major version 1 on the
    // module identity grades them instead of the TCB level.
    return atLeast(svn, level.tdxComponents().orElseThrow(), svn.get(1) > 0 ? 2 : 0);
  }

  private static boolean atLeast(List<Integer> actual, List<Integer> required, int from) {
    for (int i = from; i < required.size(); i++) {
      if (actual.get(i) < required.get(i)) {
        return false;
      }
    }
    return true;
  }

  private static ByteString masked(ByteString value, ByteString mask) {
    byte[] out = new byte[value.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (value.byteAt(i) & mask.byteAt(i));
    }
    return ByteString.copyFrom(out);
  }

  private static String hex(ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }

  private static VerificationException mismatch(String detail) {
    return new VerificationException(Failure.TCB_MISMATCH, detail);
  }

  private static VerificationException notFound(String detail) {
    return new VerificationException(Failure.TCB_LEVEL_NOT_FOUND, detail);
  }
}
