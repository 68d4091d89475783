package org.certifier.service.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.certifier.crypto.KeyAlgorithm;
import org.certifier.crypto.KeyMessages;
import org.certifier.crypto.Randomness;
import org.certifier.service.issue.CertificateFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ServiceStore} must do, run against real databases: H2 files
 * ({@link H2ServiceStoreTest}) and a real PostgreSQL server ({@link PostgresServiceStoreTest}).
 * Two store instances on one database stand for two service replicas.
 */
abstract class ServiceStoreContract {
  static final Instant NOW = Instant.parse("2026-11-23T10:15:30.123456Z");
  static final String MEASUREMENT = "9f2be451d6089d7ae4c72a79b042d993f49de901ddca775c26afd15746fb8154";
  static final String POLICY = "a".repeat(64);

  private static KeyPair domainKey;
  static X509Certificate domain;
  static X509Certificate otherDomain;
  private static KeyPair subjectKey;

  private final List<JdbcServiceStore> opened = new ArrayList<>();
  Database database;

  /** A database that no store has used yet. */
  abstract Database freshDatabase() throws Exception;

  @BeforeAll
  static void domains() throws Exception {
    domainKey = KeyMessages.generate(KeyAlgorithm.RSA_2048, Randomness.secureRandom());
    KeyPair otherKey = KeyMessages.generate(KeyAlgorithm.RSA_2048, Randomness.secureRandom());
    subjectKey = KeyMessages.generate(KeyAlgorithm.RSA_2048, Randomness.secureRandom());
    domain = CertificateFactory.policyCertificate(domainKey.getPrivate(), domainKey.getPublic(),
        "policyKey", "store-test", NOW, NOW.plus(Duration.ofDays(365)));
    otherDomain = CertificateFactory.policyCertificate(otherKey.getPrivate(),
        otherKey.getPublic(), "policyKey", "other-domain", NOW, NOW.plus(Duration.ofDays(365)));
  }

  @BeforeEach
  void fresh() throws Exception {
    database = freshDatabase();
  }

  @AfterEach
  void closeStores() {
    opened.forEach(JdbcServiceStore::close);
  }

  JdbcServiceStore open() throws Exception {
    return open(domain);
  }

  private JdbcServiceStore open(X509Certificate domainCert) throws Exception {
    JdbcServiceStore store = JdbcServiceStore.open(database, domainCert, 4);
    opened.add(store);
    return store;
  }

  /** An admission certificate as the service issues it, with {@code serial}. */
  static IssuedCertificate certificate(BigInteger serial) throws Exception {
    X509Certificate cert = CertificateFactory.admissionCertificate(domainKey.getPrivate(),
        domain, subjectKey.getPublic(), java.util.HexFormat.of().parseHex(MEASUREMENT),
        Optional.of(InetAddress.getLoopbackAddress()), serial, NOW,
        NOW.plus(Duration.ofDays(30)));
    return IssuedCertificate.of(cert, MEASUREMENT, Optional.of("127.0.0.1"), "authentication",
        POLICY);
  }

  static DecisionRecord admitted(IssuedCertificate issued) {
    return DecisionRecord.admitted(NOW, Optional.of("b".repeat(64)), Optional.of("127.0.0.1"),
        "authentication", MEASUREMENT, Optional.of(issued.serial()), Hex.sha256(issued.certificate()), POLICY,
        "1: policyKey is-trusted\n2: ...");
  }

  static DecisionRecord rejected(String code) {
    return DecisionRecord.rejected(NOW, code, Optional.of("c".repeat(64)),
        Optional.of("127.0.0.1"), Optional.of(POLICY));
  }

  Connection connect() throws Exception {
    return DriverManager.getConnection(database.url(), database.user(), database.password());
  }

  @Test
  void migratesAnEmptyDatabaseAndBindsItToTheDomain() throws Exception {
    ServiceStore store = open();
    assertEquals("4", store.metadata().schemaVersion());
    assertEquals(64, store.metadata().domainSha256().length());
    assertEquals(0, store.auditSize());
    assertEquals(List.of(), store.auditLog(0, 10));
    assertTrue(store.next().compareTo(BigInteger.valueOf(1000)) >= 0,
        "serials start above the reference's range");
  }

  @Test
  void refusesAStoreOfAnotherDomain() throws Exception {
    open().close();
    WrongDomainException e = assertThrows(WrongDomainException.class, () -> open(otherDomain));
    assertTrue(e.getMessage().contains("belongs to the domain"), e.getMessage());
    // The rightful domain still opens it.
    assertEquals("4", open().metadata().schemaVersion());
  }

  @Test
  void eightThreadsOnTwoReplicasTakeSixteenHundredUniqueSerials() throws Exception {
    List<ServiceStore> replicas = List.of(open(), open());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<List<BigInteger>>> taken = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        ServiceStore store = replicas.get(t % 2);
        taken.add(pool.submit(() -> {
          List<BigInteger> mine = new ArrayList<>();
          for (int i = 0; i < 200; i++) {
            mine.add(store.next());
          }
          return mine;
        }));
      }
      Set<BigInteger> unique = new HashSet<>();
      for (Future<List<BigInteger>> f : taken) {
        unique.addAll(f.get());
      }
      assertEquals(1600, unique.size(), "no serial handed out twice");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void serialsNeverRepeatAfterAReopen() throws Exception {
    JdbcServiceStore first = open();
    BigInteger last = BigInteger.ZERO;
    // More than one of the embedded store's blocks of serials (JdbcServiceStore.SERIAL_BLOCK).
    for (int i = 0; i < 3 * JdbcServiceStore.SERIAL_BLOCK + 5; i++) {
      BigInteger serial = first.next();
      assertTrue(serial.compareTo(last) > 0, "one store hands out increasing serials");
      last = serial;
    }
    first.close();
    assertTrue(open().next().compareTo(last) > 0);
  }

  @Test
  void anIssuedCertificateAndItsAuditEntryAreRecordedTogether() throws Exception {
    ServiceStore store = open();
    IssuedCertificate issued = certificate(store.next());
    AuditEntry entry = store.record(admitted(issued), Optional.of(issued));

    assertEquals(0, entry.seq());
    assertEquals(Optional.of(issued), store.certificate(issued.serial()));
    assertEquals(List.of(entry), store.auditLog(0, 10));
    assertEquals(1, store.auditSize());
    assertEquals(Optional.empty(), store.certificate(issued.serial().add(BigInteger.ONE)));
    assertEquals(NOW.truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
        store.auditLog(0, 1).get(0).decision().decidedAt(), "time kept to the millisecond");
  }

  @Test
  void aRepeatedSerialIsRefusedAndNothingOfThatDecisionIsKept() throws Exception {
    ServiceStore store = open();
    IssuedCertificate issued = certificate(store.next());
    store.record(admitted(issued), Optional.of(issued));

    StoreException e = assertThrows(StoreException.class,
        () -> store.record(admitted(issued), Optional.of(issued)));
    assertTrue(e.getMessage().contains("already in the issuance log"), e.getMessage());
    assertEquals(1, store.auditSize(), "the audit entry was rolled back with the certificate");
    // The log goes on without a gap.
    assertEquals(1, store.record(rejected("bad-signature"), Optional.empty()).seq());
  }

  @Test
  void concurrentAppendsFromTwoReplicasFormOneGapFreeLog() throws Exception {
    List<ServiceStore> replicas = List.of(open(), open());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        ServiceStore store = replicas.get(t % 2);
        done.add(pool.submit(() -> {
          for (int i = 0; i < 25; i++) {
            if (i % 5 == 0) {
              store.record(rejected("unknown-measurement"), Optional.empty());
            } else {
              IssuedCertificate issued = certificate(store.next());
              store.record(admitted(issued), Optional.of(issued));
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    ServiceStore reader = open();
    assertEquals(200, reader.auditSize());
    List<AuditEntry> log = new ArrayList<>(reader.auditLog(0, 150));
    log.addAll(reader.auditLog(150, 150));
    assertEquals(200, log.size());
    for (int i = 0; i < log.size(); i++) {
      assertEquals(i, log.get(i).seq(), "entries are numbered without gaps");
    }
    for (AuditEntry entry : log) {
      entry.decision().serial().ifPresent(serial -> assertTrue(
          assertDoesNotThrow(() -> reader.certificate(serial)).isPresent(),
          "the certificate of entry " + entry.seq() + " is in the issuance log"));
    }
  }

  private static <T> T assertDoesNotThrow(java.util.concurrent.Callable<T> call) {
    return org.junit.jupiter.api.Assertions.assertDoesNotThrow(call::call);
  }

  @Test
  void anAlteredAuditRowNoLongerMatchesItsHash() throws Exception {
    ServiceStore store = open();
    store.record(rejected("unknown-measurement"), Optional.empty());
    store.record(rejected("bad-signature"), Optional.empty());
    // Through the store first: the embedded one writes its rows behind the requests.
    assertEquals(2, store.auditSize());
    try (Connection c = connect(); PreparedStatement update = c.prepareStatement(
        "UPDATE audit_log SET failure_code = ? WHERE seq = ?")) {
      update.setString(1, "expired");
      update.setLong(2, 1);
      assertEquals(1, update.executeUpdate());
    }
    assertEquals(1, store.auditLog(0, 1).size(), "the entries before it still read");
    StoreException e = assertThrows(StoreException.class, () -> store.auditLog(0, 10));
    assertTrue(e.getMessage().contains("audit entry 1 does not match"), e.getMessage());
  }

  @Test
  void revocationsBySerialAndByMeasurement() throws Exception {
    ServiceStore store = open();
    BigInteger serial = BigInteger.valueOf(4242);
    Instant at = NOW.plusSeconds(60);
    assertFalse(store.isRevoked(serial));
    assertTrue(store.revoke(Revocation.ofSerial(serial, "key compromised", at)));
    assertTrue(store.isRevoked(serial));
    assertFalse(store.isRevoked(serial.add(BigInteger.ONE)));
    assertFalse(store.revoke(Revocation.ofSerial(serial, "again", at.plusSeconds(1))),
        "a second revocation of the same serial is not recorded");
    assertEquals(Optional.of(Revocation.ofSerial(serial, "key compromised", at)),
        store.serialRevocation(serial), "the first reason and time stay");

    String other = "0".repeat(64);
    assertFalse(store.isMeasurementRevoked(MEASUREMENT));
    assertTrue(store.revoke(Revocation.ofMeasurement(MEASUREMENT, "CVE in build 7", at)));
    assertTrue(store.isMeasurementRevoked(MEASUREMENT));
    assertFalse(store.isMeasurementRevoked(other));
    assertEquals("CVE in build 7",
        store.measurementRevocation(MEASUREMENT).orElseThrow().reason());
    assertFalse(store.isRevoked(BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE)),
        "a serial this store cannot have issued is not revoked");
  }

  @Test
  void everythingSurvivesAReopen() throws Exception {
    JdbcServiceStore first = open();
    IssuedCertificate issued = certificate(first.next());
    AuditEntry entry = first.record(admitted(issued), Optional.of(issued));
    first.revoke(Revocation.ofMeasurement(MEASUREMENT, "retired", NOW));
    first.close();

    ServiceStore again = open();
    assertEquals(Optional.of(issued), again.certificate(issued.serial()));
    assertEquals(List.of(entry), again.auditLog(0, 10));
    assertTrue(again.isMeasurementRevoked(MEASUREMENT));
  }

  @Test
  void recordsAreValidatedBeforeTheyReachTheDatabase() throws Exception {
    IssuedCertificate issued = certificate(BigInteger.valueOf(1234));
    ServiceStore store = open();
    assertThrows(IllegalArgumentException.class, () -> store.record(rejected("expired"),
        Optional.of(issued)), "an entry must name the serial it records");
    assertThrows(IllegalArgumentException.class, () -> Revocation.ofMeasurement("ABCD", "x",
        NOW), "measurements are lowercase hex");
    assertThrows(IllegalArgumentException.class, () -> Revocation.ofSerial(BigInteger.ONE,
        " ", NOW), "a revocation has a reason");
    assertEquals(0, store.auditSize());
  }

  // Policy versions.

  private static PolicyVersion policyVersion(long version) {
    byte[] artefact = ("artefact of version " + version).getBytes(StandardCharsets.UTF_8);
    return PolicyVersion.of(version, artefact, NOW.plusSeconds(version));
  }

  private static void assertSameVersion(PolicyVersion expected, PolicyVersion actual) {
    assertEquals(expected.version(), actual.version());
    assertEquals(expected.sha256(), actual.sha256());
    assertArrayEquals(expected.artefact(), actual.artefact());
    assertEquals(expected.publishedAt(), actual.publishedAt());
    assertTrue(actual.matchesSha256());
  }

  @Test
  void policyVersionsOnlyGoUp() throws Exception {
    JdbcServiceStore store = open();
    assertEquals(0, store.newestPolicyVersion());
    assertEquals(List.of(), store.policyVersionsAbove(0, 10));

    store.publishPolicy(policyVersion(2));
    PolicyRollbackException lower = assertThrows(PolicyRollbackException.class,
        () -> store.publishPolicy(policyVersion(1)));
    assertEquals(2, lower.newest());
    assertThrows(PolicyRollbackException.class, () -> store.publishPolicy(policyVersion(2)),
        "a version is published once");
    store.publishPolicy(policyVersion(5));

    assertEquals(5, store.newestPolicyVersion());
    List<PolicyVersion> above0 = store.policyVersionsAbove(0, 10);
    assertEquals(List.of(5L, 2L), above0.stream().map(PolicyVersion::version).toList());
    assertSameVersion(policyVersion(5), above0.get(0));
    assertSameVersion(policyVersion(2), above0.get(1));
    assertEquals(List.of(5L), store.policyVersionsAbove(2, 10).stream()
        .map(PolicyVersion::version).toList());
    assertEquals(1, store.policyVersionsAbove(0, 1).size());
    store.close();

    ServiceStore again = open();
    assertEquals(5, again.newestPolicyVersion(), "the high-water mark survives a reopen");
    assertThrows(PolicyRollbackException.class, () -> again.publishPolicy(policyVersion(4)));
  }

  @Test
  void concurrentPublishersOnTwoReplicasNeverGoBack() throws Exception {
    List<ServiceStore> replicas = List.of(open(), open());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Integer>> published = new ArrayList<>();
    try {
      for (int t = 0; t < 8; t++) {
        ServiceStore store = replicas.get(t % 2);
        int first = t + 1;
        published.add(pool.submit(() -> {
          int ok = 0;
          for (long v = first; v <= 40; v += 8) {
            try {
              store.publishPolicy(policyVersion(v));
              ok++;
            } catch (PolicyRollbackException e) {
              assertTrue(e.newest() >= v, v + " refused below " + e.newest());
            }
          }
          return ok;
        }));
      }
      int total = 0;
      for (Future<Integer> f : published) {
        total += f.get();
      }
      ServiceStore reader = open();
      assertEquals(40, reader.newestPolicyVersion());
      assertEquals(total, reader.policyVersionsAbove(0, 100).size(),
          "every publication that succeeded is stored, and nothing else");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aPolicyVersionIsOneOrMoreWithItsSha256() {
    assertThrows(IllegalArgumentException.class, () -> policyVersion(0));
    assertThrows(IllegalArgumentException.class,
        () -> new PolicyVersion(1, "ab", new byte[1], NOW));
  }

  // The operator API's reads and the published CRL.

  @Test
  void certificatesAreListedByPageAndByMeasurement() throws Exception {
    ServiceStore store = open();
    List<BigInteger> serials = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      IssuedCertificate issued = certificate(store.next());
      store.record(admitted(issued), Optional.of(issued));
      serials.add(issued.serial());
    }
    assertEquals(serials.subList(0, 2), store.certificates(BigInteger.ZERO, 2).stream()
        .map(IssuedCertificate::serial).toList());
    assertEquals(serials.subList(2, 3), store.certificates(serials.get(2), 10).stream()
        .map(IssuedCertificate::serial).toList());
    assertEquals(List.of(), store.certificates(BigInteger.TWO.pow(64), 10));
    assertEquals(serials, store.serialsIssuedTo(MEASUREMENT));
    assertEquals(List.of(), store.serialsIssuedTo("00"));
  }

  @Test
  void revocationsAreListedInOrder() throws Exception {
    ServiceStore store = open();
    Revocation first = Revocation.ofMeasurement(MEASUREMENT, "superseded", NOW);
    Revocation second = Revocation.ofSerial(BigInteger.valueOf(1234), "key-compromise", NOW);
    store.revoke(first);
    store.revoke(second);
    assertEquals(List.of(first, second), store.revocations());
  }

  @Test
  void aCrlNumberIsPublishedOnceAcrossReplicas() throws Exception {
    ServiceStore one = open();
    ServiceStore two = open();
    assertEquals(Optional.empty(), one.latestCrl());
    PublishedCrl crl = new PublishedCrl(BigInteger.ONE, new byte[] {1, 2, 3}, "e".repeat(64),
        NOW, NOW.plus(Duration.ofHours(1)));
    assertTrue(one.publishCrl(crl));
    assertFalse(two.publishCrl(new PublishedCrl(BigInteger.ONE, new byte[] {9},
        "f".repeat(64), NOW, NOW.plus(Duration.ofHours(1)))), "the number is taken");
    assertEquals(Optional.of(crl), two.latestCrl());
    PublishedCrl next = new PublishedCrl(BigInteger.TWO, new byte[] {4}, "e".repeat(64),
        NOW.plusSeconds(60), NOW.plus(Duration.ofHours(2)));
    assertTrue(two.publishCrl(next));
    assertEquals(Optional.of(next), one.latestCrl());
  }

  // The audit log's Merkle tree and signed tree heads.

  @Test
  void theAuditTreeGrowsByCompareAndSetAndKeepsOneHeadPerSize() throws Exception {
    ServiceStore a = open();
    ServiceStore b = open();
    a.record(rejected("unknown-measurement"), Optional.empty());
    a.record(rejected("bad-signature"), Optional.empty());
    String h0 = "0".repeat(64);
    String h1 = "1".repeat(64);
    String h2 = "2".repeat(64);
    assertEquals(0, b.auditTreeSize());
    assertTrue(a.extendAuditTree(0, 2, List.of(new AuditTreeNode(0, 0, h0),
        new AuditTreeNode(0, 1, h1), new AuditTreeNode(1, 0, h2))));
    assertFalse(b.extendAuditTree(0, 2, List.of(new AuditTreeNode(0, 0, h0))),
        "the other replica finds the tree moved on and writes nothing");
    assertEquals(2, b.auditTreeSize());
    assertEquals(Optional.of(new AuditTreeNode(1, 0, h2)), b.auditTreeNode(1, 0));
    assertEquals(Optional.empty(), b.auditTreeNode(1, 1));

    AuditTreeHead first = new AuditTreeHead(1, h1, NOW, "head of 1");
    AuditTreeHead second = new AuditTreeHead(2, h2, NOW, "head of 2");
    assertEquals(Optional.empty(), a.latestAuditTreeHead());
    assertTrue(a.saveAuditTreeHead(second));
    assertTrue(a.saveAuditTreeHead(first));
    assertFalse(b.saveAuditTreeHead(new AuditTreeHead(2, h0, NOW, "another head of 2")));
    assertEquals("head of 2", b.auditTreeHead(2).orElseThrow().text());
    assertEquals("head of 2", b.latestAuditTreeHead().orElseThrow().text());
    assertEquals(h1, b.auditTreeHead(1).orElseThrow().rootHash());
  }

  @Test
  void auditRowsShowAlteredRowsInsteadOfRefusingThem() throws Exception {
    ServiceStore store = open();
    store.record(rejected("unknown-measurement"), Optional.empty());
    store.record(rejected("bad-signature"), Optional.empty());
    // Through the store first: the embedded one writes its rows behind the requests.
    assertEquals(2, store.auditSize());
    try (Connection c = connect(); PreparedStatement update = c.prepareStatement(
        "UPDATE audit_log SET evidence_sha256 = 'not hex' WHERE seq = 1")) {
      assertEquals(1, update.executeUpdate());
    }
    List<AuditRow> rows = store.auditRows(0, 10);
    assertEquals(2, rows.size());
    assertEquals(rows.get(0).entry().orElseThrow().leafHash(), rows.get(0).storedLeafHash());
    assertTrue(rows.get(1).entry().isEmpty());
    assertTrue(rows.get(1).defect().isPresent());
  }
}
