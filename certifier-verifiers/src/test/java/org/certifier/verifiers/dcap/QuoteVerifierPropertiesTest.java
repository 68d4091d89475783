package org.certifier.verifiers.dcap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;

/**
 * The parser and verifier on hostile input: mutated, cut and random quotes are refused only
 * ever with a {@link VerificationException} of the bad-evidence category, and a mutation that
 * still verifies (PEM whitespace is not signed) changes nothing a verified quote says.
 */
class QuoteVerifierPropertiesTest {
  private static final QuoteVerifier VERIFIER = new QuoteVerifier(IntelRoots.embedded());
  private static final Map<DcapVectors, byte[]> QUOTES = new EnumMap<>(DcapVectors.class);
  private static final Map<DcapVectors, VerifiedQuote> VERIFIED =
      new EnumMap<>(DcapVectors.class);

  @Property(tries = 400)
  void mutatedQuotesAreRefusedOrSayTheSame(@ForAll DcapVectors vector,
      @ForAll @Size(min = 1, max = 4) List<@IntRange(max = 100_000) Integer> offsets,
      @ForAll @IntRange(min = 1, max = 255) int mask) {
    byte[] quote = quote(vector);
    for (int offset : offsets) {
      quote[offset % quote.length] ^= (byte) mask;
    }
    verify(vector, quote);
  }

  @Property(tries = 300)
  void cutQuotesAreMalformed(@ForAll DcapVectors vector,
      @ForAll @IntRange(max = 100_000) int length) throws Exception {
    byte[] quote = quote(vector);
    int cut = length % new QuoteBytes(quote).end();
    try {
      VERIFIER.verify(Arrays.copyOf(quote, cut), vector.time);
      throw new AssertionError("a quote cut to " + cut + " bytes verified");
    } catch (VerificationException e) {
      assertEquals(Failure.MALFORMED_EVIDENCE, e.failure(), e.getMessage());
    }
  }

  @Property(tries = 300)
  void quotesWithBytesAppendedAreRefusedOrSayTheSame(@ForAll DcapVectors vector,
      @ForAll @Size(min = 1, max = 64) byte[] tail) {
    byte[] quote = quote(vector);
    byte[] longer = Arrays.copyOf(quote, quote.length + tail.length);
    System.arraycopy(tail, 0, longer, quote.length, tail.length);
    verify(vector, longer);
  }

  @Property(tries = 300)
  void randomBytesAreRefusedCleanly(@ForAll @Size(max = 6000) byte[] bytes,
      @ForAll @IntRange(min = 3, max = 5) int version, @ForAll boolean tdx) {
    if (bytes.length >= 8) {
      // A plausible header, so that the bytes get past the first checks.
      bytes[0] = (byte) version;
      bytes[1] = 0;
      bytes[2] = 2;
      bytes[3] = 0;
      bytes[4] = (byte) (tdx ? 0x81 : 0);
      bytes[5] = bytes[6] = bytes[7] = 0;
    }
    try {
      VERIFIER.verify(bytes, DcapVectors.SGX_V3.time);
      throw new AssertionError("random bytes verified");
    } catch (VerificationException e) {
      assertEquals(Failure.Category.BAD_EVIDENCE, e.failure().category(), e.getMessage());
    }
  }

  private static void verify(DcapVectors vector, byte[] quote) {
    VerifiedQuote verified;
    try {
      verified = VERIFIER.verify(quote, vector.time);
    } catch (VerificationException e) {
      assertEquals(Failure.Category.BAD_EVIDENCE, e.failure().category(), e.getMessage());
      return;
    }
    VerifiedQuote original = verified(vector);
    assertEquals(original.header(), verified.header());
    assertEquals(original.body(), verified.body());
    assertEquals(original.qeReport(), verified.qeReport());
    assertEquals(original.quote().attestationKey(), verified.quote().attestationKey());
    assertEquals(original.pckChain(), verified.pckChain());
    assertEquals(original.pckExtensions(), verified.pckExtensions());
  }

  private static synchronized byte[] quote(DcapVectors vector) {
    return QUOTES.computeIfAbsent(vector, DcapVectors::bytes).clone();
  }

  private static synchronized VerifiedQuote verified(DcapVectors vector) {
    return VERIFIED.computeIfAbsent(vector, v -> {
      try {
        return VERIFIER.verify(quote(v), v.time);
      } catch (VerificationException e) {
        throw new AssertionError(e);
      }
    });
  }
}
