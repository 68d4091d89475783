package org.certifier.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.certifier.claims.SignedClaims;
import org.certifier.claims.SignedPolicy;
import org.certifier.client.TrustManager;
import org.certifier.client.TrustManagerException;
import org.certifier.client.enclave.SevSnpEnclave;
import org.certifier.crypto.Certificates;
import org.certifier.crypto.KeyAlgorithm;
import org.certifier.crypto.KeyMessages;
import org.certifier.crypto.Randomness;
import org.certifier.evidence.Failure;
import org.certifier.policy.Clauses;
import org.certifier.policy.Entities;
import org.certifier.policy.Verb;
import org.certifier.proto.entity_message;
import org.certifier.proto.key_message;
import org.certifier.proto.platform;
import org.certifier.proto.properties;
import org.certifier.proto.property;
import org.certifier.proto.signed_claim_sequence;
import org.certifier.service.certify.Certifier;
import org.certifier.service.certify.Decision;
import org.certifier.service.issue.CertificateFactory;
import org.certifier.service.tcp.CertifierTcpServer;
import org.certifier.testing.amd.FakeAmdSp;
import org.certifier.testing.tsm.FakeConfigfsTsm;
import org.certifier.verifiers.sevsnp.AmdRoots;
import org.certifier.verifiers.sevsnp.SevEvidenceVerifier;
import org.certifier.verifiers.sevsnp.SnpProduct;
import org.certifier.verifiers.vse.VseVerifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program on "SEV-SNP" certified end to end: the client library's SevSnpEnclave on a fake
 * configfs-tsm with a fake AMD secure processor behind it, the same TrustManager calls as on the
 * simulated enclave, the reference TCP protocol, the SEV-SNP verifier, the proof against a signed
 * policy, the admission certificate; and the refusals a policy author cares about, each with its
 * failure code on the wire and a readable reason in the service's decision.
 */
class SevSnpCertificationTest {
  private static final Instant NOW = FakeAmdSp.TIME;
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final String DOMAIN = "sev-test";
  /** The program's launch measurement (48 bytes), which the policy trusts. */
  private static final byte[] MEASUREMENT = sha384("the sev-test program's launch digest");
  /** The fake chip's TCB is bl 3, tee 0, snp 8, microcode 115; the policy wants at least it. */
  private static final long OLD_TCB = 0x4405_0000_0000_0002L;

  private static FakeAmdSp sp;
  private static KeyPair policyPair;
  private static key_message policyKey;
  private static DomainKeys keys;

  @TempDir
  Path dir;

  @BeforeAll
  static void domain() throws Exception {
    sp = FakeAmdSp.milan();
    policyPair = KeyMessages.generate(KeyAlgorithm.RSA_2048, Randomness.secureRandom());
    policyKey = KeyMessages.fromKeyPair(policyPair, "policyKey");
    X509Certificate policyCert = CertificateFactory.policyCertificate(policyPair.getPrivate(),
        policyPair.getPublic(), "policyKey", DOMAIN + "/policyAuthority",
        NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(365)));
    keys = DomainKeys.of(policyKey, policyCert);
  }

  @Test
  void aProgramOnSevSnpIsCertified() throws Exception {
    try (Service service = new Service(policy(false))) {
      X509Certificate cert = trustManager(guest(r -> r.measurement(MEASUREMENT)), service)
          .certify(DOMAIN);

      assertEquals("Measured-" + HexFormat.of().formatHex(MEASUREMENT),
          Certificates.subjectAttribute(cert, "O").orElseThrow());
      assertEquals("CertifierUsers", Certificates.subjectAttribute(cert, "CN").orElseThrow());
      Decision.Admitted admitted = assertInstanceOf(Decision.Admitted.class,
          service.decisions.get(0));
      // The proof went through the platform rules: environment trusted by platform and program.
      assertTrue(admitted.proof().contains("environment-platform-is-trusted"), admitted.proof());
      assertTrue(admitted.proof().contains("environment-measurement-is-trusted"));
    }
  }

  @Test
  void aTcbBelowThePolicysMinimumIsRefusedWithTheComponentThatIsTooOld() throws Exception {
    try (Service service = new Service(policy(false))) {
      FakeConfigfsTsm oldFirmware = sp.withTcb(OLD_TCB)
          .configfsTsm(r -> r.measurement(MEASUREMENT), true);

      TrustManagerException e = assertThrows(TrustManagerException.class,
          () -> trustManager(oldFirmware, service).certify(DOMAIN));

      assertEquals(Failure.PLATFORM_PROPERTY_MISMATCH, e.failure().orElseThrow());
      String reason = rejected(service).reason();
      assertTrue(reason.contains("tcb-microcode 68 < 115 required"), reason);
      assertTrue(reason.contains("tcb-snp 5 < 8 required"), reason);
    }
  }

  @Test
  void aDebuggableGuestIsRefusedUnlessThePolicyAllowsDebugging() throws Exception {
    Consumer<FakeAmdSp.ReportBuilder> debuggable = r -> r.measurement(MEASUREMENT)
        .policy(FakeAmdSp.DEFAULT_POLICY | FakeAmdSp.POLICY_DEBUG);
    try (Service service = new Service(policy(false))) {
      TrustManagerException e = assertThrows(TrustManagerException.class,
          () -> trustManager(guest(debuggable), service).certify(DOMAIN));

      assertEquals(Failure.DEBUG_NOT_ALLOWED, e.failure().orElseThrow());
      String reason = rejected(service).reason();
      assertTrue(reason.contains("debug: observed yes, policy requires no"), reason);
    }
    try (Service service = new Service(policy(true))) {
      X509Certificate cert = trustManager(guest(debuggable), service).certify(DOMAIN);
      assertEquals("Measured-" + HexFormat.of().formatHex(MEASUREMENT),
          Certificates.subjectAttribute(cert, "O").orElseThrow());
    }
  }

  @Test
  void anUnknownProgramIsRefused() throws Exception {
    byte[] other = MEASUREMENT.clone();
    other[0] ^= 1;
    try (Service service = new Service(policy(false))) {
      TrustManagerException e = assertThrows(TrustManagerException.class,
          () -> trustManager(guest(r -> r.measurement(other)), service).certify(DOMAIN));
      assertEquals(Failure.UNKNOWN_MEASUREMENT, e.failure().orElseThrow());
    }
  }

  @Test
  void theWiredServiceTrustsAmdNotTheFake() throws Exception {
    Path keyFile = Files.write(dir.resolve("policy_key_file"), policyKey.toByteArray());
    Path certFile = Files.write(dir.resolve("policy_cert_file"),
        keys.certificate().getEncoded());
    Path policyFile = Files.write(dir.resolve("policy.bin"), policyFile(false));
    try (CertifierService service = CertifierService.start(CertifierService.Config.of(keyFile,
        certFile, policyFile).withAddress("127.0.0.1", 0).withStateDir(dir.resolve("state"))
        .withClock(CLOCK))) {
      TrustManager tm = TrustManager.open(enclave(guest(r -> r.measurement(MEASUREMENT))),
          dir.resolve("store"), CLOCK);
      tm.initializeKeys("rsa-2048", "aes-256-cbc-hmac-sha256", false);
      tm.addDomain(DOMAIN, keys.certificate(), "127.0.0.1", service.port());

      TrustManagerException e = assertThrows(TrustManagerException.class,
          () -> tm.certify(DOMAIN));

      // The fake's ARK-Milan is not AMD's pinned one: the SEV verifier is wired and closed.
      assertEquals(Failure.UNTRUSTED_ROOT, e.failure().orElseThrow());
    }
  }

  /**
   * The domain's policy: the fake AMD's ARK, the program's measurement, and an SEV-SNP platform
   * template; with {@code allowDebug}, a second template that accepts debuggable guests.
   */
  private static SignedPolicy policy(boolean allowDebug) throws Exception {
    return SignedPolicy.parse(policyFile(allowDebug), KeyMessages.publicPart(policyKey), NOW);
  }

  private static byte[] policyFile(boolean allowDebug) throws Exception {
    entity_message ark = Entities.key(KeyMessages.fromPublicKey(sp.ark().getPublicKey(),
        "ARK-Milan"));
    List<platform> templates = new ArrayList<>(List.of(template("no")));
    if (allowDebug) {
      templates.add(template("yes"));
    }
    signed_claim_sequence.Builder file = signed_claim_sequence.newBuilder()
        .addClaims(sign(Clauses.unary(ark, Verb.IS_TRUSTED_FOR_ATTESTATION)))
        .addClaims(sign(Clauses.unary(Entities.measurement(MEASUREMENT), Verb.IS_TRUSTED)));
    for (platform t : templates) {
      file.addClaims(sign(Clauses.unary(Entities.platform(t),
          Verb.HAS_TRUSTED_PLATFORM_PROPERTY)));
    }
    return file.build().toByteArray();
  }

  /**
   * {@code platform[amd-sev-snp, debug: <debug>, smt: yes, api-major >= 0, tcb-version >=
   * 0x7308000000000003, tcb-snp >= 8, tcb-microcode >= 115]}.
   */
  private static platform template(String debug) {
    return platform.newBuilder().setPlatformType("amd-sev-snp").setProps(properties.newBuilder()
            .addProps(string("debug", debug))
            .addProps(string("smt", "yes"))
            .addProps(atLeast("api-major", 0))
            .addProps(atLeast("tcb-version", sp.tcb()))
            .addProps(atLeast("tcb-snp", 8))
            .addProps(atLeast("tcb-microcode", 115)))
        .build();
  }

  private static org.certifier.proto.signed_claim_message sign(
      org.certifier.proto.vse_clause statement) throws Exception {
    return SignedClaims.sign(Clauses.says(Entities.key(KeyMessages.publicPart(policyKey)),
        statement), policyKey, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(365)),
        "sev-test policy");
  }

  private static property string(String name, String value) {
    return property.newBuilder().setPropertyName(name).setValueType("string")
        .setComparator("=").setStringValue(value).build();
  }

  private static property atLeast(String name, long value) {
    return property.newBuilder().setPropertyName(name).setValueType("int")
        .setComparator(">=").setIntValue(value).build();
  }

  /** A guest whose reports {@code guest} describes, on the fake chip. */
  private static FakeConfigfsTsm guest(Consumer<FakeAmdSp.ReportBuilder> guest) {
    return sp.configfsTsm(guest, true);
  }

  private static SevSnpEnclave enclave(FakeConfigfsTsm tsm) throws Exception {
    byte[] derivedKey = new byte[SevSnpEnclave.DERIVED_KEY_SIZE];
    Arrays.fill(derivedKey, (byte) 0x42);
    return SevSnpEnclave.builder().reportRoot(tsm.reportRoot()).derivedSealingKey(derivedKey)
        .build();
  }

  /** The same calls as on the simulated enclave: open, keys, domain; certify is the test's. */
  private TrustManager trustManager(FakeConfigfsTsm tsm, Service service) throws Exception {
    TrustManager tm = TrustManager.open(enclave(tsm), dir.resolve("store"), CLOCK);
    tm.initializeKeys("rsa-2048", "aes-256-cbc-hmac-sha256", false);
    tm.addDomain(DOMAIN, keys.certificate(), "127.0.0.1", service.server.port());
    return tm;
  }

  private static byte[] sha384(String text) {
    try {
      return MessageDigest.getInstance("SHA-384").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Decision.Rejected rejected(Service service) {
    return assertInstanceOf(Decision.Rejected.class, service.decisions.get(0));
  }

  /** The certifier behind the real TCP listener, trusting the fake AMD's roots. */
  private static final class Service implements AutoCloseable {
    final List<Decision> decisions = new CopyOnWriteArrayList<>();
    final CertifierTcpServer server;

    Service(SignedPolicy policy) throws Exception {
      AmdRoots fakeRoots = AmdRoots.insecureForTesting(List.of(new AmdRoots.ProductRoots(
          SnpProduct.MILAN, sp.ark(), sp.ask(), sp.asvk())));
      AtomicLong serial = new AtomicLong(1000);
      Certifier certifier = new Certifier(keys, () -> policy, List.of(new VseVerifier(),
          new SevEvidenceVerifier(fakeRoots)), () -> BigInteger.valueOf(serial.incrementAndGet()),
          CLOCK, Duration.ofDays(1));
      server = CertifierTcpServer.start(certifier, "127.0.0.1", 0,
          CertifierTcpServer.Limits.defaults(),
          (decision, request, requester) -> decisions.add(decision));
    }

    @Override
    public void close() throws Exception {
      server.close();
    }
  }
}
