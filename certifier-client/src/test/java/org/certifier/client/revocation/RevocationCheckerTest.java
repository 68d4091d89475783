package org.certifier.client.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.certifier.client.channel.PeerStatus;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.files.AtomicFiles;
import org.certifier.testing.MutableClock;
import org.certifier.testing.pki.DomainPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The revocation checker: which lists it takes, which peers it refuses, whom it tells. */
class RevocationCheckerTest {
  private static final Duration GRACE = Duration.ofMinutes(2);
  private static DomainPki domain;
  private static DomainPki other;
  private static DomainPki.Member alice;
  private static DomainPki.Member bob;

  @TempDir
  Path dir;

  private final MutableClock clock = new MutableClock(Instant.now());

  @BeforeAll
  static void pki() throws Exception {
    domain = DomainPki.create("home");
    other = DomainPki.create("other");
    Instant now = Instant.now();
    alice = domain.member(BigInteger.valueOf(17), new byte[32], now.minusSeconds(60),
        now.plusSeconds(86_400));
    bob = domain.member(BigInteger.valueOf(18), new byte[32], now.minusSeconds(60),
        now.plusSeconds(86_400));
  }

  private RevocationChecker checker(CrlSource source, RevocationChecker.Listener listener) {
    return new RevocationChecker(domain.policyCert(), source,
        RevocationChecker.Settings.defaults().withGrace(GRACE), clock, listener);
  }

  private RevocationChecker checker() {
    return checker(CrlSource.file(dir.resolve("none")), new RevocationChecker.Listener() { });
  }

  private static BasicReason reason(CertificateException e) {
    return assertInstanceOf(CertPathValidatorException.class, e.getCause()).getReason() instanceof
        BasicReason r ? r : null;
  }

  @Test
  void withoutAListEveryPeerIsRefused() {
    CertificateException e = assertThrows(CertificateException.class,
        () -> checker().check(alice.certificate()));
    assertEquals(BasicReason.UNDETERMINED_REVOCATION_STATUS, reason(e));
  }

  @Test
  void aListedSerialIsRefusedAndTheOthersAdmitted() throws Exception {
    RevocationChecker checker = checker();
    assertTrue(checker.install(domain.crl().number(5).revoke(alice.serial()).build()));

    checker.check(bob.certificate());
    CertificateException e = assertThrows(CertificateException.class,
        () -> checker.check(alice.certificate()));
    assertEquals(BasicReason.REVOKED, reason(e));
    assertTrue(e.getMessage().contains("serial 17"), e.getMessage());
    assertEquals(BigInteger.valueOf(5), checker.current().orElseThrow().number());
  }

  @Test
  void aListSignedByAnotherKeyIsRefusedAndTheOldOneKept() throws Exception {
    RevocationChecker checker = checker();
    checker.install(domain.crl().number(1).build());
    byte[] forged = domain.crl().number(2).revoke(bob.serial())
        .signedBy(other.policyKey().getPrivate()).build();

    VerificationException e = assertThrows(VerificationException.class,
        () -> checker.install(forged));

    assertEquals(Failure.BAD_SIGNATURE, e.failure());
    assertEquals(BigInteger.ONE, checker.current().orElseThrow().number());
    checker.check(bob.certificate());
  }

  @Test
  void aListOfAnotherIssuerIsRefused() throws Exception {
    byte[] crl = domain.crl().issuer("CN=policyKey, O=other/policyAuthority").build();
    assertEquals(Failure.BAD_CERTIFICATE_CHAIN, assertThrows(VerificationException.class,
        () -> checker().install(crl)).failure());
  }

  @Test
  void staleAndFutureListsAreRefused() throws Exception {
    Instant now = clock.instant();
    byte[] stale = domain.crl().thisUpdate(now.minusSeconds(7200))
        .nextUpdate(now.minusSeconds(1)).build();
    byte[] future = domain.crl().thisUpdate(now.plusSeconds(60))
        .nextUpdate(now.plusSeconds(3600)).build();
    RevocationChecker checker = checker();
    assertEquals(Failure.COLLATERAL_EXPIRED,
        assertThrows(VerificationException.class, () -> checker.install(stale)).failure());
    assertEquals(Failure.NOT_YET_VALID,
        assertThrows(VerificationException.class, () -> checker.install(future)).failure());
    assertTrue(checker.current().isEmpty());
  }

  @Test
  void anOlderListIsNeverTakenBack() throws Exception {
    RevocationChecker checker = checker();
    byte[] seven = domain.crl().number(7).revoke(alice.serial()).build();
    checker.install(seven);
    byte[] six = domain.crl().number(6).build();

    assertEquals(Failure.COLLATERAL_EXPIRED,
        assertThrows(VerificationException.class, () -> checker.install(six)).failure());
    byte[] otherSeven = domain.crl().number(7).build();
    assertThrows(VerificationException.class, () -> checker.install(otherSeven),
        "a different list with the same number");
    assertFalse(checker.install(seven), "the same list again changes nothing");
    assertThrows(CertificateException.class, () -> checker.check(alice.certificate()));
  }

  @Test
  void theSameNumberReissuedLaterIsTakenOnlyIfItDropsNoRevocation() throws Exception {
    Instant now = clock.instant();
    RevocationChecker checker = checker();
    checker.install(domain.crl().number(7).thisUpdate(now.minusSeconds(60))
        .revoke(alice.serial()).build());
    byte[] dropsAlice = domain.crl().number(7).thisUpdate(now.minusSeconds(30))
        .revoke(bob.serial()).build();
    byte[] earlier = domain.crl().number(7).thisUpdate(now.minusSeconds(90))
        .revoke(alice.serial()).build();
    byte[] reissued = domain.crl().number(7).thisUpdate(now.minusSeconds(30))
        .revoke(alice.serial()).revoke(bob.serial()).build();

    assertThrows(VerificationException.class, () -> checker.install(dropsAlice));
    assertThrows(VerificationException.class, () -> checker.install(earlier));
    assertTrue(checker.install(reissued));
    assertThrows(CertificateException.class, () -> checker.check(bob.certificate()));
  }

  @Test
  void theStoredListIsTheFloorEvenWhenStale() throws Exception {
    Instant now = clock.instant();
    byte[] storedStale = domain.crl().number(9).thisUpdate(now.minusSeconds(7200))
        .nextUpdate(now.minusSeconds(60)).build();
    RevocationChecker checker = checker();
    checker.restore(storedStale);
    assertTrue(checker.current().isEmpty(), "a stale list decides nothing");

    assertThrows(VerificationException.class,
        () -> checker.install(domain.crl().number(8).build()));
    assertTrue(checker.install(domain.crl().number(10).build()));
  }

  @Test
  void aListGoesStaleAfterItsNextUpdateAndTheGrace() throws Exception {
    Instant now = clock.instant();
    RevocationChecker checker = checker();
    checker.install(domain.crl().nextUpdate(now.plusSeconds(60)).build());
    clock.advance(Duration.ofSeconds(60).plus(GRACE).minusSeconds(1));
    checker.check(alice.certificate());

    clock.advance(Duration.ofSeconds(1));
    CertificateException e = assertThrows(CertificateException.class,
        () -> checker.check(alice.certificate()));
    assertEquals(BasicReason.UNDETERMINED_REVOCATION_STATUS, reason(e));
    assertTrue(e.getMessage().contains("stale"), e.getMessage());
  }

  @Test
  void listsWeCannotFullyUnderstandAreRefused() throws Exception {
    RevocationChecker checker = checker();
    for (byte[] crl : List.of(domain.crl().withoutNumber().build(),
        domain.crl().nextUpdate(null).build(),
        domain.crl().withCriticalExtension().build())) {
      assertEquals(Failure.MALFORMED_EVIDENCE,
          assertThrows(VerificationException.class, () -> checker.install(crl)).failure());
    }
  }

  @Test
  void aWatchedPeerIsReportedOnceWhenALaterListRevokesIt() throws Exception {
    RevocationChecker checker = checker();
    checker.install(domain.crl().number(1).build());
    List<String> aliceNews = new ArrayList<>();
    List<String> bobNews = new ArrayList<>();
    List<String> closedNews = new ArrayList<>();
    checker.watch(alice.certificate(), aliceNews::add);
    checker.watch(bob.certificate(), bobNews::add);
    PeerStatus.Watch closed = checker.watch(alice.certificate(), closedNews::add);
    closed.close();

    checker.install(domain.crl().number(2).revoke(alice.serial()).build());
    checker.install(domain.crl().number(3).revoke(alice.serial()).build());

    assertEquals(1, aliceNews.size());
    assertTrue(aliceNews.get(0).contains("serial 17"), aliceNews.get(0));
    assertEquals(List.of(), bobNews);
    assertEquals(List.of(), closedNews);
  }

  @Test
  void aPeerRevokedBeforeItIsWatchedIsReportedAtOnce() throws Exception {
    RevocationChecker checker = checker();
    checker.install(domain.crl().revoke(alice.serial()).build());
    List<String> news = new ArrayList<>();
    checker.watch(alice.certificate(), news::add);
    assertEquals(1, news.size());
  }

  @Test
  void theBackgroundRefreshInstallsANewListFromTheFile() throws Exception {
    Path file = dir.resolve("crl.der");
    AtomicFiles.write(file, domain.crl().number(1).build());
    CountDownLatch revoked = new CountDownLatch(1);
    RevocationChecker checker = new RevocationChecker(domain.policyCert(), CrlSource.file(file),
        RevocationChecker.Settings.defaults().withRefreshInterval(Duration.ofMillis(100)),
        java.time.Clock.systemUTC(), new RevocationChecker.Listener() {
          @Override
          public void installed(Crl crl) {
            if (crl.revocationDate(alice.serial()).isPresent()) {
              revoked.countDown();
            }
          }
        });
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      assertTrue(checker.refresh());
      checker.start(scheduler);
      AtomicFiles.write(file, domain.crl().number(2).revoke(alice.serial()).build());
      assertTrue(revoked.await(10, TimeUnit.SECONDS));
      assertThrows(CertificateException.class, () -> checker.check(alice.certificate()));
    } finally {
      checker.close();
      scheduler.shutdownNow();
    }
  }

  @Test
  void refusedBackgroundListsAreReportedAndTheOldOneKept() throws Exception {
    Path file = dir.resolve("crl.der");
    AtomicFiles.write(file, domain.crl().number(4).build());
    CountDownLatch refused = new CountDownLatch(1);
    List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    RevocationChecker checker = new RevocationChecker(domain.policyCert(), CrlSource.file(file),
        RevocationChecker.Settings.defaults().withRefreshInterval(Duration.ofMillis(100)),
        java.time.Clock.systemUTC(), new RevocationChecker.Listener() {
          @Override
          public void refreshFailed(Exception failure, Instant nextAttempt) {
            failures.add(failure);
            refused.countDown();
          }
        });
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      checker.refresh();
      checker.start(scheduler);
      AtomicFiles.write(file, domain.crl().number(3).revoke(alice.serial()).build());
      assertTrue(refused.await(10, TimeUnit.SECONDS));
      assertEquals(Failure.COLLATERAL_EXPIRED,
          assertInstanceOf(VerificationException.class, failures.get(0)).failure());
      assertEquals(BigInteger.valueOf(4), checker.current().orElseThrow().number());
      checker.check(alice.certificate());
    } finally {
      checker.close();
      scheduler.shutdownNow();
    }
  }

  @Test
  void aFileLargerThanTheLimitIsNotRead() throws Exception {
    Path file = dir.resolve("big");
    Files.write(file, new byte[Crl.MAX_BYTES + 1]);
    assertThrows(java.io.IOException.class, () -> CrlSource.file(file).fetch());
  }
}
