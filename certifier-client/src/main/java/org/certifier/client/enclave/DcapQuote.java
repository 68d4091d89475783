package org.certifier.client.enclave;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The few fields of an Intel DCAP quote an attester needs to check that the quote it was handed
 * is the kind it asked for and binds its report data: header (version, TEE type), report body
 * position, REPORT_DATA and the measurement. Layouts: Intel SGX ECDSA Quote Library API,
 * Appendix A (v3, SGX report body); Intel TDX DCAP Quoting Library API, Appendix A (v4, TD
 * report 1.0; v5, body type and size prefix). Nothing is verified here: the Certifier Service
 * does that, and the guest has no better reason to trust the quote than the service has.
 */
final class DcapQuote {
  static final int TEE_SGX = 0x00;
  static final int TEE_TDX = 0x81;
  private static final int HEADER_SIZE = 48;
  private static final int SGX_BODY_SIZE = 384;
  private static final int TD10_BODY_SIZE = 584;
  private static final int TD15_BODY_SIZE = 648;
  private static final int V5_PREFIX = 6;
  private static final int TD10_BODY_TYPE = 2;
  private static final int TD15_BODY_TYPE = 3;
  private static final int SGX_MR_ENCLAVE = 64;
  private static final int SGX_REPORT_DATA = 320;
  private static final int TD_MR_TD = 136;
  private static final int TD_REPORT_DATA = 520;
  private static final int REPORT_DATA_SIZE = 64;

  private final byte[] quote;
  private final int bodyOffset;
  private final int teeType;

  private DcapQuote(byte[] quote, int bodyOffset, int teeType) {
    this.quote = quote;
    this.bodyOffset = bodyOffset;
    this.teeType = teeType;
  }

  /**
   * The quote's layout, if it is a quote of {@code expectedTee}: SGX quotes of version 3, TDX
   * quotes of versions 4 and 5, long enough for their body and the signature-data length.
   */
  static DcapQuote parse(byte[] quote, int expectedTee, String source)
      throws EnclaveException {
    if (quote.length < HEADER_SIZE + V5_PREFIX) {
      throw new EnclaveException(source + " returned " + quote.length + " bytes, not a DCAP"
          + " quote");
    }
    ByteBuffer in = ByteBuffer.wrap(quote).order(ByteOrder.LITTLE_ENDIAN);
    int version = in.getShort(0) & 0xffff;
    int teeType = in.getInt(4);
    if (teeType != expectedTee) {
      throw new EnclaveException(source + " returned a quote of TEE type 0x"
          + Integer.toHexString(teeType) + ", not 0x" + Integer.toHexString(expectedTee));
    }
    int bodyOffset = HEADER_SIZE;
    int bodySize;
    if (teeType == TEE_SGX && version == 3) {
      bodySize = SGX_BODY_SIZE;
    } else if (teeType == TEE_TDX && version == 4) {
      bodySize = TD10_BODY_SIZE;
    } else if (teeType == TEE_TDX && version == 5) {
      int bodyType = in.getShort(HEADER_SIZE) & 0xffff;
      bodySize = in.getInt(HEADER_SIZE + 2);
      if (!(bodyType == TD10_BODY_TYPE && bodySize == TD10_BODY_SIZE
          || bodyType == TD15_BODY_TYPE && bodySize == TD15_BODY_SIZE)) {
        throw new EnclaveException(source + " returned a v5 quote with body type " + bodyType
            + " of " + bodySize + " bytes, not a TD report");
      }
      bodyOffset += V5_PREFIX;
    } else {
      throw new EnclaveException(source + " returned a quote of version " + version
          + ", which this attester does not know");
    }
    if (quote.length < bodyOffset + bodySize + Integer.BYTES) {
      throw new EnclaveException(source + " returned a truncated quote (" + quote.length
          + " bytes)");
    }
    return new DcapQuote(quote, bodyOffset, teeType);
  }

  /** Fails unless REPORT_DATA is exactly {@code expected}. */
  void requireReportData(byte[] expected, String source) throws EnclaveException {
    int at = bodyOffset + (teeType == TEE_SGX ? SGX_REPORT_DATA : TD_REPORT_DATA);
    if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(quote, at, at + REPORT_DATA_SIZE))) {
      throw new EnclaveException("the quote from " + source + " does not carry the report"
          + " data we asked for: it was made for someone else");
    }
  }

  /** MRENCLAVE (32 bytes) of an SGX quote, MRTD (48 bytes) of a TDX quote. */
  byte[] measurement() {
    int at = bodyOffset + (teeType == TEE_SGX ? SGX_MR_ENCLAVE : TD_MR_TD);
    return Arrays.copyOfRange(quote, at, at + (teeType == TEE_SGX ? 32 : 48));
  }
}
