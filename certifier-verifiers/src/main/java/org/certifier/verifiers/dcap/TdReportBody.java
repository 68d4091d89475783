package org.certifier.verifiers.dcap;

import static org.certifier.verifiers.dcap.QuoteLayout.*;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.certifier.evidence.VerificationException;

/**
 * A TDX TD report body as a quote carries it (Intel TDX DCAP Quoting Library API, A.3.2 "TD
 * Quote Body" for TDX 1.0, 584 bytes; A.3.3 "TD Quote Body v1.5" adds TEE_TCB_SVN_2 and
 * MRSERVICETD, 648 bytes). The 48-byte measurements are SHA-384 values.
 *
 * @param teeTcbSvn TEE_TCB_SVN of the TDX module (16 bytes)
 * @param mrSeam MRSEAM, the TDX module's measurement
 * @param mrSignerSeam MRSIGNERSEAM, its signer (zero for Intel's module)
 * @param seamAttributes SEAMATTRIBUTES (8 bytes)
 * @param tdAttributes TDATTRIBUTES (8 bytes; bit 0 is DEBUG)
 * @param xfam XFAM (8 bytes)
 * @param mrTd MRTD, the measurement of the TD's initial contents
 * @param mrConfigId MRCONFIGID, chosen by the host at launch
 * @param mrOwner MROWNER, chosen by the host at launch
 * @param mrOwnerConfig MROWNERCONFIG, chosen by the host at launch
 * @param rtmrs RTMR0 to RTMR3, the runtime-extendable measurement registers
 * @param reportData REPORTDATA (64 bytes)
 * @param teeTcbSvn2 TEE_TCB_SVN_2 (16 bytes); TDX 1.5 bodies only
 * @param mrServiceTd MRSERVICETD; TDX 1.5 bodies only
 */
public record TdReportBody(
    ByteString teeTcbSvn,
    ByteString mrSeam,
    ByteString mrSignerSeam,
    ByteString seamAttributes,
    ByteString tdAttributes,
    ByteString xfam,
    ByteString mrTd,
    ByteString mrConfigId,
    ByteString mrOwner,
    ByteString mrOwnerConfig,
    List<ByteString> rtmrs,
    ByteString reportData,
    Optional<ByteString> teeTcbSvn2,
    Optional<ByteString> mrServiceTd) implements ReportBody {

  public TdReportBody {
    checkSize("teeTcbSvn", teeTcbSvn, TEE_TCB_SVN_SIZE);
    checkSize("mrSeam", mrSeam, SHA384_SIZE);
    checkSize("mrSignerSeam", mrSignerSeam, SHA384_SIZE);
    checkSize("seamAttributes", seamAttributes, ATTRIBUTES_64_SIZE);
    checkSize("tdAttributes", tdAttributes, ATTRIBUTES_64_SIZE);
    checkSize("xfam", xfam, ATTRIBUTES_64_SIZE);
    checkSize("mrTd", mrTd, SHA384_SIZE);
    checkSize("mrConfigId", mrConfigId, SHA384_SIZE);
    checkSize("mrOwner", mrOwner, SHA384_SIZE);
    checkSize("mrOwnerConfig", mrOwnerConfig, SHA384_SIZE);
    rtmrs = List.copyOf(rtmrs);
    if (rtmrs.size() != RTMR_COUNT) {
      throw new IllegalArgumentException("a TD has " + RTMR_COUNT + " RTMRs");
    }
    for (ByteString rtmr : rtmrs) {
      checkSize("rtmr", rtmr, SHA384_SIZE);
    }
    checkSize("reportData", reportData, REPORT_DATA_SIZE);
    Objects.requireNonNull(teeTcbSvn2, "teeTcbSvn2");
    Objects.requireNonNull(mrServiceTd, "mrServiceTd");
    if (teeTcbSvn2.isPresent() != mrServiceTd.isPresent()) {
      throw new IllegalArgumentException("TEE_TCB_SVN_2 and MRSERVICETD come together (TDX 1.5)");
    }
    if (teeTcbSvn2.isPresent()) {
      checkSize("teeTcbSvn2", teeTcbSvn2.get(), TEE_TCB_SVN_SIZE);
      checkSize("mrServiceTd", mrServiceTd.get(), SHA384_SIZE);
    }
  }

  /** RTMR{@code index}, 0 to 3. */
  public ByteString rtmr(int index) {
    return rtmrs.get(index);
  }

  /** True for a TDX 1.5 body, which carries TEE_TCB_SVN_2 and MRSERVICETD. */
  public boolean tdx15() {
    return teeTcbSvn2.isPresent();
  }

  /** TDATTRIBUTES.TUD.DEBUG (bit 0): the TD is debuggable by the host. */
  @Override
  public boolean debug() {
    return (tdAttributes.byteAt(0) & TD_ATTRIBUTES_DEBUG) != 0;
  }

  /**
   * Reads a TD report body of TDX 1.0 (584 bytes) or, if {@code tdx15}, TDX 1.5 (648 bytes).
   *
   * @throws VerificationException {@link org.certifier.evidence.Failure#MALFORMED_EVIDENCE} if
   *     the body is cut short
   */
  static TdReportBody read(QuoteReader in, boolean tdx15) throws VerificationException {
    ByteString teeTcbSvn = in.bytes(TEE_TCB_SVN_SIZE, "the TD report's TEE_TCB_SVN");
    ByteString mrSeam = in.bytes(SHA384_SIZE, "the TD report's MRSEAM");
    ByteString mrSignerSeam = in.bytes(SHA384_SIZE, "the TD report's MRSIGNERSEAM");
    ByteString seamAttributes = in.bytes(ATTRIBUTES_64_SIZE, "the TD report's SEAMATTRIBUTES");
    ByteString tdAttributes = in.bytes(ATTRIBUTES_64_SIZE, "the TD report's TDATTRIBUTES");
    ByteString xfam = in.bytes(ATTRIBUTES_64_SIZE, "the TD report's XFAM");
    ByteString mrTd = in.bytes(SHA384_SIZE, "the TD report's MRTD");
    ByteString mrConfigId = in.bytes(SHA384_SIZE, "the TD report's MRCONFIGID");
    ByteString mrOwner = in.bytes(SHA384_SIZE, "the TD report's MROWNER");
    ByteString mrOwnerConfig = in.bytes(SHA384_SIZE, "the TD report's MROWNERCONFIG");
    List<ByteString> rtmrs = new ArrayList<>();
    for (int i = 0; i < RTMR_COUNT; i++) {
      rtmrs.add(in.bytes(SHA384_SIZE, "the TD report's RTMR" + i));
    }
    ByteString reportData = in.bytes(REPORT_DATA_SIZE, "the TD report's REPORTDATA");
    Optional<ByteString> teeTcbSvn2 = Optional.empty();
    Optional<ByteString> mrServiceTd = Optional.empty();
    if (tdx15) {
      teeTcbSvn2 = Optional.of(in.bytes(TEE_TCB_SVN_SIZE, "the TD report's TEE_TCB_SVN_2"));
      mrServiceTd = Optional.of(in.bytes(SHA384_SIZE, "the TD report's MRSERVICETD"));
    }
    return new TdReportBody(teeTcbSvn, mrSeam, mrSignerSeam, seamAttributes, tdAttributes, xfam,
        mrTd, mrConfigId, mrOwner, mrOwnerConfig, rtmrs, reportData, teeTcbSvn2, mrServiceTd);
  }
}
