package org.certifier.verifiers.sevsnp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;

/**
 * The verifier on mutated evidence: every change to the real report or VCEK is refused, and
 * only ever with a {@link VerificationException} of the bad-evidence category.
 */
class SnpVerifierPropertiesTest {
  private static final SnpVerifier VERIFIER = new SnpVerifier(AmdRoots.embedded());

  @Property(tries = 300)
  void mutatedVceksAreRefusedCleanly(
      @ForAll @Size(min = 1, max = 4) List<@IntRange(max = 1359) Integer> offsets,
      @ForAll @IntRange(min = 1, max = 255) int mask) {
    byte[] vcek = SnpVectors.goSevGuestVcek();
    for (int offset : offsets) {
      vcek[offset % vcek.length] ^= (byte) mask;
    }
    assertRefusedIfChanged(SnpVectors.goSevGuestReport(), vcek);
  }

  @Property(tries = 300)
  void mutatedReportsAreRefusedCleanly(
      @ForAll @Size(min = 1, max = 4) List<@IntRange(max = SnpLayout.REPORT_SIZE - 1) Integer>
          offsets,
      @ForAll @IntRange(min = 1, max = 255) int mask) {
    byte[] report = SnpVectors.goSevGuestReport();
    for (int offset : offsets) {
      report[offset] ^= (byte) mask;
    }
    assertRefusedIfChanged(report, SnpVectors.goSevGuestVcek());
  }

  /** Mutations at the same offset may cancel out; any real change must be refused. */
  private static void assertRefusedIfChanged(byte[] report, byte[] vcek) {
    boolean changed = !Arrays.equals(report, SnpVectors.goSevGuestReport())
        || !Arrays.equals(vcek, SnpVectors.goSevGuestVcek());
    try {
      VERIFIER.verify(report, vcek, SnpVectors.MILAN_TIME);
      assertFalse(changed, "changed evidence verified");
    } catch (VerificationException e) {
      assertTrue(changed, "unchanged evidence refused: " + e);
      assertEquals(Failure.Category.BAD_EVIDENCE, e.failure().category(), e.getMessage());
    }
  }
}
