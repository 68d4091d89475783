package org.certifier.service.revocation;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.certifier.service.DomainKeys;
import org.certifier.service.issue.CrlFactory;
import org.certifier.service.store.PublishedCrl;
import org.certifier.service.store.Revocation;
import org.certifier.service.store.ServiceStore;
import org.certifier.service.store.StoreException;

/**
 * Keeps the domain's CRL current. The CRL lists every certificate revoked by serial and every
 * certificate the issuance log holds for a revoked measurement. It is published in the store,
 * so all replicas serve the same bytes: a replica asked for the CRL serves the newest published
 * one unless it no longer lists what the store's revocations imply or half its validity has
 * passed; then it signs the next CRL number and publishes it. Two replicas racing for the same
 * number end up serving the one that was stored first.
 */
public final class CrlPublisher {
  /** The default time from thisUpdate to nextUpdate. */
  public static final Duration DEFAULT_VALIDITY = Duration.ofHours(1);
  /** Racing replicas converge within a few rounds; more means something else is wrong. */
  private static final int ATTEMPTS = 5;

  private final ServiceStore store;
  private final DomainKeys keys;
  private final Clock clock;
  private final Duration validity;

  public CrlPublisher(ServiceStore store, DomainKeys keys, Clock clock, Duration validity) {
    if (validity.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new IllegalArgumentException("a CRL is valid for at least a minute");
    }
    this.store = store;
    this.keys = keys;
    this.clock = clock;
    this.validity = validity;
  }

  public Duration validity() {
    return validity;
  }

  /** The CRL to serve now, signing and publishing a new one if the newest is out of date. */
  public synchronized PublishedCrl current() throws IOException {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      List<CrlFactory.Entry> entries = entries();
      String digest = digest(entries);
      Optional<PublishedCrl> latest = store.latestCrl();
      Instant now = clock.instant();
      if (latest.isPresent() && isCurrent(latest.get(), digest, now)) {
        return latest.get();
      }
      BigInteger number = latest.map(c -> c.number().add(BigInteger.ONE))
          .orElse(BigInteger.ONE);
      PublishedCrl next = sign(number, entries, digest, now);
      if (store.publishCrl(next)) {
        return next;
      }
    }
    throw new StoreException("could not publish a CRL in " + ATTEMPTS + " attempts: other"
        + " replicas keep publishing different ones (are their clocks or stores apart?)");
  }

  private boolean isCurrent(PublishedCrl crl, String digest, Instant now) {
    Duration half = Duration.between(crl.thisUpdate(), crl.nextUpdate()).dividedBy(2);
    return crl.entriesSha256().equals(digest) && now.isBefore(crl.thisUpdate().plus(half));
  }

  private PublishedCrl sign(BigInteger number, List<CrlFactory.Entry> entries, String digest,
      Instant now) throws StoreException {
    // Whole seconds: the CRL's times are encoded to the second, and the stored ones must match.
    Instant thisUpdate = now.truncatedTo(ChronoUnit.SECONDS);
    Instant nextUpdate = thisUpdate.plus(validity);
    try {
      byte[] der = CrlFactory.crl(keys.privateKey(), keys.certificate(), number, thisUpdate,
          nextUpdate, entries).getEncoded();
      return new PublishedCrl(number, der, digest, thisUpdate, nextUpdate);
    } catch (GeneralSecurityException e) {
      throw new StoreException("cannot sign the CRL: " + e.getMessage(), e);
    }
  }

  /**
   * What the CRL must list, by serial: each serial revocation, and each certificate issued to a
   * revoked measurement; a certificate revoked both ways is listed once, with the earlier
   * revocation.
   */
  List<CrlFactory.Entry> entries() throws IOException {
    Map<BigInteger, CrlFactory.Entry> bySerial = new TreeMap<>();
    for (Revocation r : store.revocations()) {
      List<BigInteger> serials = r.serial().isPresent() ? List.of(r.serial().get())
          : store.serialsIssuedTo(r.measurement().orElseThrow());
      for (BigInteger serial : serials) {
        CrlFactory.Entry entry = new CrlFactory.Entry(serial, r.revokedAt(),
            RevocationReason.crlReasonCode(r.reason()));
        bySerial.merge(serial, entry,
            (a, b) -> a.revokedAt().isAfter(b.revokedAt()) ? b : a);
      }
    }
    return new ArrayList<>(bySerial.values());
  }

  /** SHA-256 over "serial,revokedAt millis,reason code" lines, in serial order. */
  private static String digest(List<CrlFactory.Entry> entries) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      for (CrlFactory.Entry e : entries) {
        String line = e.serial() + "," + e.revokedAt().toEpochMilli() + ","
            + (e.reasonCode().isPresent() ? e.reasonCode().getAsInt() : "") + "\n";
        sha256.update(line.getBytes(StandardCharsets.US_ASCII));
      }
      return HexFormat.of().formatHex(sha256.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
