package org.certifier.verifiers.dcap;

import static org.certifier.verifiers.dcap.QuoteLayout.*;

import com.google.protobuf.ByteString;
import java.nio.ByteOrder;
import org.certifier.evidence.VerificationException;

/**
 * An SGX REPORT_BODY (sgx_report_body_t, 384 bytes; Intel SGX ECDSA Quote Library API, A.4,
 * "Enclave Report Body"): the body of an SGX quote and the quoting enclave's own report in every
 * quote. Reserved bytes must be zero.
 *
 * @param cpuSvn CPUSVN (16 bytes)
 * @param miscSelect MISCSELECT (unsigned 32 bits)
 * @param isvExtProdId ISVEXTPRODID (16 bytes)
 * @param attributes ATTRIBUTES: flags (u64) then XFRM (u64), 16 bytes
 * @param mrEnclave MRENCLAVE (32 bytes)
 * @param mrSigner MRSIGNER (32 bytes)
 * @param configId CONFIGID (64 bytes)
 * @param isvProdId ISVPRODID (unsigned 16 bits)
 * @param isvSvn ISVSVN (unsigned 16 bits)
 * @param configSvn CONFIGSVN (unsigned 16 bits)
 * @param isvFamilyId ISVFAMILYID (16 bytes)
 * @param reportData REPORTDATA (64 bytes)
 */
public record EnclaveReportBody(
    ByteString cpuSvn,
    long miscSelect,
    ByteString isvExtProdId,
    ByteString attributes,
    ByteString mrEnclave,
    ByteString mrSigner,
    ByteString configId,
    int isvProdId,
    int isvSvn,
    int configSvn,
    ByteString isvFamilyId,
    ByteString reportData) implements ReportBody {

  public EnclaveReportBody {
    checkSize("cpuSvn", cpuSvn, CPU_SVN_SIZE);
    checkSize("isvExtProdId", isvExtProdId, ISV_EXT_PROD_ID_SIZE);
    checkSize("attributes", attributes, ATTRIBUTES_SIZE);
    checkSize("mrEnclave", mrEnclave, SHA256_SIZE);
    checkSize("mrSigner", mrSigner, SHA256_SIZE);
    checkSize("configId", configId, CONFIG_ID_SIZE);
    checkSize("isvFamilyId", isvFamilyId, ISV_FAMILY_ID_SIZE);
    checkSize("reportData", reportData, REPORT_DATA_SIZE);
    if (miscSelect >>> 32 != 0 || (isvProdId | isvSvn | configSvn) >>> 16 != 0) {
      throw new IllegalArgumentException("MISCSELECT is 32 bits, ISVPRODID/ISVSVN/CONFIGSVN 16");
    }
  }

  /** The flags half of ATTRIBUTES (INIT, DEBUG, MODE64BIT, ...). */
  public long flags() {
    return attributes.substring(0, 8).asReadOnlyByteBuffer()
        .order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  /** The XFRM half of ATTRIBUTES: the extended features the enclave may use. */
  public long xfrm() {
    return attributes.substring(8, 16).asReadOnlyByteBuffer()
        .order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  /** ATTRIBUTES.DEBUG (flags bit 1). */
  @Override
  public boolean debug() {
    return (flags() & SGX_FLAGS_DEBUG) != 0;
  }

  /**
   * Reads a 384-byte report body.
   *
   * @param what names the report in error messages ("the enclave report", "the QE report")
   * @throws VerificationException {@link org.certifier.evidence.Failure#MALFORMED_EVIDENCE} if
   *     the report is cut short or a reserved byte is set
   */
  static EnclaveReportBody read(QuoteReader in, String what) throws VerificationException {
    ByteString cpuSvn = in.bytes(CPU_SVN_SIZE, what + "'s CPUSVN");
    long miscSelect = in.u32(what + "'s MISCSELECT");
    requireZero(in.bytes(ISV_EXT_PROD_ID - ENCLAVE_RESERVED_1, what + "'s reserved bytes"),
        what, ENCLAVE_RESERVED_1);
    ByteString isvExtProdId = in.bytes(ISV_EXT_PROD_ID_SIZE, what + "'s ISVEXTPRODID");
    ByteString attributes = in.bytes(ATTRIBUTES_SIZE, what + "'s ATTRIBUTES");
    ByteString mrEnclave = in.bytes(SHA256_SIZE, what + "'s MRENCLAVE");
    requireZero(in.bytes(MR_SIGNER - ENCLAVE_RESERVED_2, what + "'s reserved bytes"),
        what, ENCLAVE_RESERVED_2);
    ByteString mrSigner = in.bytes(SHA256_SIZE, what + "'s MRSIGNER");
    requireZero(in.bytes(CONFIG_ID - ENCLAVE_RESERVED_3, what + "'s reserved bytes"),
        what, ENCLAVE_RESERVED_3);
    ByteString configId = in.bytes(CONFIG_ID_SIZE, what + "'s CONFIGID");
    int isvProdId = in.u16(what + "'s ISVPRODID");
    int isvSvn = in.u16(what + "'s ISVSVN");
    int configSvn = in.u16(what + "'s CONFIGSVN");
    requireZero(in.bytes(ISV_FAMILY_ID - ENCLAVE_RESERVED_4, what + "'s reserved bytes"),
        what, ENCLAVE_RESERVED_4);
    ByteString isvFamilyId = in.bytes(ISV_FAMILY_ID_SIZE, what + "'s ISVFAMILYID");
    ByteString reportData = in.bytes(REPORT_DATA_SIZE, what + "'s REPORTDATA");
    return new EnclaveReportBody(cpuSvn, miscSelect, isvExtProdId, attributes, mrEnclave,
        mrSigner, configId, isvProdId, isvSvn, configSvn, isvFamilyId, reportData);
  }

  private static void requireZero(ByteString reserved, String what, int offset)
      throws VerificationException {
    for (int i = 0; i < reserved.size(); i++) {
      if (reserved.byteAt(i) != 0) {
        throw QuoteReader.malformed(String.format("reserved byte 0x%x of %s is not zero",
            offset + i, what));
      }
    }
  }
}
