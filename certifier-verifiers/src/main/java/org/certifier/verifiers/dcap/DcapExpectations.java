package org.certifier.verifiers.dcap;

import static org.certifier.verifiers.dcap.QuoteLayout.REPORT_DATA_SIZE;
import static org.certifier.verifiers.dcap.QuoteLayout.SHA256_SIZE;
import static org.certifier.verifiers.dcap.QuoteLayout.SHA384_SIZE;
import static org.certifier.verifiers.dcap.QuoteLayout.TEE_TCB_SVN_SIZE;

import com.google.protobuf.ByteString;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;

/**
 * Answers one question about a verified Intel quote, the counterpart of
 * {@code SnpExpectations}: do we accept what its TD or enclave report says? Intel's grade of the
 * platform is a separate question ({@code TcbAcceptance}). Each field is one requirement;
 * unset fields are not checked, except that a debuggable TD or enclave is refused unless
 * explicitly allowed, because its host can read and change its memory. Byte values must have
 * their exact length; nothing is padded or cut.
 *
 * <p>{@link #check} reports the first unmet requirement, in this order:
 * {@link Failure#UNSUPPORTED_EVIDENCE_TYPE} for a report of the other TEE,
 * {@link Failure#REPORT_DATA_MISMATCH} for REPORTDATA, {@link Failure#UNKNOWN_MEASUREMENT} for
 * MRTD or MRENCLAVE, {@link Failure#DEBUG_NOT_ALLOWED} for debug, and
 * {@link Failure#PLATFORM_PROPERTY_MISMATCH} for MRSIGNER, ISVPRODID and the minimum SVNs.
 *
 * @param tee the TEE whose reports are expected
 * @param reportData if present, REPORTDATA must equal it (64 bytes)
 * @param measurements if not empty, MRTD (TDX, 48 bytes) or MRENCLAVE (SGX, 32 bytes) must be
 *     one of these
 * @param debugAllowed whether a debuggable TD (TDATTRIBUTES.DEBUG) or enclave
 *     (ATTRIBUTES.DEBUG) is accepted
 * @param minimumTeeTcbSvn TDX only: each byte is a lower bound for the same byte of
 *     TEE_TCB_SVN (byte 0 is the TDX module's SVN), as Intel compares TDX TCB components
 * @param mrSigners SGX only: if not empty, MRSIGNER must be one of these (32 bytes each)
 * @param isvProdId SGX only: if present, ISVPRODID must equal it
 * @param minimumIsvSvn SGX only: if present, ISVSVN must be at least this
 */
public record DcapExpectations(
    TeeType tee,
    Optional<ByteString> reportData,
    Set<ByteString> measurements,
    boolean debugAllowed,
    Optional<ByteString> minimumTeeTcbSvn,
    Set<ByteString> mrSigners,
    OptionalInt isvProdId,
    OptionalInt minimumIsvSvn) {

  public DcapExpectations {
    Objects.requireNonNull(tee, "tee");
    Objects.requireNonNull(reportData, "reportData");
    reportData.ifPresent(d -> QuoteLayout.checkSize("reportData", d, REPORT_DATA_SIZE));
    measurements = Set.copyOf(measurements);
    int measurementSize = tee == TeeType.TDX ? SHA384_SIZE : SHA256_SIZE;
    measurements.forEach(m -> QuoteLayout.checkSize(measurementName(tee), m, measurementSize));
    Objects.requireNonNull(minimumTeeTcbSvn, "minimumTeeTcbSvn");
    mrSigners = Set.copyOf(mrSigners);
    Objects.requireNonNull(isvProdId, "isvProdId");
    Objects.requireNonNull(minimumIsvSvn, "minimumIsvSvn");
    if (tee == TeeType.TDX) {
      minimumTeeTcbSvn.ifPresent(s -> QuoteLayout.checkSize("TEE_TCB_SVN", s, TEE_TCB_SVN_SIZE));
      if (!mrSigners.isEmpty() || isvProdId.isPresent() || minimumIsvSvn.isPresent()) {
        throw new IllegalArgumentException("MRSIGNER, ISVPRODID and ISVSVN are SGX fields;"
            + " a TD report has none");
      }
    } else {
      if (minimumTeeTcbSvn.isPresent()) {
        throw new IllegalArgumentException("TEE_TCB_SVN is a TDX field; an enclave has none");
      }
      mrSigners.forEach(m -> QuoteLayout.checkSize("MRSIGNER", m, SHA256_SIZE));
      if (isvProdId.orElse(0) >>> 16 != 0 || minimumIsvSvn.orElse(0) >>> 16 != 0) {
        throw new IllegalArgumentException("ISVPRODID and ISVSVN are 16-bit values");
      }
    }
  }

  /** A builder for reports of {@code tee}, starting from "debug refused, nothing else". */
  public static Builder builder(TeeType tee) {
    return new Builder(tee);
  }

  /**
   * Checks a report against every requirement.
   *
   * @throws VerificationException with the first requirement the report does not meet (see
   *     the class comment)
   */
  public void check(ReportBody body) throws VerificationException {
    Objects.requireNonNull(body, "body");
    boolean isTd = body instanceof TdReportBody;
    if (isTd != (tee == TeeType.TDX)) {
      throw new VerificationException(Failure.UNSUPPORTED_EVIDENCE_TYPE, "the quote carries "
          + (isTd ? "a TD" : "an SGX enclave") + " report, not " + (isTd ? "an SGX enclave"
          : "a TD") + " report");
    }
    if (reportData.isPresent() && !reportData.get().equals(body.reportData())) {
      throw new VerificationException(Failure.REPORT_DATA_MISMATCH, "REPORTDATA "
          + hex(body.reportData()) + " is not the expected " + hex(reportData.get()));
    }
    ByteString measurement = body instanceof TdReportBody td ? td.mrTd()
        : ((EnclaveReportBody) body).mrEnclave();
    if (!measurements.isEmpty() && !measurements.contains(measurement)) {
      throw new VerificationException(Failure.UNKNOWN_MEASUREMENT, measurementName(tee) + " "
          + hex(measurement) + " is not an allowed one");
    }
    if (body.debug() && !debugAllowed) {
      throw new VerificationException(Failure.DEBUG_NOT_ALLOWED, (isTd
          ? "the TD is debuggable (TDATTRIBUTES.DEBUG)" : "the enclave is a debug enclave"
          + " (ATTRIBUTES.DEBUG)") + ": its host can read and change its memory, and debug"
          + " is not allowed");
    }
    if (body instanceof TdReportBody td) {
      checkTeeTcbSvn(td.teeTcbSvn());
    } else {
      checkEnclave((EnclaveReportBody) body);
    }
  }

  private void checkTeeTcbSvn(ByteString actual) throws VerificationException {
    if (minimumTeeTcbSvn.isEmpty()) {
      return;
    }
    ByteString minimum = minimumTeeTcbSvn.get();
    for (int i = 0; i < TEE_TCB_SVN_SIZE; i++) {
      int have = actual.byteAt(i) & 0xff;
      int need = minimum.byteAt(i) & 0xff;
      if (have < need) {
        throw mismatch("TEE_TCB_SVN " + hex(actual) + ": component " + i + " is " + have
            + " < " + need + " required (minimum " + hex(minimum) + ")");
      }
    }
  }

  private void checkEnclave(EnclaveReportBody enclave) throws VerificationException {
    if (!mrSigners.isEmpty() && !mrSigners.contains(enclave.mrSigner())) {
      throw mismatch("MRSIGNER " + hex(enclave.mrSigner()) + " is not an allowed one");
    }
    if (isvProdId.isPresent() && enclave.isvProdId() != isvProdId.getAsInt()) {
      throw mismatch("ISVPRODID " + enclave.isvProdId() + " is not " + isvProdId.getAsInt());
    }
    if (minimumIsvSvn.isPresent() && enclave.isvSvn() < minimumIsvSvn.getAsInt()) {
      throw mismatch("ISVSVN " + enclave.isvSvn() + " < " + minimumIsvSvn.getAsInt()
          + " required");
    }
  }

  private static String measurementName(TeeType tee) {
    return tee == TeeType.TDX ? "MRTD" : "MRENCLAVE";
  }

  private static String hex(ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }

  private static VerificationException mismatch(String detail) {
    return new VerificationException(Failure.PLATFORM_PROPERTY_MISMATCH, detail);
  }

  /** Collects requirements; see the record components for their meaning. */
  public static final class Builder {
    private final TeeType tee;
    private Optional<ByteString> reportData = Optional.empty();
    private final Set<ByteString> measurements = new LinkedHashSet<>();
    private boolean debugAllowed;
    private Optional<ByteString> minimumTeeTcbSvn = Optional.empty();
    private final Set<ByteString> mrSigners = new LinkedHashSet<>();
    private OptionalInt isvProdId = OptionalInt.empty();
    private OptionalInt minimumIsvSvn = OptionalInt.empty();

    private Builder(TeeType tee) {
      this.tee = Objects.requireNonNull(tee, "tee");
    }

    /** REPORTDATA must equal these 64 bytes. */
    public Builder reportData(byte[] expected) {
      reportData = Optional.of(ByteString.copyFrom(expected));
      return this;
    }

    /** Adds an allowed MRTD (48 bytes) or MRENCLAVE (32 bytes). */
    public Builder allowMeasurement(byte[] measurement) {
      measurements.add(ByteString.copyFrom(measurement));
      return this;
    }

    /** Accepts a debuggable TD or enclave: only for development. */
    public Builder allowDebug() {
      debugAllowed = true;
      return this;
    }

    /** TDX: TEE_TCB_SVN must be at least these 16 bytes, byte by byte. */
    public Builder minimumTeeTcbSvn(byte[] minimum) {
      minimumTeeTcbSvn = Optional.of(ByteString.copyFrom(minimum));
      return this;
    }

    /** SGX: adds an allowed MRSIGNER (32 bytes). */
    public Builder allowMrSigner(byte[] mrSigner) {
      mrSigners.add(ByteString.copyFrom(mrSigner));
      return this;
    }

    /** SGX: ISVPRODID must be this. */
    public Builder isvProdId(int id) {
      isvProdId = OptionalInt.of(id);
      return this;
    }

    /** SGX: ISVSVN must be at least this. */
    public Builder minimumIsvSvn(int svn) {
      minimumIsvSvn = OptionalInt.of(svn);
      return this;
    }

    /**
     * @throws IllegalArgumentException if a value has the wrong size or range, or does not
     *     exist for the TEE
     */
    public DcapExpectations build() {
      return new DcapExpectations(tee, reportData, measurements, debugAllowed, minimumTeeTcbSvn,
          mrSigners, isvProdId, minimumIsvSvn);
    }
  }
}
