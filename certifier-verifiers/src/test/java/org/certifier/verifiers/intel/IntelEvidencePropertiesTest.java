package org.certifier.verifiers.intel;

import static org.certifier.verifiers.intel.IntelPackages.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.certifier.evidence.EvidenceVerifier;
import org.certifier.evidence.VerificationException;
import org.certifier.evidence.VerifiedEvidence;
import org.certifier.proto.evidence_package;
import org.certifier.testing.intel.FakeIntelBundle;
import org.certifier.testing.intel.FakeIntelDcap;
import org.certifier.verifiers.collateral.BundleDirectory;
import org.certifier.verifiers.dcap.IntelRoots;

/**
 * No single flipped bit of an evidence item makes either verifier accept other claims: each
 * mutant is refused with a {@link VerificationException} (never another exception) or, where
 * the bit is one nothing reads, gives exactly the statements of the original.
 */
class IntelEvidencePropertiesTest {
  private static Path bundle;
  private static FakeIntelDcap dcap;
  private static TdxEvidenceVerifier tdx;
  private static GramineEvidenceVerifier gramine;
  private static evidence_package validTdx;
  private static evidence_package validGramine;

  @BeforeContainer
  static void fakeIntel() throws Exception {
    dcap = FakeIntelDcap.create();
    bundle = FakeIntelBundle.write(Files.createTempDirectory("intel-bundle"), dcap);
    BundleDirectory collateral = new BundleDirectory(bundle);
    IntelRoots roots = IntelRoots.insecureForTesting(dcap.rootCa());
    tdx = new TdxEvidenceVerifier(roots, collateral);
    gramine = new GramineEvidenceVerifier(roots, collateral);
    validTdx = IntelPackages.validTdx(dcap, dcap.filler("MRTD", 48));
    validGramine = IntelPackages.validGramine(dcap, dcap.filler("MRENCLAVE", 32));
  }

  @AfterContainer
  static void removeBundle() throws Exception {
    try (var files = Files.walk(bundle)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Property(tries = 150)
  void aFlippedTdxBitNeverChangesWhatIsProved(@ForAll @IntRange(min = 0, max = 1 << 20) int at)
      throws Exception {
    flipAndCheck(tdx, validTdx, 0, at);
  }

  @Property(tries = 150)
  void aFlippedGramineBitNeverChangesWhatIsProved(@ForAll @IntRange(min = 0, max = 1 << 20)
      int at, @ForAll @IntRange(min = 0, max = 1) int itemIndex) throws Exception {
    flipAndCheck(gramine, validGramine, itemIndex, at);
  }

  private static void flipAndCheck(EvidenceVerifier verifier, evidence_package valid,
      int itemIndex, int at) throws Exception {
    byte[] item = valid.getFactAssertion(itemIndex).getSerializedEvidence().toByteArray();
    int bit = at % (item.length * 8);
    item[bit / 8] ^= (byte) (1 << (bit % 8));
    evidence_package mutant = valid.toBuilder().setFactAssertion(itemIndex,
        valid.getFactAssertion(itemIndex).toBuilder()
            .setSerializedEvidence(ByteString.copyFrom(item))).build();
    VerifiedEvidence original = verifier.verify(valid, NOW);
    try {
      VerifiedEvidence accepted = verifier.verify(mutant, NOW);
      assertEquals(original.statements(), accepted.statements());
    } catch (VerificationException refused) {
      // Refused: the expected outcome for almost every bit.
    }
  }
}
