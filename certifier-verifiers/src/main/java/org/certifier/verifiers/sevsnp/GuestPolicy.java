package org.certifier.verifiers.sevsnp;

import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;

/**
 * The guest policy the hypervisor fixed at launch and the firmware enforces and reports (ABI
 * spec 56860, §4.3 "Guest Policy"), with AMD's bit meanings. The reference Go service read
 * bits 17 to 19 as if they were migrate, debug and single-socket (reference-certifier.md §6.1);
 * this record reads them as the ABI defines them.
 *
 * @param abiMinor bits 7:0, the lowest ABI minor version the guest accepts
 * @param abiMajor bits 15:8, the lowest ABI major version the guest accepts
 * @param smtAllowed bit 16, the guest may run on a host with simultaneous multithreading
 * @param migrateMaAllowed bit 18, the guest may be associated with a migration agent
 * @param debugAllowed bit 19, the host may decrypt and alter guest memory with the debug
 *     commands: a guest with this bit set has no confidentiality from its host
 * @param singleSocket bit 20, the guest may be activated on one socket only
 * @param cxlAllowed bit 21, CXL devices or memory may be attached
 * @param memAes256Xts bit 22, memory encryption must use AES-256-XTS
 * @param raplDisabled bit 23, running average power limit (RAPL) must be disabled
 * @param ciphertextHidingDram bit 24, ciphertext hiding for DRAM must be enabled
 * @param pageSwapDisabled bit 25, the guest may not use SNP_PAGE_MOVE, SNP_SWAP_OUT/IN
 */
public record GuestPolicy(
    int abiMinor,
    int abiMajor,
    boolean smtAllowed,
    boolean migrateMaAllowed,
    boolean debugAllowed,
    boolean singleSocket,
    boolean cxlAllowed,
    boolean memAes256Xts,
    boolean raplDisabled,
    boolean ciphertextHidingDram,
    boolean pageSwapDisabled) {

  private static final int SMT = 16;
  // Bit 17 is reserved and must be one: the firmware refuses a launch without it.
  private static final int RESERVED_MUST_BE_ONE = 17;
  private static final int MIGRATE_MA = 18;
  private static final int DEBUG = 19;
  private static final int SINGLE_SOCKET = 20;
  private static final int CXL_ALLOW = 21;
  private static final int MEM_AES_256_XTS = 22;
  private static final int RAPL_DIS = 23;
  private static final int CIPHERTEXT_HIDING_DRAM = 24;
  private static final int PAGE_SWAP_DISABLE = 25;
  // Bits 63:26 are reserved and must be zero (as of ABI spec revision 1.58).
  private static final long RESERVED_MUST_BE_ZERO = -1L << 26;

  public GuestPolicy {
    if (abiMinor < 0 || abiMinor > 0xff || abiMajor < 0 || abiMajor > 0xff) {
      throw new IllegalArgumentException("ABI versions are bytes");
    }
  }

  /**
   * Decodes the 64-bit POLICY field.
   *
   * @throws VerificationException {@link Failure#MALFORMED_EVIDENCE} if bit 17 is clear or a
   *     reserved bit is set: no firmware issues such a policy
   */
  public static GuestPolicy decode(long raw) throws VerificationException {
    if (!bit(raw, RESERVED_MUST_BE_ONE)) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE, String.format(
          "guest policy 0x%x: reserved bit 17 must be one", raw));
    }
    if ((raw & RESERVED_MUST_BE_ZERO) != 0) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE, String.format(
          "guest policy 0x%x: reserved bits 63:26 must be zero", raw));
    }
    return new GuestPolicy(
        (int) (raw & 0xff),
        (int) ((raw >>> 8) & 0xff),
        bit(raw, SMT),
        bit(raw, MIGRATE_MA),
        bit(raw, DEBUG),
        bit(raw, SINGLE_SOCKET),
        bit(raw, CXL_ALLOW),
        bit(raw, MEM_AES_256_XTS),
        bit(raw, RAPL_DIS),
        bit(raw, CIPHERTEXT_HIDING_DRAM),
        bit(raw, PAGE_SWAP_DISABLE));
  }

  /** The 64-bit POLICY value, reserved bit 17 included. */
  public long raw() {
    return abiMinor
        | (long) abiMajor << 8
        | flag(smtAllowed, SMT)
        | flag(true, RESERVED_MUST_BE_ONE)
        | flag(migrateMaAllowed, MIGRATE_MA)
        | flag(debugAllowed, DEBUG)
        | flag(singleSocket, SINGLE_SOCKET)
        | flag(cxlAllowed, CXL_ALLOW)
        | flag(memAes256Xts, MEM_AES_256_XTS)
        | flag(raplDisabled, RAPL_DIS)
        | flag(ciphertextHidingDram, CIPHERTEXT_HIDING_DRAM)
        | flag(pageSwapDisabled, PAGE_SWAP_DISABLE);
  }

  private static boolean bit(long raw, int index) {
    return (raw & (1L << index)) != 0;
  }

  private static long flag(boolean set, int index) {
    return set ? 1L << index : 0;
  }
}
