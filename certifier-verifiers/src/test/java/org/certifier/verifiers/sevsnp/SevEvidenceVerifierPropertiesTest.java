package org.certifier.verifiers.sevsnp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.proto.evidence_package;
import org.certifier.testing.amd.FakeAmdSp;

/**
 * Any change to any byte of a valid package is refused, and only ever with a
 * {@link VerificationException} of the bad-evidence category: never an unchecked exception, never
 * acceptance.
 */
class SevEvidenceVerifierPropertiesTest {
  private static final FakeAmdSp SP = FakeAmdSp.milan();
  private static final SevEvidenceVerifier VERIFIER =
      new SevEvidenceVerifier(FakeAmdRoots.of(SP));
  private static final evidence_package VALID = valid();

  @Property(tries = 300)
  void mutatedPackagesAreRefusedCleanly(
      @ForAll @IntRange(max = 3) int item,
      @ForAll @Size(min = 1, max = 4) List<@IntRange(max = 4095) Integer> offsets,
      @ForAll @IntRange(min = 1, max = 255) int mask) {
    byte[] bytes = VALID.getFactAssertion(item).getSerializedEvidence().toByteArray();
    for (int offset : offsets) {
      bytes[offset % bytes.length] ^= (byte) mask;
    }
    evidence_package mutated = VALID.toBuilder().setFactAssertion(item,
        SevPackages.item(VALID.getFactAssertion(item).getEvidenceType(), bytes)).build();
    boolean changed = !mutated.equals(VALID);
    try {
      VERIFIER.verify(mutated, FakeAmdSp.TIME);
      assertFalse(changed, "changed evidence verified");
    } catch (VerificationException e) {
      assertTrue(changed, "unchanged evidence refused: " + e);
      assertEquals(Failure.Category.BAD_EVIDENCE, e.failure().category(), e.getMessage());
    }
  }

  private static evidence_package valid() {
    try {
      return SevPackages.valid(SP);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
