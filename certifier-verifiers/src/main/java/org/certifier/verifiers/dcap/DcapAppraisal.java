package org.certifier.verifiers.dcap;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.certifier.crypto.Certificates;
import org.certifier.crypto.CryptoException;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.verifiers.collateral.Collateral;
import org.certifier.verifiers.collateral.CollateralKey;
import org.certifier.verifiers.collateral.CollateralKey.IntelTee;
import org.certifier.verifiers.collateral.CollateralKey.PckCa;
import org.certifier.verifiers.collateral.CollateralSource;
import org.certifier.verifiers.dcap.collateral.CollateralVerifier;
import org.certifier.verifiers.dcap.collateral.PlatformTcb;
import org.certifier.verifiers.dcap.collateral.QeReportIdentity;
import org.certifier.verifiers.dcap.collateral.QuoteCollateral;
import org.certifier.verifiers.dcap.collateral.TcbEvaluator;
import org.certifier.verifiers.dcap.collateral.TcbVerdict;
import org.certifier.verifiers.dcap.collateral.VerifiedCollateral;

/**
 * One Intel DCAP quote appraised from end to end, the way every consumer (the evidence
 * verifiers, {@code certifier verify}) needs it: the quote and its PCK chain
 * ({@link QuoteVerifier}), the collateral ({@link CollateralVerifier}) with the PCK chain checked
 * against its CRLs, then the graded TCB status ({@link TcbEvaluator}). Whether that status is
 * acceptable is the policy's question, not this class's.
 */
public final class DcapAppraisal {
  /** What an appraisal establishes; every part is verified. */
  public record Result(VerifiedQuote quote, VerifiedCollateral collateral, TcbVerdict verdict) {
    public Result {
      Objects.requireNonNull(quote, "quote");
      Objects.requireNonNull(collateral, "collateral");
      Objects.requireNonNull(verdict, "verdict");
    }
  }

  private static final String PLATFORM_CA = "Intel SGX PCK Platform CA";
  private static final String PROCESSOR_CA = "Intel SGX PCK Processor CA";

  private final QuoteVerifier quotes;
  private final CollateralVerifier collaterals;

  /** Trusting {@code roots}: {@link IntelRoots#embedded()} in production. */
  public DcapAppraisal(IntelRoots roots) throws VerificationException {
    this.quotes = new QuoteVerifier(roots);
    this.collaterals = new CollateralVerifier(roots.root());
  }

  /** Appraises {@code quote} with collateral the caller already has (e.g. a JSON file). */
  public Result appraise(byte[] quote, QuoteCollateral collateral, Instant now)
      throws VerificationException {
    VerifiedQuote verified = quotes.verify(quote, now);
    return grade(verified, collateral, now);
  }

  /**
   * Appraises {@code quote} with collateral looked up in {@code source} by the quote's TEE, its
   * PCK certificate's FMSPC and the CA that issued it.
   *
   * @throws VerificationException {@link Failure#COLLATERAL_UNAVAILABLE} if the source lacks an
   *     item, or the failure of the first check that does not hold
   */
  public Result appraise(byte[] quote, CollateralSource source, Instant now)
      throws VerificationException {
    VerifiedQuote verified = quotes.verify(quote, now);
    return grade(verified, collateralFor(verified, source), now);
  }

  /** The collateral that grades {@code quote}, fetched item by item from {@code source}. */
  public static QuoteCollateral collateralFor(VerifiedQuote quote, CollateralSource source)
      throws VerificationException {
    IntelTee tee = quote.header().teeType() == TeeType.TDX ? IntelTee.TDX : IntelTee.SGX;
    String fmspc = HexFormat.of().formatHex(quote.pckExtensions().fmspc().toByteArray());
    Collateral tcbInfo = source.get(new CollateralKey.IntelTcbInfo(tee, fmspc));
    Collateral qeIdentity = source.get(new CollateralKey.IntelQeIdentity(tee));
    Collateral pckCrl = source.get(new CollateralKey.IntelPckCrl(pckCa(quote.pckChain())));
    Collateral rootCrl = source.get(new CollateralKey.IntelRootCrl());
    return QuoteCollateral.fromPcsResponses(text(tcbInfo), chain(tcbInfo), text(qeIdentity),
        chain(qeIdentity), chain(pckCrl), rootCrl.body(), pckCrl.body());
  }

  private Result grade(VerifiedQuote quote, QuoteCollateral collateral, Instant now)
      throws VerificationException {
    VerifiedCollateral checked = collaterals.verify(collateral, now);
    checked.checkPckChain(quote.pckChain());
    PckExtensions pck = quote.pckExtensions();
    List<Integer> components = Arrays.stream(pck.cpuSvnComponents()).boxed().toList();
    PlatformTcb platform = quote.body() instanceof TdReportBody td
        ? PlatformTcb.tdx(pck.fmspc(), pck.pceId(), pck.pceSvn(), components, td.teeTcbSvn(),
            td.teeTcbSvn2(), td.mrSignerSeam(), td.seamAttributes())
        : PlatformTcb.sgx(pck.fmspc(), pck.pceId(), pck.pceSvn(), components);
    EnclaveReportBody qe = quote.qeReport();
    QeReportIdentity qeIdentity = new QeReportIdentity(qe.mrSigner(), qe.isvProdId(),
        qe.miscSelect(), qe.attributes(), qe.isvSvn());
    return new Result(quote, checked, TcbEvaluator.evaluate(checked, platform, qeIdentity));
  }

  /** The CA that issued the PCK certificate decides which PCK CRL covers it. */
  private static PckCa pckCa(List<X509Certificate> chain) throws VerificationException {
    try {
      String issuer = Certificates.subjectAttribute(chain.get(1), "CN").orElse("");
      return switch (issuer) {
        case PLATFORM_CA -> PckCa.PLATFORM;
        case PROCESSOR_CA -> PckCa.PROCESSOR;
        default -> throw new VerificationException(Failure.BAD_CERTIFICATE_CHAIN,
            "the PCK certificate's issuer \"" + issuer + "\" is neither the " + PLATFORM_CA
            + " nor the " + PROCESSOR_CA);
      };
    } catch (CryptoException e) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE,
          "unreadable PCK CA subject", e);
    }
  }

  private static String text(Collateral item) {
    return new String(item.body(), StandardCharsets.UTF_8);
  }

  private static String chain(Collateral item) throws VerificationException {
    return item.issuerChainPem().orElseThrow(() -> new VerificationException(
        Failure.COLLATERAL_UNAVAILABLE, "collateral " + item.key().bundlePath()
        + " came without its issuer chain"));
  }
}
