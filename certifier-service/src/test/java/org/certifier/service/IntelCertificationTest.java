package org.certifier.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
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
import org.certifier.client.enclave.Enclave;
import org.certifier.client.enclave.GramineEnclave;
import org.certifier.client.enclave.TdxEnclave;
import org.certifier.crypto.Certificates;
import org.certifier.crypto.KeyAlgorithm;
import org.certifier.crypto.KeyMessages;
import org.certifier.crypto.Randomness;
import org.certifier.evidence.Failure;
import org.certifier.policy.Clauses;
import org.certifier.policy.Entities;
import org.certifier.policy.Verb;
import org.certifier.proto.key_message;
import org.certifier.proto.platform;
import org.certifier.proto.properties;
import org.certifier.proto.property;
import org.certifier.proto.signed_claim_message;
import org.certifier.proto.signed_claim_sequence;
import org.certifier.proto.vse_clause;
import org.certifier.service.certify.Certifier;
import org.certifier.service.certify.Decision;
import org.certifier.service.issue.CertificateFactory;
import org.certifier.service.tcp.CertifierTcpServer;
import org.certifier.testing.intel.FakeGramineAttestation;
import org.certifier.testing.intel.FakeIntelBundle;
import org.certifier.testing.intel.FakeIntelDcap;
import org.certifier.testing.intel.FakeIntelDcap.TdxQuoteBuilder;
import org.certifier.testing.intel.FakeIntelDcap.Tee;
import org.certifier.testing.intel.FakeIntelPcs;
import org.certifier.testing.tsm.FakeConfigfsTsm;
import org.certifier.verifiers.collateral.BundleDirectory;
import org.certifier.verifiers.collateral.CollateralCache;
import org.certifier.verifiers.collateral.CollateralSource;
import org.certifier.verifiers.collateral.VendorServices;
import org.certifier.verifiers.dcap.IntelRoots;
import org.certifier.verifiers.intel.GramineEvidenceVerifier;
import org.certifier.verifiers.intel.TdxEvidenceVerifier;
import org.certifier.verifiers.vse.VseVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Programs on "TDX" and on "SGX under Gramine" certified end to end: the client library's
 * TdxEnclave on a fake configfs-tsm and GramineEnclave on fake {@code /dev/attestation}, both
 * backed by a fake Intel DCAP, the same TrustManager calls as on the simulated enclave, the
 * reference TCP protocol, the Intel verifiers with collateral from a fake PCS (through the
 * vendor-services client and its cache) or a bundle directory, the proof against a signed
 * policy; and the refusals a policy author or operator meets, each with its failure code on
 * the wire and a readable reason in the service's decision.
 */
class IntelCertificationTest {
  private static final Instant NOW = FakeIntelDcap.TIME;
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final String DOMAIN = "intel-test";

  private static FakeIntelDcap dcap;
  private static FakeIntelPcs pcs;
  private static byte[] mrTd;
  private static byte[] mrEnclave;
  private static key_message policyKey;
  private static DomainKeys keys;

  @TempDir
  Path dir;

  @BeforeAll
  static void domain() throws Exception {
    dcap = FakeIntelDcap.create();
    pcs = FakeIntelPcs.start(dcap);
    mrTd = dcap.filler("the intel-test TD's MRTD", 48);
    mrEnclave = dcap.filler("the intel-test enclave's MRENCLAVE", 32);
    KeyPair policyPair = KeyMessages.generate(KeyAlgorithm.RSA_2048, Randomness.secureRandom());
    policyKey = KeyMessages.fromKeyPair(policyPair, "policyKey");
    X509Certificate policyCert = CertificateFactory.policyCertificate(policyPair.getPrivate(),
        policyPair.getPublic(), "policyKey", DOMAIN + "/policyAuthority",
        NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(365)));
    keys = DomainKeys.of(policyKey, policyCert);
  }

  @AfterAll
  static void stopPcs() {
    pcs.close();
  }

  // --- TDX --------------------------------------------------------------------------------

  @Test
  void aProgramOnTdxIsCertifiedWithCollateralFromThePcs() throws Exception {
    try (Service service = new Service(policy(), fetching(pcs.baseUri()))) {
      X509Certificate cert = trustManager(tdx(td -> td.mrTd(mrTd)), service).certify(DOMAIN);

      assertEquals("Measured-" + HexFormat.of().formatHex(mrTd),
          Certificates.subjectAttribute(cert, "O").orElseThrow());
      Decision.Admitted admitted = assertInstanceOf(Decision.Admitted.class,
          service.decisions.get(0));
      assertTrue(admitted.proof().contains("environment-platform-is-trusted"), admitted.proof());
      assertTrue(pcs.requestCount("/tdx/certification/v4/tcb") >= 1);
    }
  }

  @Test
  void aDebugTdIsRefused() throws Exception {
    try (Service service = new Service(policy(), bundle(dcap.collateral(Tee.TDX).build()))) {
      TrustManagerException e = assertThrows(TrustManagerException.class, () -> trustManager(
          tdx(td -> td.mrTd(mrTd).debug(true)), service).certify(DOMAIN));

      assertEquals(Failure.DEBUG_NOT_ALLOWED, e.failure().orElseThrow());
      String reason = rejected(service).reason();
      assertTrue(reason.contains("debug: the host can debug this platform"), reason);
    }
  }

  @Test
  void anOutOfDateTcbIsRefusedUnlessThePolicyAcceptsIt() throws Exception {
    CollateralSource outOfDate = bundle(dcap.collateral(Tee.TDX)
        .tcbLevels(dcap.platformTcbLevel("OutOfDate", "INTEL-SA-00837")).build());
    try (Service service = new Service(policy(), outOfDate)) {
      TrustManagerException e = assertThrows(TrustManagerException.class,
          () -> trustManager(tdx(td -> td.mrTd(mrTd)), service).certify(DOMAIN));

      assertEquals(Failure.TCB_STATUS_NOT_ACCEPTED, e.failure().orElseThrow());
      String reason = rejected(service).reason();
      assertTrue(reason.contains("tcb-status: OutOfDate; a policy template that does not name"
          + " tcb-status accepts only UpToDate"), reason);
      assertTrue(reason.contains("INTEL-SA-00837"), reason);
    }
    try (Service service = new Service(policy(in("tcb-status", "UpToDate,OutOfDate"),
        in("advisory-ids", "INTEL-SA-00837")), outOfDate)) {
      trustManager(tdx(td -> td.mrTd(mrTd)), service).certify(DOMAIN);
    }
  }

  @Test
  void anUnknownMrtdIsRefused() throws Exception {
    byte[] other = mrTd.clone();
    other[0] ^= 1;
    try (Service service = new Service(policy(), bundle(dcap.collateral(Tee.TDX).build()))) {
      TrustManagerException e = assertThrows(TrustManagerException.class,
          () -> trustManager(tdx(td -> td.mrTd(other)), service).certify(DOMAIN));

      assertEquals(Failure.UNKNOWN_MEASUREMENT, e.failure().orElseThrow());
      assertTrue(rejected(service).reason().contains("no policy statement trusts this"
          + " measurement"), rejected(service).reason());
    }
  }

  @Test
  void aRevokedPckIsRefused() throws Exception {
    CollateralSource revoked = new BundleDirectory(FakeIntelBundle.write(dir.resolve("bundle"),
        dcap.collateral(Tee.SGX).revokedPckSerials(
            FakeIntelDcap.serialOf(dcap.pckCertificateDer())).build(),
        dcap.collateral(Tee.TDX).build()));
    try (Service service = new Service(policy(), revoked)) {
      TrustManagerException e = assertThrows(TrustManagerException.class,
          () -> trustManager(tdx(td -> td.mrTd(mrTd)), service).certify(DOMAIN));

      assertEquals(Failure.CERTIFICATE_REVOKED, e.failure().orElseThrow());
      assertTrue(rejected(service).reason().contains("is on the PCK CA's CRL"),
          rejected(service).reason());
    }
  }

  @Test
  void aPcsThatIsDownFailsClosed() throws Exception {
    URI down;
    try (FakeIntelPcs gone = FakeIntelPcs.start(dcap)) {
      down = gone.baseUri();
    }
    try (Service service = new Service(policy(), fetching(down))) {
      TrustManagerException e = assertThrows(TrustManagerException.class,
          () -> trustManager(tdx(td -> td.mrTd(mrTd)), service).certify(DOMAIN));

      assertEquals(Failure.COLLATERAL_UNAVAILABLE, e.failure().orElseThrow());
    }
  }

  // --- SGX under Gramine ------------------------------------------------------------------

  @Test
  void aGramineEnclaveIsCertifiedAndADebugOneRefused() throws Exception {
    try (Service service = new Service(policy(), fetching(pcs.baseUri()));
        FakeGramineAttestation gramine = FakeGramineAttestation.start(dir.resolve("sgx"), dcap,
            e -> e.mrEnclave(mrEnclave))) {
      X509Certificate cert = trustManager(gramine(gramine), service).certify(DOMAIN);
      assertEquals("Measured-" + HexFormat.of().formatHex(mrEnclave),
          Certificates.subjectAttribute(cert, "O").orElseThrow());
    }
    try (Service service = new Service(policy(), fetching(pcs.baseUri()));
        FakeGramineAttestation debug = FakeGramineAttestation.start(dir.resolve("sgx-debug"),
            dcap, e -> e.mrEnclave(mrEnclave).debug(true))) {
      TrustManagerException e = assertThrows(TrustManagerException.class,
          () -> trustManager(gramine(debug), service).certify(DOMAIN));
      assertEquals(Failure.DEBUG_NOT_ALLOWED, e.failure().orElseThrow());
      assertTrue(rejected(service).reason().contains("debug: the host can debug"),
          rejected(service).reason());
    }
  }

  @Test
  void anUnknownMrenclaveIsRefused() throws Exception {
    byte[] other = mrEnclave.clone();
    other[31] ^= 1;
    try (Service service = new Service(policy(), fetching(pcs.baseUri()));
        FakeGramineAttestation gramine = FakeGramineAttestation.start(dir.resolve("sgx"), dcap,
            e -> e.mrEnclave(other))) {
      TrustManagerException e = assertThrows(TrustManagerException.class,
          () -> trustManager(gramine(gramine), service).certify(DOMAIN));
      assertEquals(Failure.UNKNOWN_MEASUREMENT, e.failure().orElseThrow());
    }
  }

  // --- the wired service --------------------------------------------------------------------

  @Test
  void theWiredServiceTrustsIntelNotTheFake() throws Exception {
    Path keyFile = Files.write(dir.resolve("policy_key_file"), policyKey.toByteArray());
    Path certFile = Files.write(dir.resolve("policy_cert_file"),
        keys.certificate().getEncoded());
    Path policyFile = Files.write(dir.resolve("policy.bin"), policyFile());
    Path bundle = FakeIntelBundle.write(dir.resolve("bundle"), dcap);
    try (CertifierService service = CertifierService.start(CertifierService.Config.of(keyFile,
        certFile, policyFile).withAddress("127.0.0.1", 0).withStateDir(dir.resolve("state"))
        .withClock(CLOCK).withCollateral(CollateralSettings.NONE.withBundleDirectory(bundle)))) {
      TrustManager tm = TrustManager.open(tdx(td -> td.mrTd(mrTd)), dir.resolve("store"),
          CLOCK);
      tm.initializeKeys("rsa-2048", "aes-256-cbc-hmac-sha256", false);
      tm.addDomain(DOMAIN, keys.certificate(), "127.0.0.1", service.port());

      TrustManagerException e = assertThrows(TrustManagerException.class,
          () -> tm.certify(DOMAIN));

      // The fake's "Intel SGX Root CA" is not Intel's pinned one: the TDX verifier is wired.
      assertEquals(Failure.UNTRUSTED_ROOT, e.failure().orElseThrow());
    }
  }

  // --- the domain ---------------------------------------------------------------------------

  /**
   * The domain's policy: the fake Intel's root, MRTD and MRENCLAVE, a TDX template demanding a
   * minimum TDX module SVN and QE SVN (plus {@code tdx}), and an SGX template.
   */
  private static SignedPolicy policy(property... tdx) throws Exception {
    return SignedPolicy.parse(policyFile(tdx), KeyMessages.publicPart(policyKey), NOW);
  }

  private static byte[] policyFile(property... tdx) throws Exception {
    List<property> tdxProperties = new ArrayList<>(List.of(atLeast("tee-tcb-svn-0", 6),
        atLeast("qe-svn", 8)));
    tdxProperties.addAll(List.of(tdx));
    platform tdxTemplate = platform.newBuilder().setPlatformType("intel-tdx")
        .setProps(properties.newBuilder().addAllProps(tdxProperties)).build();
    platform sgxTemplate = platform.newBuilder().setPlatformType("sgx")
        .setProps(properties.newBuilder().addProps(atLeast("pce-svn", 13))).build();
    return signed_claim_sequence.newBuilder()
        .addClaims(sign(Clauses.unary(Entities.key(KeyMessages.fromCertificate(dcap.rootCa())),
            Verb.IS_TRUSTED_FOR_ATTESTATION)))
        .addClaims(sign(Clauses.unary(Entities.measurement(mrTd), Verb.IS_TRUSTED)))
        .addClaims(sign(Clauses.unary(Entities.measurement(mrEnclave), Verb.IS_TRUSTED)))
        .addClaims(sign(Clauses.unary(Entities.platform(tdxTemplate),
            Verb.HAS_TRUSTED_PLATFORM_PROPERTY)))
        .addClaims(sign(Clauses.unary(Entities.platform(sgxTemplate),
            Verb.HAS_TRUSTED_PLATFORM_PROPERTY)))
        .build().toByteArray();
  }

  private static signed_claim_message sign(vse_clause statement) throws Exception {
    return SignedClaims.sign(Clauses.says(Entities.key(KeyMessages.publicPart(policyKey)),
        statement), policyKey, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(365)),
        "intel-test policy");
  }

  private static property atLeast(String name, long value) {
    return property.newBuilder().setPropertyName(name).setValueType("int")
        .setComparator(">=").setIntValue(value).build();
  }

  private static property in(String name, String values) {
    return property.newBuilder().setPropertyName(name).setValueType("string")
        .setComparator("in").setStringValue(values).build();
  }

  /** Collateral from the PCS at {@code base} through the vendor-services client and cache. */
  private static CollateralSource fetching(URI base) {
    VendorServices.Endpoints endpoints = new VendorServices.Endpoints(
        URI.create("http://127.0.0.1:9"), base, base.resolve(FakeIntelPcs.ROOT_CRL_PATH));
    return new CollateralCache(new VendorServices(endpoints, new VendorServices.Limits(
        Duration.ofSeconds(2), Duration.ofSeconds(5), 1 << 20)),
        CollateralCache.Settings.DEFAULT, CLOCK, CollateralCache.Sleeper.REAL);
  }

  /** Collateral from a bundle directory: the default SGX collateral and {@code tdx}. */
  private CollateralSource bundle(org.certifier.testing.intel.Collateral tdx) throws Exception {
    return new BundleDirectory(FakeIntelBundle.write(Files.createTempDirectory(dir, "bundle"),
        dcap.collateral(Tee.SGX).build(), tdx));
  }

  /**
   * A TD whose quotes {@code td} describes, on the fake Intel's platform, with sealing key
   * material (a TD has no hardware sealing key; the TrustManager's store needs one).
   */
  private static TdxEnclave tdx(Consumer<TdxQuoteBuilder> td) throws Exception {
    FakeConfigfsTsm tsm = dcap.configfsTsm(td);
    byte[] material = new byte[TdxEnclave.SEALING_KEY_MATERIAL_SIZE];
    Arrays.fill(material, (byte) 0x42);
    return TdxEnclave.builder().reportRoot(tsm.reportRoot()).sealingKeyMaterial(material)
        .build();
  }

  private static GramineEnclave gramine(FakeGramineAttestation device) throws Exception {
    return GramineEnclave.builder().root(device.root())
        .platformCertificate(keys.certificate().getEncoded()).build();
  }

  /** The same calls as on the simulated enclave: open, keys, domain; certify is the test's. */
  private TrustManager trustManager(Enclave enclave, Service service) throws Exception {
    TrustManager tm = TrustManager.open(enclave, dir.resolve("store"), CLOCK);
    tm.initializeKeys("rsa-2048", "aes-256-cbc-hmac-sha256", false);
    tm.addDomain(DOMAIN, keys.certificate(), "127.0.0.1", service.server.port());
    return tm;
  }

  private static Decision.Rejected rejected(Service service) {
    return assertInstanceOf(Decision.Rejected.class, service.decisions.get(0));
  }

  /** The certifier behind the real TCP listener, trusting the fake Intel's root. */
  private static final class Service implements AutoCloseable {
    final List<Decision> decisions = new CopyOnWriteArrayList<>();
    final CertifierTcpServer server;

    Service(SignedPolicy policy, CollateralSource collateral) throws Exception {
      IntelRoots fakeRoot = IntelRoots.insecureForTesting(dcap.rootCa());
      AtomicLong serial = new AtomicLong(1000);
      Certifier certifier = new Certifier(keys, () -> policy, List.of(new VseVerifier(),
          new TdxEvidenceVerifier(fakeRoot, collateral),
          new GramineEvidenceVerifier(fakeRoot, collateral)),
          () -> BigInteger.valueOf(serial.incrementAndGet()), CLOCK, Duration.ofDays(1));
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
