package org.certifier.client.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.Arrays;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.testing.pki.DomainPki;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** CRL bytes are untrusted: truncated, padded or altered lists never verify. */
class CrlParsingTest {
  private static final DomainPki DOMAIN;
  private static final byte[] GOOD;

  static {
    try {
      DOMAIN = DomainPki.create("parsing");
      GOOD = DOMAIN.crl().number(300).revoke(BigInteger.TEN).build();
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @Test
  void theGoodListParses() throws Exception {
    Crl crl = Crl.parse(GOOD, DOMAIN.policyCert());
    assertEquals(BigInteger.valueOf(300), crl.number());
    assertEquals(1, crl.size());
  }

  @Test
  void everyTruncationIsMalformed() {
    for (int length = 0; length < GOOD.length; length++) {
      byte[] cut = Arrays.copyOf(GOOD, length);
      assertEquals(Failure.MALFORMED_EVIDENCE, assertThrows(VerificationException.class,
          () -> Crl.parse(cut, DOMAIN.policyCert()), "length " + length).failure());
    }
  }

  @Test
  void trailingBytesAndPemTextAreMalformed() {
    byte[] padded = Arrays.copyOf(GOOD, GOOD.length + 1);
    assertEquals(Failure.MALFORMED_EVIDENCE, assertThrows(VerificationException.class,
        () -> Crl.parse(padded, DOMAIN.policyCert())).failure());
    byte[] pem = ("-----BEGIN X509 CRL-----\n"
        + java.util.Base64.getMimeEncoder().encodeToString(GOOD) + "\n-----END X509 CRL-----\n")
        .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertEquals(Failure.MALFORMED_EVIDENCE, assertThrows(VerificationException.class,
        () -> Crl.parse(pem, DOMAIN.policyCert())).failure());
  }

  @Test
  void anOversizedListIsRefusedBeforeParsing() {
    assertEquals(Failure.MALFORMED_EVIDENCE, assertThrows(VerificationException.class,
        () -> Crl.parse(new byte[Crl.MAX_BYTES + 1], DOMAIN.policyCert())).failure());
  }

  @Property(tries = 300)
  void noAlteredByteVerifies(@ForAll @IntRange(min = 0, max = 100_000) int position,
      @ForAll @IntRange(min = 1, max = 255) int mask) {
    byte[] bad = GOOD.clone();
    bad[position % bad.length] ^= (byte) mask;
    assertThrows(VerificationException.class, () -> Crl.parse(bad, DOMAIN.policyCert()));
  }
}
