package org.certifier.verifiers.sevsnp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.junit.jupiter.api.Test;

/** Guest policy bits with AMD's meanings (ABI spec 56860, §4.3), not the reference's. */
class GuestPolicyTest {
  @Test
  void eachBitMeansWhatTheAbiSays() throws Exception {
    assertEquals(new GuestPolicy(0, 0, false, false, false, false, false, false, false, false,
        false), GuestPolicy.decode(1L << 17));
    assertTrue(GuestPolicy.decode(1L << 17 | 1L << 16).smtAllowed());
    assertTrue(GuestPolicy.decode(1L << 17 | 1L << 18).migrateMaAllowed());
    assertTrue(GuestPolicy.decode(1L << 17 | 1L << 19).debugAllowed());
    assertTrue(GuestPolicy.decode(1L << 17 | 1L << 20).singleSocket());
    assertTrue(GuestPolicy.decode(1L << 17 | 1L << 21).cxlAllowed());
    assertTrue(GuestPolicy.decode(1L << 17 | 1L << 22).memAes256Xts());
    assertTrue(GuestPolicy.decode(1L << 17 | 1L << 23).raplDisabled());
    assertTrue(GuestPolicy.decode(1L << 17 | 1L << 24).ciphertextHidingDram());
    assertTrue(GuestPolicy.decode(1L << 17 | 1L << 25).pageSwapDisabled());
    GuestPolicy abi = GuestPolicy.decode(1L << 17 | 0x0137);
    assertEquals(1, abi.abiMajor());
    assertEquals(0x37, abi.abiMinor());
  }

  @Test
  void theReferencesMisreadBitsAreReadCorrectly() throws Exception {
    // Go's "single-socket" was bit 19 and "debug" bit 18; a real 0x30000 guest is neither
    // debuggable nor migratable, and 0x80000 (bit 19) is DEBUG.
    GuestPolicy real = GuestPolicy.decode(0x30000);
    assertFalse(real.debugAllowed());
    assertFalse(real.migrateMaAllowed());
    assertFalse(real.singleSocket());
    GuestPolicy debug = GuestPolicy.decode(0x30000 | 0x80000);
    assertTrue(debug.debugAllowed());
    assertFalse(debug.singleSocket());
  }

  @Test
  void policiesNoFirmwareIssuesAreRefused() {
    for (long raw : new long[] {0, 0x10000, 0x20000 | 1L << 26, 0x20000 | Long.MIN_VALUE}) {
      VerificationException e = assertThrows(VerificationException.class,
          () -> GuestPolicy.decode(raw));
      assertEquals(Failure.MALFORMED_EVIDENCE, e.failure());
    }
  }
}
