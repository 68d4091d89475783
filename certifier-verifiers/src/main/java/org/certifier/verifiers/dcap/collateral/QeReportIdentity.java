package org.certifier.verifiers.dcap.collateral;

import com.google.protobuf.ByteString;

/**
 * The identity fields of the quoting enclave's report inside a quote (SGX REPORT body), as
 * input to {@link TcbEvaluator}.
 *
 * @param mrSigner MRSIGNER (32 bytes)
 * @param isvProdId ISVPRODID
 * @param miscselect MISCSELECT as the unsigned 32-bit number the report stores little-endian
 * @param attributes ATTRIBUTES, the 16 bytes in report order
 * @param isvSvn ISVSVN
 */
public record QeReportIdentity(ByteString mrSigner, int isvProdId, long miscselect,
    ByteString attributes, int isvSvn) {

  public QeReportIdentity {
    PlatformTcb.checkSize("mrSigner", mrSigner, 32);
    PlatformTcb.checkSize("attributes", attributes, 16);
    if (isvProdId < 0 || isvProdId > 0xFFFF || isvSvn < 0 || isvSvn > 0xFFFF) {
      throw new IllegalArgumentException("isvProdId and isvSvn are 16-bit values");
    }
    if (miscselect < 0 || miscselect > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("miscselect is a 32-bit value");
    }
  }
}
