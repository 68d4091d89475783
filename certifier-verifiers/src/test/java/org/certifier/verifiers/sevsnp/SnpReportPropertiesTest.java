package org.certifier.verifiers.sevsnp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;

/**
 * The parser on hostile input: random bytes, truncations and mutations of real reports may be
 * refused, but only ever with a {@link VerificationException}.
 */
class SnpReportPropertiesTest {
  @Property
  void randomBytesAreRefusedCleanly(@ForAll @Size(max = 0x600) byte[] bytes) {
    parse(bytes);
  }

  @Property
  void randomReportsOfTheRightSizeAndVersionAreRefusedCleanly(
      @ForAll @Size(value = SnpLayout.REPORT_SIZE) byte[] bytes,
      @ForAll("versions") int version, @ForAll long policy) {
    byte[] report = ReportBytes.of(bytes).u32(SnpLayout.VERSION, version)
        .u64(SnpLayout.POLICY, policy | 1L << 17).bytes();
    parse(report);
  }

  @Property
  void truncatedReportsAreMalformed(@ForAll("reports") byte[] report,
      @ForAll @IntRange(max = SnpLayout.REPORT_SIZE - 1) int length) {
    try {
      SnpReport.parse(Arrays.copyOf(report, length));
      throw new AssertionError("a truncated report parsed");
    } catch (VerificationException e) {
      assertEquals(Failure.MALFORMED_EVIDENCE, e.failure());
    }
  }

  @Property
  void mutatedReportsAreReadOrRefusedCleanly(@ForAll("reports") byte[] report,
      @ForAll @Size(min = 1, max = 8) List<@IntRange(max = SnpLayout.REPORT_SIZE - 1) Integer>
          offsets,
      @ForAll byte value) {
    byte[] mutated = report.clone();
    for (int offset : offsets) {
      mutated[offset] ^= value;
    }
    parse(mutated);
  }

  @Property
  void tcbVersionsRoundTrip(@ForAll long raw, @ForAll TcbVersion.Layout layout) {
    try {
      assertEquals(raw, TcbVersion.decode(raw, layout).raw());
    } catch (VerificationException e) {
      assertEquals(Failure.MALFORMED_EVIDENCE, e.failure());
    }
  }

  @Property
  void guestPoliciesRoundTrip(@ForAll @IntRange(max = (1 << 26) - 1) int bits) throws Exception {
    long raw = bits | 1L << 17;
    assertEquals(raw, GuestPolicy.decode(raw).raw());
  }

  @Provide
  Arbitrary<Integer> versions() {
    return Arbitraries.of(2, 3, 5);
  }

  @Provide
  Arbitrary<byte[]> reports() {
    return Arbitraries.of(SnpReportTest.minimalReport(), SnpVectors.goSevGuestReport(),
        SnpVectors.virteeReport(),
        ReportBytes.of(SnpReportTest.minimalReport()).version(5, 0x1A, 2, 0).bytes());
  }

  private static void parse(byte[] bytes) {
    try {
      SnpReport report = SnpReport.parse(bytes);
      assertEquals(ByteString.copyFrom(bytes, 0, SnpLayout.SIGNATURE), report.signedBytes());
    } catch (VerificationException e) {
      assertEquals(Failure.MALFORMED_EVIDENCE, e.failure());
    }
  }
}
