package org.certifier.verifiers.sevsnp;

import static org.certifier.verifiers.sevsnp.SevPackages.ENCLAVE_KEY;
import static org.certifier.verifiers.sevsnp.SevPackages.MEASUREMENT;
import static org.certifier.verifiers.sevsnp.SevPackages.attestation;
import static org.certifier.verifiers.sevsnp.SevPackages.item;
import static org.certifier.verifiers.sevsnp.SevPackages.report;
import static org.certifier.verifiers.sevsnp.SevPackages.userData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.certifier.crypto.Certificates;
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
import org.certifier.proto.key_message;
import org.certifier.proto.platform;
import org.certifier.proto.properties;
import org.certifier.proto.property;
import org.certifier.proto.proof;
import org.certifier.proto.sev_attestation_message;
import org.certifier.proto.vse_clause;
import org.certifier.testing.amd.FakeAmdSp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The reference's SEV-SNP evidence package made by a {@link FakeAmdSp}, and every way to break
 * it, each named after the failure it must produce; then the real Milan vectors in the same
 * shape.
 */
class SevEvidenceVerifierTest {
  private static final Instant NOW = FakeAmdSp.TIME;
  private static FakeAmdSp sp;
  private static SevEvidenceVerifier verifier;

  @BeforeAll
  static void fakeAmd() {
    sp = FakeAmdSp.milan();
    verifier = new SevEvidenceVerifier(FakeAmdRoots.of(sp));
  }

  @Test
  void theReferenceShapeProvesTheSevStatements() throws Exception {
    VerifiedEvidence verified = verifier.verify(SevPackages.valid(sp), NOW);

    assertTrue(Equality.sameKey(ENCLAVE_KEY, verified.enclaveKey()));
    List<vse_clause> s = verified.statements();
    assertEquals(4, s.size());
    entity_message ark = Entities.key(KeyMessages.fromCertificate(sp.ark()));
    entity_message ask = Entities.key(KeyMessages.fromCertificate(sp.ask()));
    entity_message vcek = Entities.key(KeyMessages.fromCertificate(sp.vcek()));
    assertEquals(Clauses.says(ark, Clauses.unary(ask, Verb.IS_TRUSTED_FOR_ATTESTATION)),
        s.get(0));
    assertEquals(Clauses.says(ask, Clauses.unary(vcek, Verb.IS_TRUSTED_FOR_ATTESTATION)),
        s.get(1));
    assertEquals(List.of("ARK-Milan", "SEV-Milan", "SEV-VCEK"), List.of(
        s.get(0).getSubject().getKey().getKeyName(), s.get(1).getSubject().getKey().getKeyName(),
        s.get(2).getSubject().getKey().getKeyName()));
    entity_message env = s.get(2).getClause().getSubject();
    assertEquals(Clauses.says(vcek, Clauses.unary(env, Verb.IS_ENVIRONMENT)), s.get(2));
    assertEquals(Clauses.says(vcek, Clauses.simple(Entities.key(verified.enclaveKey()),
        Verb.SPEAKS_FOR, env)), s.get(3));
    assertEquals(ByteString.copyFrom(MEASUREMENT), env.getEnvironmentEnt().getTheMeasurement());
    platform p = env.getEnvironmentEnt().getThePlatform();
    assertEquals("amd-sev-snp", p.getPlatformType());
    assertEquals("debug: no", Statements.describe(Entities.platform(p)).split(", ")[3]);
  }

  @Test
  void theStatementsProveAuthenticationUnderAnSevPolicy() throws Exception {
    VerifiedEvidence verified = verifier.verify(SevPackages.valid(sp), NOW);
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    entity_message policyKey = Entities.key(KeyMessages.fromPublicKey(
        generator.generateKeyPair().getPublic(), "policyKey"));
    platform template = platform.newBuilder().setPlatformType("amd-sev-snp")
        .setProps(properties.newBuilder()
            .addProps(property.newBuilder().setPropertyName("debug").setValueType("string")
                .setStringValue("no"))
            .addProps(property.newBuilder().setPropertyName("tcb-microcode").setValueType("int")
                .setComparator(">=").setIntValue(100)))
        .build();
    List<vse_clause> known = new ArrayList<>(List.of(
        Clauses.unary(policyKey, Verb.IS_TRUSTED),
        Clauses.says(policyKey, Clauses.unary(Entities.key(KeyMessages.fromCertificate(
            sp.ark())), Verb.IS_TRUSTED_FOR_ATTESTATION)),
        Clauses.says(policyKey, Clauses.unary(Entities.measurement(MEASUREMENT),
            Verb.IS_TRUSTED)),
        Clauses.says(policyKey, Clauses.unary(Entities.platform(template),
            Verb.HAS_TRUSTED_PLATFORM_PROPERTY))));
    known.addAll(verified.statements());
    vse_clause goal = Clauses.unary(Entities.key(verified.enclaveKey()),
        Verb.IS_TRUSTED_FOR_AUTHENTICATION);

    proof p = Prover.prove(goal, known);

    ProofChecker.check(goal, p, known);
  }

  // --- malformed-evidence: the package is not the reference's shape -------------------------

  @Test
  void malformedEvidenceWhenItemsAreMissingOrExtra() throws Exception {
    evidence_package valid = SevPackages.valid(sp);
    assertFailure(Failure.MALFORMED_EVIDENCE, verify(valid.toBuilder()
        .removeFactAssertion(1).build()));
    assertFailure(Failure.MALFORMED_EVIDENCE, verify(valid.toBuilder()
        .addFactAssertion(valid.getFactAssertion(2)).build()));
    assertFailure(Failure.MALFORMED_EVIDENCE, verify(evidence_package.getDefaultInstance()));
  }

  @Test
  void malformedEvidenceWhenItemsAreReordered() throws Exception {
    byte[] said = userData();
    byte[] att = attestation(said, report(sp, said));
    // ASK before ARK, VCEK first, attestation first.
    assertFailure(Failure.MALFORMED_EVIDENCE,
        verify(SevPackages.of(sp.askDer(), sp.arkDer(), sp.vcekDer(), att)));
    assertFailure(Failure.MALFORMED_EVIDENCE,
        verify(SevPackages.of(sp.vcekDer(), sp.askDer(), sp.arkDer(), att)));
    assertFailure(Failure.MALFORMED_EVIDENCE, verify(SevPackages.of(sp.arkDer(), sp.askDer(),
        sp.vcekDer(), att).toBuilder().clearFactAssertion()
        .addFactAssertion(item("sev-attestation", att)).addFactAssertion(item("cert", sp.arkDer()))
        .addFactAssertion(item("cert", sp.askDer())).addFactAssertion(item("cert", sp.vcekDer()))
        .build()));
  }

  @Test
  void malformedEvidenceWhenAnItemHasAnotherTypeOrNoBytes() throws Exception {
    evidence_package valid = SevPackages.valid(sp);
    assertFailure(Failure.MALFORMED_EVIDENCE, verify(valid.toBuilder()
        .setFactAssertion(0, item("pem-cert-chain", sp.arkDer())).build()));
    assertFailure(Failure.MALFORMED_EVIDENCE, verify(valid.toBuilder()
        .setFactAssertion(3, valid.getFactAssertion(3).toBuilder()
            .setEvidenceType("signed-vse-attestation-report")).build()));
    assertFailure(Failure.MALFORMED_EVIDENCE, verify(valid.toBuilder()
        .setFactAssertion(2, valid.getFactAssertion(2).toBuilder().clearSerializedEvidence())
        .build()));
  }

  @Test
  void malformedEvidenceWhenACertificateOrTheAttestationDoesNotParse() throws Exception {
    evidence_package valid = SevPackages.valid(sp);
    byte[] pem = ("-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder()
        .encodeToString(sp.askDer()) + "\n-----END CERTIFICATE-----\n")
        .getBytes(StandardCharsets.US_ASCII);
    assertFailure(Failure.MALFORMED_EVIDENCE, verify(valid.toBuilder()
        .setFactAssertion(1, item("cert", pem)).build()));
    assertFailure(Failure.MALFORMED_EVIDENCE, verify(valid.toBuilder()
        .setFactAssertion(2, item("cert", Arrays.copyOf(sp.vcekDer(), 100))).build()));
    assertFailure(Failure.MALFORMED_EVIDENCE, verify(valid.toBuilder()
        .setFactAssertion(3, item("sev-attestation", new byte[] {(byte) 0xff, 1, 2})).build()));
    byte[] reportOnly = sev_attestation_message.newBuilder()
        .setReportedAttestation(ByteString.copyFrom(report(sp, userData()))).build()
        .toByteArray();
    assertFailure(Failure.MALFORMED_EVIDENCE, verify(valid.toBuilder()
        .setFactAssertion(3, item("sev-attestation", reportOnly)).build()));
  }

  @Test
  void malformedEvidenceWhenTheReportIsTruncatedOrPadded() throws Exception {
    byte[] said = userData();
    byte[] report = report(sp, said);
    for (int length : new int[] {0, 0x2A0, report.length - 1, report.length + 1}) {
      assertFailure(Failure.MALFORMED_EVIDENCE, verify(SevPackages.of(sp.arkDer(), sp.askDer(),
          sp.vcekDer(), attestation(said, Arrays.copyOf(report, length)))));
    }
  }

  @Test
  void malformedEvidenceWhenTheAttestedUserDataIsNotUsable() throws Exception {
    byte[] notUserData = {(byte) 0xff, (byte) 0xff};
    assertFailure(Failure.MALFORMED_EVIDENCE, verify(attesting(notUserData)));
    byte[] noKey = org.certifier.proto.attestation_user_data.newBuilder()
        .setEnclaveType("sev-enclave").build().toByteArray();
    assertFailure(Failure.MALFORMED_EVIDENCE, verify(attesting(noKey)));
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    key_message privateKey = KeyMessages.fromKeyPair(pair, "auth-key");
    assertFailure(Failure.MALFORMED_EVIDENCE,
        verify(attesting(userData(privateKey, "sev-enclave"))));
  }

  @Test
  void unsupportedEvidenceTypeForAnotherEnclaveType() throws Exception {
    assertFailure(Failure.UNSUPPORTED_EVIDENCE_TYPE,
        verify(attesting(userData(ENCLAVE_KEY, "simulated-enclave"))));
  }

  // --- the chain --------------------------------------------------------------------------

  @Test
  void untrustedRootWhenThePackagesArkIsNotThePinnedOne() throws Exception {
    FakeAmdSp other = FakeAmdSp.of(FakeAmdSp.Product.MILAN, 7);
    byte[] said = userData();
    byte[] att = attestation(said, report(sp, said));
    // Another self-signed "ARK-Milan", and AMD's real one (which these fake roots do not pin).
    assertFailure(Failure.UNTRUSTED_ROOT,
        verify(SevPackages.of(other.arkDer(), sp.askDer(), sp.vcekDer(), att)));
    byte[] realArk = AmdRoots.embedded().forProduct(SnpProduct.MILAN).ark().getEncoded();
    assertFailure(Failure.UNTRUSTED_ROOT,
        verify(SevPackages.of(realArk, sp.askDer(), sp.vcekDer(), att)));
    // And with no roots at all for the VCEK's product.
    FakeAmdSp turin = FakeAmdSp.of(FakeAmdSp.Product.TURIN);
    byte[] turinSaid = userData();
    assertFailure(Failure.UNTRUSTED_ROOT, verify(SevPackages.of(turin.arkDer(), turin.askDer(),
        turin.vcekDer(), attestation(turinSaid, report(turin, turinSaid)))));
  }

  @Test
  void badCertificateChainWhenTheAskOrVcekComesFromAnotherAmd() throws Exception {
    FakeAmdSp other = FakeAmdSp.of(FakeAmdSp.Product.MILAN, 7);
    byte[] said = userData();
    assertFailure(Failure.BAD_CERTIFICATE_CHAIN, verify(SevPackages.of(sp.arkDer(),
        other.askDer(), other.vcekDer(), attestation(said, report(other, said)))));
    // The right ASK, but a VCEK it did not sign.
    assertFailure(Failure.BAD_CERTIFICATE_CHAIN, verify(SevPackages.of(sp.arkDer(),
        sp.askDer(), other.vcekDer(), attestation(said, report(other, said)))));
  }

  @Test
  void expiredWhenTheChainIsOutOfDate() throws Exception {
    VerificationException e = assertThrows(VerificationException.class,
        () -> verifier.verify(SevPackages.valid(sp), FakeAmdSp.NOT_AFTER.plusSeconds(1)));
    assertEquals(Failure.EXPIRED, e.failure());
  }

  // --- the report -------------------------------------------------------------------------

  @Test
  void badSignatureWhenAReportByteFlips() throws Exception {
    byte[] said = userData();
    byte[] report = report(sp, said);
    for (int offset : new int[] {FakeAmdSp.MEASUREMENT, FakeAmdSp.REPORT_DATA + 63,
        FakeAmdSp.SIGNATURE, FakeAmdSp.SIGNATURE + 0x48 + 5}) {
      byte[] flipped = report.clone();
      flipped[offset] ^= 0x01;
      assertFailure(Failure.BAD_SIGNATURE, verify(SevPackages.of(sp.arkDer(), sp.askDer(),
          sp.vcekDer(), attestation(said, flipped))));
    }
  }

  @Test
  void reportDataMismatchWhenTheReportAttestsOtherBytes() throws Exception {
    byte[] said = userData();
    // The report binds different user data than the package carries.
    assertFailure(Failure.REPORT_DATA_MISMATCH, verify(SevPackages.of(sp.arkDer(),
        sp.askDer(), sp.vcekDer(), attestation(said, report(sp, userData(
            SevPackages.ENCLAVE_KEY.toBuilder().setKeyName("other").build(), "sev-enclave"))))));
    // The right hash, but not followed by zeros.
    byte[] reportData = SevPackages.reportData(said);
    reportData[63] = 1;
    byte[] report = sp.report().measurement(MEASUREMENT).reportData(reportData).signed();
    assertFailure(Failure.REPORT_DATA_MISMATCH, verify(SevPackages.of(sp.arkDer(),
        sp.askDer(), sp.vcekDer(), attestation(said, report))));
  }

  @Test
  void tcbMismatchWhenTheReportClaimsATcbItsVcekWasNotMadeFor() throws Exception {
    byte[] said = userData();
    byte[] report = sp.report().measurement(MEASUREMENT).reportData(SevPackages.reportData(said))
        .reportedTcb(0x7309_0000_0000_0003L).signed();
    assertFailure(Failure.TCB_MISMATCH, verify(SevPackages.of(sp.arkDer(), sp.askDer(),
        sp.vcekDer(), attestation(said, report))));
  }

  @Test
  void aDebuggableGuestIsReportedAsSuchForThePolicyToDecide() throws Exception {
    byte[] said = userData();
    byte[] report = sp.report().measurement(MEASUREMENT).reportData(SevPackages.reportData(said))
        .policy(FakeAmdSp.DEFAULT_POLICY | FakeAmdSp.POLICY_DEBUG).signed();

    VerifiedEvidence verified = verifier.verify(SevPackages.of(sp.arkDer(), sp.askDer(),
        sp.vcekDer(), attestation(said, report)), NOW);

    platform p = verified.statements().get(2).getClause().getSubject().getEnvironmentEnt()
        .getThePlatform();
    assertTrue(p.getProps().getPropsList().contains(property.newBuilder()
        .setPropertyName("debug").setValueType("string").setStringValue("yes").build()));
  }

  // --- the real Milan vectors in the reference's shape -------------------------------------

  @Test
  void realReportsPassChainAndSignatureAndFailOnlyOnReportData() throws Exception {
    SevEvidenceVerifier real = new SevEvidenceVerifier(AmdRoots.embedded());
    List<X509Certificate> askArk = SnpVectors.chain("roots/ask_ark_milan.pem");
    byte[] ask = askArk.get(0).getEncoded();
    byte[] ark = askArk.get(1).getEncoded();
    byte[][][] vectors = {
        {SnpVectors.goSevGuestReport(), SnpVectors.goSevGuestVcek()},
        {SnpVectors.virteeReport(), SnpVectors.virteeVcek()}};
    for (byte[][] v : vectors) {
      // Their REPORT_DATA is a nonce, not the hash of any user data we have: everything
      // before that check must pass, so the failure must be exactly this one.
      evidence_package pkg = SevPackages.of(ark, ask, v[1], attestation(userData(), v[0]));
      assertFailure(Failure.REPORT_DATA_MISMATCH,
          () -> real.verify(pkg, SnpVectors.MILAN_TIME));
      // Which the signature check comes before.
      byte[] flipped = v[0].clone();
      flipped[FakeAmdSp.MEASUREMENT] ^= 1;
      assertFailure(Failure.BAD_SIGNATURE, () -> real.verify(SevPackages.of(ark, ask, v[1],
          attestation(userData(), flipped)), SnpVectors.MILAN_TIME));
      // What follows that check, keys from the certificates, works on AMD's real ones too.
      for (byte[] der : new byte[][] {ark, ask, v[1]}) {
        assertEquals(Certificates.parseDer(der).getPublicKey(), KeyMessages.toPublicKey(
            KeyMessages.fromCertificate(Certificates.parseDer(der))));
      }
      // And a forged ARK-Milan in the package is caught before anything else.
      assertFailure(Failure.UNTRUSTED_ROOT, () -> real.verify(SevPackages.of(sp.arkDer(), ask,
          v[1], attestation(userData(), v[0])), SnpVectors.MILAN_TIME));
    }
  }

  private static evidence_package attesting(byte[] said) throws Exception {
    return SevPackages.of(sp.arkDer(), sp.askDer(), sp.vcekDer(),
        attestation(said, report(sp, said)));
  }

  private static Executable verify(evidence_package pkg) {
    return () -> verifier.verify(pkg, NOW);
  }

  private static void assertFailure(Failure expected, Executable executable) {
    VerificationException e = assertThrows(VerificationException.class, executable);
    assertEquals(expected, e.failure(), e.getMessage());
  }
}
