package org.certifier.service.store;

import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;

/**
 * A CRL as the store keeps it once published: the signed DER exactly as served, and what a
 * replica needs to decide whether it is still current without parsing it.
 *
 * @param number the CRL number (RFC 5280 section 5.2.3), unique in the store and growing
 * @param entriesSha256 SHA-256 of the revoked entries the CRL lists, lowercase hex: when the
 *     store's revocations no longer produce this digest, the CRL is out of date
 */
public record PublishedCrl(BigInteger number, byte[] der, String entriesSha256,
    Instant thisUpdate, Instant nextUpdate) {

  public PublishedCrl {
    Hex.requireSerial(number);
    der = der.clone();
    Hex.requireSha256(entriesSha256, "CRL entries digest");
    thisUpdate = thisUpdate.truncatedTo(ChronoUnit.MILLIS);
    nextUpdate = nextUpdate.truncatedTo(ChronoUnit.MILLIS);
    if (!nextUpdate.isAfter(thisUpdate)) {
      throw new IllegalArgumentException("a CRL's nextUpdate follows its thisUpdate");
    }
  }

  @Override
  public byte[] der() {
    return der.clone();
  }

  /** Equal when every field is, the DER compared byte by byte. */
  @Override
  public boolean equals(Object o) {
    return o instanceof PublishedCrl other && number.equals(other.number)
        && Arrays.equals(der, other.der) && entriesSha256.equals(other.entriesSha256)
        && thisUpdate.equals(other.thisUpdate) && nextUpdate.equals(other.nextUpdate);
  }

  @Override
  public int hashCode() {
    return number.hashCode() * 31 + Arrays.hashCode(der);
  }

  @Override
  public String toString() {
    return "PublishedCrl[number " + number + ", " + thisUpdate + " .. " + nextUpdate + "]";
  }
}
