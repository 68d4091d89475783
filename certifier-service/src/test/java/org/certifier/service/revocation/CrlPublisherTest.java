package org.certifier.service.revocation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CRLReason;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.certifier.crypto.KeyAlgorithm;
import org.certifier.crypto.KeyMessages;
import org.certifier.crypto.Randomness;
import org.certifier.service.DomainKeys;
import org.certifier.service.ReferenceDomain;
import org.certifier.service.issue.CrlFactory;
import org.certifier.service.store.Database;
import org.certifier.service.store.DecisionRecord;
import org.certifier.service.store.IssuedCertificate;
import org.certifier.service.store.JdbcServiceStore;
import org.certifier.service.store.PublishedCrl;
import org.certifier.service.store.Revocation;
import org.certifier.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The domain's CRL as the JDK reads it: signed by the policy key with the admission
 * certificates' algorithm, issued by the policy certificate's subject, numbered, listing what
 * was revoked by serial and by measurement; and kept in the store so replicas serve one CRL.
 */
class CrlPublisherTest {
  private static final String MEASUREMENT =
      "9f2be451d6089d7ae4c72a79b042d993f49de901ddca775c26afd15746fb8154";
  private static final String OTHER = "ab".repeat(32);

  @TempDir
  Path dir;

  private DomainKeys keys;
  private JdbcServiceStore store;
  private JdbcServiceStore replica;
  private final MutableClock clock = new MutableClock(ReferenceDomain.PINNED);
  private KeyPair subjectKey;

  @BeforeEach
  void open() throws Exception {
    keys = ReferenceDomain.keys();
    Database db = Database.embedded(dir);
    store = JdbcServiceStore.open(db, keys.certificate(), 4);
    subjectKey = KeyMessages.generate(KeyAlgorithm.RSA_2048, Randomness.secureRandom());
  }

  @AfterEach
  void close() {
    store.close();
    if (replica != null) {
      replica.close();
    }
  }

  private X509Certificate issue(String measurement) throws Exception {
    BigInteger serial = store.next();
    X509Certificate cert = org.certifier.service.issue.CertificateFactory.admissionCertificate(
        keys.privateKey(), keys.certificate(), subjectKey.getPublic(),
        HexFormat.of().parseHex(measurement), Optional.of(InetAddress.getLoopbackAddress()),
        serial, clock.instant(), clock.instant().plus(Duration.ofDays(30)));
    IssuedCertificate issued = IssuedCertificate.of(cert, measurement, Optional.empty(),
        "authentication", "c".repeat(64));
    store.record(DecisionRecord.admitted(clock.instant(), Optional.empty(), Optional.empty(),
        "authentication", measurement, Optional.of(serial), "d".repeat(64), "c".repeat(64),
        "proof"), Optional.of(issued));
    return cert;
  }

  private static X509CRL parse(PublishedCrl published) throws Exception {
    return (X509CRL) CertificateFactory.getInstance("X.509")
        .generateCRL(new ByteArrayInputStream(published.der()));
  }

  private static BigInteger crlNumber(X509CRL crl) {
    byte[] value = crl.getExtensionValue(Extension.cRLNumber.getId());
    return ASN1Integer.getInstance(ASN1OctetString.getInstance(value).getOctets())
        .getValue();
  }

  @Test
  void theCrlIsSignedByThePolicyKeyAndListsWhatWasRevoked() throws Exception {
    X509Certificate bySerial = issue(OTHER);
    X509Certificate kept = issue(OTHER);
    X509Certificate byMeasurement1 = issue(MEASUREMENT);
    X509Certificate byMeasurement2 = issue(MEASUREMENT);
    store.revoke(Revocation.ofSerial(bySerial.getSerialNumber(),
        RevocationReason.KEY_COMPROMISE.code(), clock.instant()));
    store.revoke(Revocation.ofMeasurement(MEASUREMENT, RevocationReason.SUPERSEDED.code(),
        clock.instant().plusSeconds(5)));

    CrlPublisher publisher = new CrlPublisher(store, keys, clock, CrlPublisher.DEFAULT_VALIDITY);
    X509CRL crl = parse(publisher.current());
    crl.verify(keys.certificate().getPublicKey());
    assertEquals(2, crl.getVersion());
    assertEquals(bySerial.getSigAlgName(), crl.getSigAlgName(),
        "the same algorithm as the admission certificates");
    assertEquals(keys.certificate().getSubjectX500Principal(), crl.getIssuerX500Principal());
    assertEquals(ReferenceDomain.PINNED, crl.getThisUpdate().toInstant());
    assertEquals(ReferenceDomain.PINNED.plus(Duration.ofHours(1)),
        crl.getNextUpdate().toInstant());
    assertEquals(BigInteger.ONE, crlNumber(crl));
    assertNotNull(AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(
        crl.getExtensionValue(Extension.authorityKeyIdentifier.getId())).getOctets())
        .getKeyIdentifier());

    assertEquals(3, crl.getRevokedCertificates().size());
    assertEquals(CRLReason.KEY_COMPROMISE,
        crl.getRevokedCertificate(bySerial).getRevocationReason());
    assertEquals(CRLReason.SUPERSEDED,
        crl.getRevokedCertificate(byMeasurement1).getRevocationReason());
    assertEquals(ReferenceDomain.PINNED.plusSeconds(5),
        crl.getRevokedCertificate(byMeasurement2).getRevocationDate().toInstant());
    assertNull(crl.getRevokedCertificate(kept));
    assertTrue(crl.isRevoked(byMeasurement2));
  }

  @Test
  void aNewCrlOnlyWhenRevocationsChangeOrHalfItsValidityHasPassed() throws Exception {
    CrlPublisher publisher = new CrlPublisher(store, keys, clock, Duration.ofMinutes(10));
    PublishedCrl first = publisher.current();
    clock.advance(Duration.ofMinutes(4));
    assertEquals(first, publisher.current(), "unchanged and fresh: served again");

    X509Certificate cert = issue(MEASUREMENT);
    store.revoke(Revocation.ofSerial(cert.getSerialNumber(), "retired by hand",
        clock.instant()));
    PublishedCrl second = publisher.current();
    assertEquals(BigInteger.TWO, second.number());
    X509CRL crl = parse(second);
    assertNull(crl.getRevokedCertificate(cert).getRevocationReason(),
        "a reason that is no code is listed without one");

    clock.advance(Duration.ofMinutes(5));
    PublishedCrl third = publisher.current();
    assertEquals(BigInteger.valueOf(3), third.number(), "re-signed before nextUpdate");
    assertEquals(second.entriesSha256(), third.entriesSha256());
    assertTrue(parse(third).getNextUpdate().after(parse(second).getNextUpdate()));
  }

  @Test
  void replicasServeTheSameCrl() throws Exception {
    replica = JdbcServiceStore.open(Database.embedded(dir), keys.certificate(), 2);
    CrlPublisher one = new CrlPublisher(store, keys, clock, CrlPublisher.DEFAULT_VALIDITY);
    CrlPublisher two = new CrlPublisher(replica, keys, clock, CrlPublisher.DEFAULT_VALIDITY);
    X509Certificate cert = issue(MEASUREMENT);
    store.revoke(Revocation.ofMeasurement(MEASUREMENT, "superseded", clock.instant()));
    PublishedCrl fromOne = one.current();
    clock.advance(Duration.ofSeconds(3));
    PublishedCrl fromTwo = two.current();
    assertArrayEquals(fromOne.der(), fromTwo.der());
    assertTrue(parse(fromTwo).isRevoked(cert));
  }

  @Test
  void entriesAreCheckedBeforeSigning() throws Exception {
    assertThrows(IllegalArgumentException.class, () -> new CrlFactory.Entry(BigInteger.TEN,
        Instant.EPOCH, OptionalInt.of(7)), "7 is not a CRLReason");
    assertThrows(IllegalArgumentException.class, () -> new CrlFactory.Entry(BigInteger.TEN,
        Instant.EPOCH, OptionalInt.of(0)), "unspecified is no code");
    CrlFactory.Entry twice = new CrlFactory.Entry(BigInteger.TEN, Instant.EPOCH,
        OptionalInt.empty());
    assertThrows(IllegalArgumentException.class, () -> CrlFactory.crl(keys.privateKey(),
        keys.certificate(), BigInteger.ONE, Instant.EPOCH, Instant.EPOCH.plusSeconds(60),
        List.of(twice, twice)));
    assertThrows(IllegalArgumentException.class, () -> new CrlPublisher(store, keys, clock,
        Duration.ofSeconds(30)));
  }
}
