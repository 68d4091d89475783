package org.certifier.verifiers.dcap;

import com.google.protobuf.ByteString;
import java.util.Objects;

/**
 * Sizes, values and reserved ranges of the ECDSA quote structures. Sources: Intel, "Intel SGX
 * ECDSA Quote Library API" (quote version 3, appendix A.4 "ECDSA Quote Format"), and Intel,
 * "Intel TDX DCAP Quoting Library API" (quote versions 4 and 5, appendix A.3 "Version 4 Quote
 * Format" and "Version 5 Quote Format"). All integers are little-endian. The parsers read the
 * fields in order, so offsets appear here only where a reserved range starts; the tables below
 * give the rest. Layout only: nothing here decides whether to trust a quote.
 *
 * <pre>
 * Header (48 bytes)           SGX report body (384 bytes)    TD report body (584 / 648 bytes)
 *   0x00 VERSION        u16     0x000 CPUSVN          16       0 TEE_TCB_SVN          16
 *   0x02 ATT_KEY_TYPE   u16     0x010 MISCSELECT      u32     16 MRSEAM               48
 *   0x04 TEE_TYPE       u32     0x014 reserved        12      64 MRSIGNERSEAM         48
 *   0x08 QE_SVN         u16     0x020 ISVEXTPRODID    16     112 SEAMATTRIBUTES        8
 *   0x0A PCE_SVN        u16     0x030 ATTRIBUTES      16     120 TDATTRIBUTES          8
 *   0x0C QE_VENDOR_ID    16     0x040 MRENCLAVE       32     128 XFAM                  8
 *   0x1C USER_DATA       20     0x060 reserved        32     136 MRTD                 48
 *                               0x080 MRSIGNER        32     184 MRCONFIGID           48
 * Version 5 only, after the     0x0A0 reserved        32     232 MROWNER              48
 * header: body type u16,        0x0C0 CONFIGID        64     280 MROWNERCONFIG        48
 * body size u32.                0x100 ISVPRODID      u16     328 RTMR0..RTMR3       4x48
 *                               0x102 ISVSVN         u16     520 REPORTDATA           64
 *                               0x104 CONFIGSVN      u16     584 TEE_TCB_SVN_2 (1.5)  16
 *                               0x106 reserved        42     600 MRSERVICETD (1.5)    48
 *                               0x130 ISVFAMILYID     16
 *                               0x140 REPORTDATA      64
 * </pre>
 *
 * <p>Signature data, after the body: u32 length; the ECDSA signature by the attestation key over
 * header and body (r || s, 32 bytes each, big-endian); the attestation key (x || y); then the
 * QE report certification data (version 3), or a certification data element (u16 type, u32
 * size) of type 6 holding it (versions 4 and 5). QE report certification data: the QE report
 * (an SGX report body), its signature by the PCK key (r || s), u16 QE authentication data
 * length and the data, and a certification data element of type 5, the PEM PCK chain.
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

  static final int QE_VENDOR_ID_SIZE = 16;
  static final int USER_DATA_SIZE = 20;

  /** ATT_KEY_TYPE of ECDSA-256-with-P-256 curve, the only one Intel's QE uses. */
  static final int ATT_KEY_TYPE_ECDSA_P256 = 2;
  static final int TEE_TYPE_SGX = 0x00;
  static final int TEE_TYPE_TDX = 0x81;

  /** Version 5 body types. */
  static final int BODY_TYPE_SGX = 1;
  static final int BODY_TYPE_TD10 = 2;
  static final int BODY_TYPE_TD15 = 3;

  static final int ENCLAVE_REPORT_SIZE = 384;
  static final int CPU_SVN_SIZE = 16;
  static final int ENCLAVE_RESERVED_1 = 0x014;
  static final int ISV_EXT_PROD_ID = 0x020;
  static final int ISV_EXT_PROD_ID_SIZE = 16;
  /** ATTRIBUTES: flags u64 (bit 1 DEBUG, bit 2 MODE64BIT), then XFRM u64. */
  static final int ATTRIBUTES_SIZE = 16;
  static final int ENCLAVE_RESERVED_2 = 0x060;
  static final int MR_SIGNER = 0x080;
  static final int ENCLAVE_RESERVED_3 = 0x0A0;
  static final int CONFIG_ID = 0x0C0;
  static final int CONFIG_ID_SIZE = 64;
  static final int ENCLAVE_RESERVED_4 = 0x106;
  static final int ISV_FAMILY_ID = 0x130;
  static final int ISV_FAMILY_ID_SIZE = 16;
  static final int SHA256_SIZE = 32;
  static final int REPORT_DATA_SIZE = 64;
  static final long SGX_FLAGS_DEBUG = 1L << 1;

  static final int TD10_REPORT_SIZE = 584;
  static final int TD15_REPORT_SIZE = 648;
  static final int TEE_TCB_SVN_SIZE = 16;
  static final int SHA384_SIZE = 48;
  static final int ATTRIBUTES_64_SIZE = 8;
  static final int RTMR_COUNT = 4;
  /** TUD.DEBUG, bit 0 of TD_ATTRIBUTES. */
  static final int TD_ATTRIBUTES_DEBUG = 1;

  static final int ECDSA_SIGNATURE_SIZE = 64;
  static final int ECDSA_KEY_SIZE = 64;
  /** Certification data type 5: the PCK leaf certificate chain as PEM text. */
  static final int CERT_TYPE_PCK_CHAIN = 5;
  /** Certification data type 6 (versions 4 and 5): the QE report certification data. */
  static final int CERT_TYPE_QE_REPORT = 6;
  /** Intel defines certification data types 1 to 7; the others are PPID or manifest forms. */
  static final int CERT_TYPE_MAX_DEFINED = 7;
}
