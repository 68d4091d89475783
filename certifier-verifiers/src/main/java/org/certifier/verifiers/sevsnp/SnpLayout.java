package org.certifier.verifiers.sevsnp;

import com.google.protobuf.ByteString;
import java.util.Objects;

/**
 * Offsets and sizes of the ATTESTATION_REPORT structure, named after its fields: SEV Secure
 * Nested Paging Firmware ABI Specification (AMD publication 56860), §7.3 "Attestation", table
 * "ATTESTATION_REPORT Structure" (Table 22 in revision 1.55, Table 23 from revision 1.57 on).
 * All integers are little-endian. Layout only: nothing here decides whether to trust a report.
 */
final class SnpLayout {
  private SnpLayout() {}

  /** Refuses a field value whose length differs from the layout's (a programming error). */
  static void checkSize(String name, ByteString value, int size) {
    Objects.requireNonNull(value, name);
    if (value.size() != size) {
      throw new IllegalArgumentException(name + " is " + value.size() + " bytes, not " + size);
    }
  }

  /** The whole report; the same for versions 2 to 5. */
  static final int REPORT_SIZE = 0x4A0;

  static final int VERSION = 0x000; // u32
  static final int GUEST_SVN = 0x004; // u32
  static final int POLICY = 0x008; // u64
  static final int FAMILY_ID = 0x010;
  static final int FAMILY_ID_SIZE = 16;
  static final int IMAGE_ID = 0x020;
  static final int IMAGE_ID_SIZE = 16;
  static final int VMPL = 0x030; // u32
  static final int SIGNATURE_ALGO = 0x034; // u32
  static final int CURRENT_TCB = 0x038; // TCB_VERSION
  static final int PLATFORM_INFO = 0x040; // u64
  /** Bit 0 AUTHOR_KEY_EN, bit 1 MASK_CHIP_KEY, bits 4:2 SIGNING_KEY, bits 31:5 reserved. */
  static final int KEY_INFO = 0x048; // u32
  static final int RESERVED_1 = 0x04C;
  static final int REPORT_DATA = 0x050;
  static final int REPORT_DATA_SIZE = 64;
  static final int MEASUREMENT = 0x090;
  static final int MEASUREMENT_SIZE = 48;
  static final int HOST_DATA = 0x0C0;
  static final int HOST_DATA_SIZE = 32;
  static final int ID_KEY_DIGEST = 0x0E0;
  static final int ID_KEY_DIGEST_SIZE = 48;
  static final int AUTHOR_KEY_DIGEST = 0x110;
  static final int AUTHOR_KEY_DIGEST_SIZE = 48;
  static final int REPORT_ID = 0x140;
  static final int REPORT_ID_SIZE = 32;
  static final int REPORT_ID_MA = 0x160;
  static final int REPORT_ID_MA_SIZE = 32;
  static final int REPORTED_TCB = 0x180; // TCB_VERSION
  /** Version 3 on: CPUID_FAM_ID, CPUID_MOD_ID, CPUID_STEP; reserved in version 2. */
  static final int CPUID_FAM_ID = 0x188;
  static final int CPUID_MOD_ID = 0x189;
  static final int CPUID_STEP = 0x18A;
  static final int RESERVED_2 = 0x18B; // up to CHIP_ID; from 0x188 in version 2
  static final int CHIP_ID = 0x1A0;
  static final int CHIP_ID_SIZE = 64;
  static final int COMMITTED_TCB = 0x1E0; // TCB_VERSION
  static final int CURRENT_BUILD = 0x1E8;
  static final int CURRENT_MINOR = 0x1E9;
  static final int CURRENT_MAJOR = 0x1EA;
  static final int RESERVED_3 = 0x1EB;
  static final int COMMITTED_BUILD = 0x1EC;
  static final int COMMITTED_MINOR = 0x1ED;
  static final int COMMITTED_MAJOR = 0x1EE;
  static final int RESERVED_4 = 0x1EF;
  static final int LAUNCH_TCB = 0x1F0; // TCB_VERSION
  /** Version 5 on: LAUNCH_MIT_VECTOR and CURRENT_MIT_VECTOR; reserved before. */
  static final int LAUNCH_MIT_VECTOR = 0x1F8; // u64
  static final int CURRENT_MIT_VECTOR = 0x200; // u64
  static final int RESERVED_5 = 0x208; // up to SIGNATURE; from 0x1F8 before version 5
  /** The signature covers bytes 0x000 to 0x29F. */
  static final int SIGNATURE = 0x2A0;

  /**
   * ECDSA P-384 with SHA-384 signature format (ABI spec 56860, chapter 10, "ECDSA Signature"
   * table): R and S zero-extended to 72 bytes each, little-endian, then reserved bytes.
   */
  static final int SIGNATURE_R = SIGNATURE;
  static final int SIGNATURE_S = SIGNATURE + 0x48;
  static final int ECDSA_COMPONENT_SIZE = 72;
  static final int SIGNATURE_RESERVED = SIGNATURE + 0x90; // up to REPORT_SIZE

  /** SIGNATURE_ALGO value of ECDSA P-384 with SHA-384, the only one the ABI defines. */
  static final int SIGNATURE_ALGO_ECDSA_P384_SHA384 = 1;

  static final int KEY_INFO_AUTHOR_KEY_EN = 1;
  static final int KEY_INFO_MASK_CHIP_KEY = 1 << 1;
  static final int KEY_INFO_SIGNING_KEY_SHIFT = 2;
  static final int KEY_INFO_SIGNING_KEY_MASK = 0x7;
  static final int KEY_INFO_RESERVED = -1 << 5;
}
