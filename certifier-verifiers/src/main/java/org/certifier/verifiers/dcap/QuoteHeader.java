package org.certifier.verifiers.dcap;

import static org.certifier.verifiers.dcap.QuoteLayout.*;

import com.google.protobuf.ByteString;
import java.util.HexFormat;
import java.util.Objects;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;

/**
 * The 48-byte header of an ECDSA quote (Intel SGX ECDSA Quote Library API, A.4, "Quote
 * Header"; Intel TDX DCAP Quoting Library API, A.3, "Quote Header"). Versions 3, 4 and 5 are
 * read; version 3 has no TEE_TYPE (its reserved field must be zero, which reads as SGX).
 *
 * @param version VERSION: 3, 4 or 5
 * @param attestationKeyType ATT_KEY_TYPE; always 2, ECDSA-256-with-P-256
 * @param teeType TEE_TYPE: SGX or TDX
 * @param qeSvn QE_SVN of the quoting enclave (reserved, zero, in TDX quotes)
 * @param pceSvn PCE_SVN of the provisioning certification enclave (reserved in TDX quotes)
 * @param qeVendorId QE_VENDOR_ID (16 bytes; Intel's QE has 939a7233f79c4ca9940a0db3957f0607)
 * @param userData USER_DATA chosen by the QE (20 bytes; the first 16 identify the platform)
 */
public record QuoteHeader(
    int version,
    int attestationKeyType,
    TeeType teeType,
    int qeSvn,
    int pceSvn,
    ByteString qeVendorId,
    ByteString userData) {

  /** QE_VENDOR_ID of Intel's quoting enclaves. */
  public static final ByteString INTEL_QE_VENDOR_ID = ByteString.copyFrom(
      HexFormat.of().parseHex("939a7233f79c4ca9940a0db3957f0607"));

  public QuoteHeader {
    Objects.requireNonNull(teeType, "teeType");
    checkSize("qeVendorId", qeVendorId, QE_VENDOR_ID_SIZE);
    checkSize("userData", userData, USER_DATA_SIZE);
    if (version < 3 || version > 5) {
      throw new IllegalArgumentException("unsupported quote version " + version);
    }
    if (version == 3 && teeType != TeeType.SGX) {
      throw new IllegalArgumentException("a version 3 quote is an SGX quote");
    }
    if ((attestationKeyType | qeSvn | pceSvn) >>> 16 != 0) {
      throw new IllegalArgumentException("header fields are unsigned 16-bit values");
    }
  }

  /**
   * Reads the header from the start of a quote.
   *
   * @throws VerificationException {@link Failure#MALFORMED_EVIDENCE} for a short header, an
   *     unsupported version or an unknown TEE type; {@link Failure#UNSUPPORTED_ALGORITHM} for
   *     an attestation key other than ECDSA P-256
   */
  static QuoteHeader read(QuoteReader in) throws VerificationException {
    int version = in.u16("the header's VERSION");
    if (version < 3 || version > 5) {
      throw QuoteReader.malformed("quote version " + version
          + " is not supported (3, 4 and 5 are)");
    }
    int attestationKeyType = in.u16("the header's ATT_KEY_TYPE");
    if (attestationKeyType != ATT_KEY_TYPE_ECDSA_P256) {
      throw new VerificationException(Failure.UNSUPPORTED_ALGORITHM, "attestation key type "
          + attestationKeyType + " is not ECDSA-256-with-P-256 (2)");
    }
    long teeField = in.u32("the header's TEE_TYPE");
    if (version == 3 && teeField != 0) {
      throw QuoteReader.malformed("the reserved bytes 4..7 of a version 3 quote are not zero");
    }
    TeeType teeType = TeeType.fromFieldValue(teeField).orElseThrow(() ->
        QuoteReader.malformed(String.format("TEE type 0x%x is neither SGX (0x0) nor TDX (0x81)",
            teeField)));
    return new QuoteHeader(version, attestationKeyType, teeType,
        in.u16("the header's QE_SVN"), in.u16("the header's PCE_SVN"),
        in.bytes(QE_VENDOR_ID_SIZE, "the header's QE_VENDOR_ID"),
        in.bytes(USER_DATA_SIZE, "the header's USER_DATA"));
  }
}
