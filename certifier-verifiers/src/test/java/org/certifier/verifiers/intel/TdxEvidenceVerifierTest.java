package org.certifier.verifiers.intel;

import static org.certifier.verifiers.intel.IntelPackages.ENCLAVE_KEY;
import static org.certifier.verifiers.intel.IntelPackages.NOW;
import static org.certifier.verifiers.intel.IntelPackages.assertFailure;
import static org.certifier.verifiers.intel.IntelPackages.item;
import static org.certifier.verifiers.intel.IntelPackages.reportData;
import static org.certifier.verifiers.intel.IntelPackages.tdx;
import static org.certifier.verifiers.intel.IntelPackages.tdxAttestation;
import static org.certifier.verifiers.intel.IntelPackages.userData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.certifier.crypto.KeyMessages;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.evidence.VerifiedEvidence;
import org.certifier.policy.Clauses;
import org.certifier.policy.Entities;
import org.certifier.policy.Equality;
import org.certifier.policy.ProofChecker;
import org.certifier.policy.Prover;
import org.certifier.policy.Statements;
import org.certifier.policy.Verb;
import org.certifier.proto.entity_message;
import org.certifier.proto.evidence_package;
import org.certifier.proto.platform;
import org.certifier.proto.properties;
import org.certifier.proto.property;
import org.certifier.proto.proof;
import org.certifier.proto.tdx_attestation_message;
import org.certifier.proto.vse_clause;
import org.certifier.testing.intel.FakeIntelBundle;
import org.certifier.testing.intel.FakeIntelDcap;
import org.certifier.testing.intel.FakeIntelDcap.Tee;
import org.certifier.verifiers.collateral.BundleDirectory;
import org.certifier.verifiers.dcap.IntelRoots;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tdx-evidence} from a {@link FakeIntelDcap} with collateral from a bundle directory:
 * what a valid package proves, and every way to break it, each with its failure code.
 */
class TdxEvidenceVerifierTest {
  @TempDir
  static Path dir;
  private static FakeIntelDcap dcap;
  private static byte[] mrTd;
  private static TdxEvidenceVerifier verifier;

  @BeforeAll
  static void fakeIntel() throws Exception {
    dcap = FakeIntelDcap.create();
    mrTd = dcap.filler("the TD's MRTD", 48);
    verifier = verifier(FakeIntelBundle.write(dir.resolve("default"), dcap));
  }

  private static TdxEvidenceVerifier verifier(Path bundle) throws VerificationException {
    return new TdxEvidenceVerifier(IntelRoots.insecureForTesting(dcap.rootCa()),
        new BundleDirectory(bundle));
  }

  @Test
  void aValidPackageProvesTheIntelStatements() throws Exception {
    VerifiedEvidence verified = verifier.verify(IntelPackages.validTdx(dcap, mrTd), NOW);

    assertTrue(Equality.sameKey(ENCLAVE_KEY, verified.enclaveKey()));
    List<vse_clause> s = verified.statements();
    entity_message root = Entities.key(KeyMessages.fromCertificate(dcap.rootCa()));
    entity_message pck = Entities.key(KeyMessages.fromCertificate(dcap.pckCertificate()));
    assertEquals(4, s.size());
    assertTrue(Equality.sameEntity(root, s.get(0).getSubject()));
    assertEquals(List.of("Intel SGX Root CA", "Intel SGX PCK Platform CA",
        "Intel SGX PCK Certificate"), List.of(s.get(0).getSubject().getKey().getKeyName(),
            s.get(1).getSubject().getKey().getKeyName(),
            s.get(2).getSubject().getKey().getKeyName()));
    assertTrue(Equality.sameEntity(pck, s.get(2).getSubject()));
    entity_message env = s.get(2).getClause().getSubject();
    assertEquals(Clauses.says(s.get(2).getSubject(), Clauses.unary(env, Verb.IS_ENVIRONMENT)),
        s.get(2));
    assertEquals(Clauses.says(s.get(2).getSubject(), Clauses.simple(
        Entities.key(verified.enclaveKey()), Verb.SPEAKS_FOR, env)), s.get(3));
    assertEquals(ByteString.copyFrom(mrTd), env.getEnvironmentEnt().getTheMeasurement());
    String described = Statements.describe(env);
    assertTrue(described.startsWith("environment[platform[intel-tdx, no key, debug: no,"
        + " tcb-status: UpToDate, advisory-ids: , cpu-svn-0: 3, "), described);
    assertTrue(described.contains("tee-tcb-svn-0: 6, tee-tcb-svn-1: 1, "), described);
    assertTrue(described.contains("pce-svn: 13, qe-svn: 8, "), described);
  }

  @Test
  void theStatementsProveAuthenticationUnderATdxPolicy() throws Exception {
    List<vse_clause> known = policy(verifier.verify(IntelPackages.validTdx(dcap, mrTd), NOW),
        atLeast("tee-tcb-svn-0", 6), atLeast("qe-svn", 8));
    vse_clause goal = Clauses.unary(Entities.key(ENCLAVE_KEY),
        Verb.IS_TRUSTED_FOR_AUTHENTICATION);

    proof p = Prover.prove(goal, known);

    ProofChecker.check(goal, p, known);
  }

  @Test
  void aDebugTdIsVerifiedButNoSilentPolicyAcceptsIt() throws Exception {
    byte[] said = userData(TdxEvidenceVerifier.ENCLAVE_TYPE);
    evidence_package debugTd = tdx(tdxAttestation(said, dcap.tdxQuote().mrTd(mrTd).debug(true)
        .reportData(reportData("SHA-384", said)).signed()));
    List<vse_clause> known = policy(verifier.verify(debugTd, NOW), atLeast("qe-svn", 8));

    VerificationException e = org.junit.jupiter.api.Assertions.assertThrows(
        VerificationException.class, () -> Prover.prove(Clauses.unary(
            Entities.key(ENCLAVE_KEY), Verb.IS_TRUSTED_FOR_AUTHENTICATION), known));
    assertEquals(Failure.DEBUG_NOT_ALLOWED, e.failure());
    assertTrue(e.getMessage().contains("debug: the host can debug this platform"),
        e.getMessage());
  }

  @Test
  void anOutOfDateTcbIsReportedForThePolicyToRefuse() throws Exception {
    Path bundle = FakeIntelBundle.write(dir.resolve("out-of-date"),
        dcap.collateral(Tee.SGX).build(), dcap.collateral(Tee.TDX)
            .tcbLevels(dcap.platformTcbLevel("OutOfDate", "INTEL-SA-00837")).build());
    VerifiedEvidence verified = verifier(bundle).verify(IntelPackages.validTdx(dcap, mrTd), NOW);

    String described = Statements.describe(verified.statements().get(2).getClause()
        .getSubject());
    assertTrue(described.contains("tcb-status: OutOfDate, advisory-ids: INTEL-SA-00837"),
        described);
    VerificationException e = org.junit.jupiter.api.Assertions.assertThrows(
        VerificationException.class, () -> Prover.prove(Clauses.unary(
            Entities.key(ENCLAVE_KEY), Verb.IS_TRUSTED_FOR_AUTHENTICATION),
            policy(verified, atLeast("qe-svn", 8))));
    assertEquals(Failure.TCB_STATUS_NOT_ACCEPTED, e.failure());
  }

  @Test
  void tcbStatusNotAcceptedWhenIntelRevokedTheTcbLevel() throws Exception {
    Path bundle = FakeIntelBundle.write(dir.resolve("revoked-level"),
        dcap.collateral(Tee.SGX).build(), dcap.collateral(Tee.TDX)
            .tcbLevels(dcap.platformTcbLevel("Revoked", "INTEL-SA-00837")).build());
    assertFailure(Failure.TCB_STATUS_NOT_ACCEPTED, verifier(bundle),
        IntelPackages.validTdx(dcap, mrTd));
  }

  @Test
  void certificateRevokedWhenThePckIsOnItsCasCrl() throws Exception {
    Path bundle = FakeIntelBundle.write(dir.resolve("revoked-pck"), dcap.collateral(Tee.SGX)
        .revokedPckSerials(FakeIntelDcap.serialOf(dcap.pckCertificateDer())).build(),
        dcap.collateral(Tee.TDX).build());
    assertFailure(Failure.CERTIFICATE_REVOKED, verifier(bundle),
        IntelPackages.validTdx(dcap, mrTd));
  }

  @Test
  void collateralUnavailableWithoutCollateral() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertFailure(Failure.COLLATERAL_UNAVAILABLE, verifier(empty),
        IntelPackages.validTdx(dcap, mrTd));
  }

  @Test
  void untrustedRootForAnotherIntel() throws Exception {
    FakeIntelDcap other = FakeIntelDcap.builder().seed(7).build();
    assertFailure(Failure.UNTRUSTED_ROOT, verifier, IntelPackages.validTdx(other, mrTd));
  }

  @Test
  void badSignatureWhenAQuoteByteFlips() throws Exception {
    byte[] said = userData(TdxEvidenceVerifier.ENCLAVE_TYPE);
    byte[] quote = dcap.tdxQuote().mrTd(mrTd).reportData(reportData("SHA-384", said)).signed();
    quote[FakeIntelDcap.HEADER_SIZE + FakeIntelDcap.TD_MR_TD] ^= 1;
    assertFailure(Failure.BAD_SIGNATURE, verifier, tdx(tdxAttestation(said, quote)));
  }

  @Test
  void reportDataMismatchWhenTheQuoteBindsSomethingElse() throws Exception {
    byte[] said = userData(TdxEvidenceVerifier.ENCLAVE_TYPE);
    byte[] other = userData("tdx-enclave-2");
    assertFailure(Failure.REPORT_DATA_MISMATCH, verifier, tdx(tdxAttestation(said,
        dcap.tdxQuote().mrTd(mrTd).reportData(reportData("SHA-384", other)).signed())));
    // All 64 bytes count: the last of the 16 zero bytes set.
    byte[] almost = reportData("SHA-384", said);
    almost[63] = 1;
    assertFailure(Failure.REPORT_DATA_MISMATCH, verifier, tdx(tdxAttestation(said,
        dcap.tdxQuote().mrTd(mrTd).reportData(almost).signed())));
    // Gramine's binding is not TDX's.
    assertFailure(Failure.REPORT_DATA_MISMATCH, verifier, tdx(tdxAttestation(said,
        dcap.tdxQuote().mrTd(mrTd).reportData(reportData("SHA-256", said)).signed())));
  }

  @Test
  void unsupportedEvidenceTypeForAnotherEnclaveType() throws Exception {
    byte[] said = userData("gramine-enclave");
    assertFailure(Failure.UNSUPPORTED_EVIDENCE_TYPE, verifier, tdx(tdxAttestation(said,
        dcap.tdxQuote().mrTd(mrTd).reportData(reportData("SHA-384", said)).signed())));
  }

  @Test
  void unsupportedEvidenceTypeForAnSgxQuote() throws Exception {
    byte[] said = userData(TdxEvidenceVerifier.ENCLAVE_TYPE);
    assertFailure(Failure.UNSUPPORTED_EVIDENCE_TYPE, verifier, tdx(tdxAttestation(said,
        dcap.sgxQuote().reportData(reportData("SHA-384", said)).signed())));
  }

  @Test
  void malformedEvidenceForTheWrongShape() throws Exception {
    evidence_package valid = IntelPackages.validTdx(dcap, mrTd);
    byte[] attestation = valid.getFactAssertion(0).getSerializedEvidence().toByteArray();
    assertFailure(Failure.MALFORMED_EVIDENCE, verifier, evidence_package.getDefaultInstance());
    assertFailure(Failure.MALFORMED_EVIDENCE, verifier, valid.toBuilder()
        .addFactAssertion(valid.getFactAssertion(0)).build());
    assertFailure(Failure.MALFORMED_EVIDENCE, verifier, valid.toBuilder()
        .setFactAssertion(0, item("sev-attestation", attestation)).build());
    assertFailure(Failure.MALFORMED_EVIDENCE, verifier, tdx(new byte[0]));
    assertFailure(Failure.MALFORMED_EVIDENCE, verifier, tdx(new byte[] {(byte) 0xff, 1}));
    tdx_attestation_message message = tdx_attestation_message.parseFrom(attestation);
    assertFailure(Failure.MALFORMED_EVIDENCE, verifier, tdx(message.toBuilder()
        .clearWhatWasSaid().build().toByteArray()));
    assertFailure(Failure.MALFORMED_EVIDENCE, verifier, tdx(message.toBuilder()
        .clearReportedAttestation().build().toByteArray()));
  }

  @Test
  void malformedEvidenceForTruncatedItems() throws Exception {
    byte[] attestation = IntelPackages.validTdx(dcap, mrTd).getFactAssertion(0)
        .getSerializedEvidence().toByteArray();
    tdx_attestation_message message = tdx_attestation_message.parseFrom(attestation);
    byte[] quote = message.getReportedAttestation().toByteArray();
    for (int length : new int[] {1, FakeIntelDcap.HEADER_SIZE, FakeIntelDcap.HEADER_SIZE
        + FakeIntelDcap.TD10_REPORT_BODY_SIZE, quote.length - 1}) {
      assertFailure(Failure.MALFORMED_EVIDENCE, verifier, tdx(tdxAttestation(
          message.getWhatWasSaid().toByteArray(), Arrays.copyOf(quote, length))));
    }
    for (int length : new int[] {1, attestation.length / 2, attestation.length - 1}) {
      assertFailure(Failure.MALFORMED_EVIDENCE, verifier,
          tdx(Arrays.copyOf(attestation, length)));
    }
  }

  /** The policy statements of a TDX domain and the verified statements. */
  static List<vse_clause> policy(VerifiedEvidence verified, property... template)
      throws Exception {
    entity_message policyKey = Entities.key(KeyMessages.fromPublicKey(
        KeyMessages.toPublicKey(ENCLAVE_KEY), "policyKey"));
    platform p = platform.newBuilder().setPlatformType(IntelProperties.TDX_PLATFORM_TYPE)
        .setProps(properties.newBuilder().addAllProps(List.of(template))).build();
    List<vse_clause> known = new ArrayList<>(List.of(
        Clauses.unary(policyKey, Verb.IS_TRUSTED),
        Clauses.says(policyKey, Clauses.unary(Entities.key(KeyMessages.fromCertificate(
            dcap.rootCa())), Verb.IS_TRUSTED_FOR_ATTESTATION)),
        Clauses.says(policyKey, Clauses.unary(Entities.measurement(mrTd), Verb.IS_TRUSTED)),
        Clauses.says(policyKey, Clauses.unary(Entities.platform(p),
            Verb.HAS_TRUSTED_PLATFORM_PROPERTY))));
    known.addAll(verified.statements());
    return known;
  }

  static property atLeast(String name, long value) {
    return property.newBuilder().setPropertyName(name).setValueType("int").setComparator(">=")
        .setIntValue(value).build();
  }
}
