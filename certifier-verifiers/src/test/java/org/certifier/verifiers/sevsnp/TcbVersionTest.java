package org.certifier.verifiers.sevsnp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.OptionalInt;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.junit.jupiter.api.Test;

/** The two TCB_VERSION layouts (ABI spec 56860, §2.2). */
class TcbVersionTest {
  @Test
  void milanGenoaLayout() throws Exception {
    TcbVersion tcb = TcbVersion.decode(0x4405000000000002L, TcbVersion.Layout.MILAN_GENOA);

    assertEquals(2, tcb.bootloader());
    assertEquals(0, tcb.tee());
    assertEquals(5, tcb.snp());
    assertEquals(68, tcb.microcode());
    assertEquals(OptionalInt.empty(), tcb.fmc());
    assertEquals("bl2/tee0/snp5/uc68", tcb.toString());
  }

  @Test
  void turinLayoutHasAnFmcAndAnotherByteOrder() throws Exception {
    TcbVersion tcb = TcbVersion.decode(0xd200000004030201L, TcbVersion.Layout.TURIN);

    assertEquals(OptionalInt.of(1), tcb.fmc());
    assertEquals(2, tcb.bootloader());
    assertEquals(3, tcb.tee());
    assertEquals(4, tcb.snp());
    assertEquals(0xd2, tcb.microcode());
    assertEquals(0xd200000004030201L, tcb.raw());
  }

  @Test
  void reservedBytesAreRefusedInEitherLayout() {
    long[][] cases = {
        {0x0000000100000000L, 0}, {0x0000000000010000L, 0}, {0x0000010000000000L, 0},
        {0x0000000100000000L, 1}, {0x0001000000000000L, 1}, {0x0000010000000000L, 1}};
    for (long[] c : cases) {
      TcbVersion.Layout layout = TcbVersion.Layout.values()[(int) c[1]];
      VerificationException e = assertThrows(VerificationException.class,
          () -> TcbVersion.decode(c[0], layout));
      assertEquals(Failure.MALFORMED_EVIDENCE, e.failure());
    }
  }

  @Test
  void theRecordRefusesImpossibleValues() {
    assertThrows(IllegalArgumentException.class, () -> TcbVersion.milanGenoa(256, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> TcbVersion.turin(-1, 0, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new TcbVersion(
        TcbVersion.Layout.MILAN_GENOA, 0, 0, 0, 0, OptionalInt.of(0)));
    assertThrows(IllegalArgumentException.class, () -> new TcbVersion(
        TcbVersion.Layout.TURIN, 0, 0, 0, 0, OptionalInt.empty()));
  }
}
