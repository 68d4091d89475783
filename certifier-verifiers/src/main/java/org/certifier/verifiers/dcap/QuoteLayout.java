package org.certifier.verifiers.dcap;

import com.google.protobuf.ByteString;
import java.util.Objects;

/**
 * Offsets and sizes of the ECDSA quote structures, named after their fields. Sources: Intel,
 * "Intel SGX ECDSA Quote Library API" (quote version 3, appendix A.4 "ECDSA Quote Format"), and
 * Intel, "Intel TDX DCAP Quoting Library API" (quote versions 4 and 5, appendix A.3 "Version 4
 * Quote Format" and "Version 5 Quote Format"). All integers are little-endian. Offsets of a
 * report body are relative to the body's first byte. Layout only: nothing here decides whether
 * to trust a quote.
 */
final class QuoteLayout {
  private QuoteLayout() {}

  /** Refuses a field value whose length differs from the layout's (a programming error). */
  static void checkSize(String name, ByteString value, int size) {
    Objects.requireNonNull(value, name);
    if (value.size() != size) {
      throw new IllegalArgumentException(name + " is " + value.size() + " bytes, not " + size);
    }
  }

  // Quote header, the same 48 bytes in versions 3, 4 and 5.
  static final int HEADER_SIZE = 48;
  static final int VERSION = 0; // u16
  static final int ATT_KEY_TYPE = 2; // u16
  /** TEE_TYPE from version 4 on; reserved (zero) in version 3. */
  static final int TEE_TYPE = 4; // u32
  static final int QE_SVN = 8; // u16
  static final int PCE_SVN = 10; // u16
  static final int QE_VENDOR_ID = 12;
  static final int QE_VENDOR_ID_SIZE = 16;
  static final int USER_DATA = 28;
  static final int USER_DATA_SIZE = 20;

  /** ATT_KEY_TYPE of ECDSA-256-with-P-256 curve, the only one Intel's QE uses. */
  static final int ATT_KEY_TYPE_ECDSA_P256 = 2;
  static final int TEE_TYPE_SGX = 0x00;
  static final int TEE_TYPE_TDX = 0x81;

  /** Version 5 only: u16 body type and u32 body size between the header and the body. */
  static final int BODY_DESCRIPTOR_SIZE = 6;
  static final int BODY_TYPE_SGX = 1;
  static final int BODY_TYPE_TD10 = 2;
  static final int BODY_TYPE_TD15 = 3;

  // SGX REPORT_BODY (sgx_report_body_t), 384 bytes: the enclave's report in an SGX quote and
  // the QE's report in every quote.
  static final int ENCLAVE_REPORT_SIZE = 384;
  static final int CPU_SVN = 0x000;
  static final int CPU_SVN_SIZE = 16;
  static final int MISC_SELECT = 0x010; // u32
  static final int ENCLAVE_RESERVED_1 = 0x014; // 12 bytes
  static final int ISV_EXT_PROD_ID = 0x020;
  static final int ISV_EXT_PROD_ID_SIZE = 16;
  /** ATTRIBUTES: flags u64 (bit 1 DEBUG, bit 2 MODE64BIT), then XFRM u64. */
  static final int ATTRIBUTES = 0x030;
  static final int ATTRIBUTES_SIZE = 16;
  static final int MR_ENCLAVE = 0x040;
  static final int ENCLAVE_RESERVED_2 = 0x060; // 32 bytes
  static final int MR_SIGNER = 0x080;
  static final int ENCLAVE_RESERVED_3 = 0x0A0; // 32 bytes
  static final int CONFIG_ID = 0x0C0;
  static final int CONFIG_ID_SIZE = 64;
  static final int ISV_PROD_ID = 0x100; // u16
  static final int ISV_SVN = 0x102; // u16
  static final int CONFIG_SVN = 0x104; // u16
  static final int ENCLAVE_RESERVED_4 = 0x106; // 42 bytes
  static final int ISV_FAMILY_ID = 0x130;
  static final int ISV_FAMILY_ID_SIZE = 16;
  static final int ENCLAVE_REPORT_DATA = 0x140;
  static final int SHA256_SIZE = 32;
  static final int REPORT_DATA_SIZE = 64;
  static final long SGX_FLAGS_DEBUG = 1L << 1;

  // TDX TD report body (TD_REPORT's TDINFO and TEE_TCB_INFO parts the quote carries): 584 bytes
  // for TDX 1.0; TDX 1.5 appends TEE_TCB_SVN_2 and MRSERVICETD for 648 bytes.
  static final int TD10_REPORT_SIZE = 584;
  static final int TD15_REPORT_SIZE = 648;
  static final int TEE_TCB_SVN = 0;
  static final int TEE_TCB_SVN_SIZE = 16;
  static final int MR_SEAM = 16;
  static final int MR_SIGNER_SEAM = 64;
  static final int SEAM_ATTRIBUTES = 112;
  static final int TD_ATTRIBUTES = 120;
  static final int XFAM = 128;
  static final int MR_TD = 136;
  static final int MR_CONFIG_ID = 184;
  static final int MR_OWNER = 232;
  static final int MR_OWNER_CONFIG = 280;
  static final int RTMR_0 = 328; // four RTMRs of 48 bytes each
  static final int RTMR_COUNT = 4;
  static final int TD_REPORT_DATA = 520;
  static final int TEE_TCB_SVN_2 = 584;
  static final int MR_SERVICE_TD = 600;
  static final int SHA384_SIZE = 48;
  static final int ATTRIBUTES_64_SIZE = 8;
  /** TUD.DEBUG, bit 0 of TD_ATTRIBUTES. */
  static final int TD_ATTRIBUTES_DEBUG = 1;

  // Signature data: u32 length, then the ECDSA signature (r || s, big-endian, 32 bytes each) by
  // the attestation key over header and body, then the attestation key (x || y).
  static final int SIGNATURE_DATA_LENGTH_SIZE = 4;
  static final int ECDSA_SIGNATURE_SIZE = 64;
  static final int ECDSA_KEY_SIZE = 64;
  /** A certification data element: u16 type, u32 size, then size bytes. */
  static final int CERT_DATA_HEADER_SIZE = 6;
  /** Certification data type 5: the PCK leaf certificate chain as PEM text. */
  static final int CERT_TYPE_PCK_CHAIN = 5;
  /** Certification data type 6 (versions 4 and 5): the QE report certification data. */
  static final int CERT_TYPE_QE_REPORT = 6;
  /** Intel defines certification data types 1 to 7; the others are PPID or manifest forms. */
  static final int CERT_TYPE_MAX_DEFINED = 7;
  static final int QE_AUTH_DATA_LENGTH_SIZE = 2;
}
