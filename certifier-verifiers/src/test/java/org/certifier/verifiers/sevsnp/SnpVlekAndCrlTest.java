package org.certifier.verifiers.sevsnp;

import static org.certifier.verifiers.sevsnp.SevPackages.attestation;
import static org.certifier.verifiers.sevsnp.SevPackages.reportData;
import static org.certifier.verifiers.sevsnp.SevPackages.userData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.certifier.crypto.KeyMessages;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.evidence.VerifiedEvidence;
import org.certifier.policy.Clauses;
import org.certifier.policy.Entities;
import org.certifier.policy.Verb;
import org.certifier.proto.entity_message;
import org.certifier.proto.evidence_package;
import org.certifier.testing.amd.FakeAmdSp;
import org.certifier.verifiers.collateral.BundleDirectory;
import org.certifier.verifiers.collateral.CollateralKey;
import org.certifier.verifiers.collateral.EvidenceCollateral;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SEV-SNP package with a VLEK in place of the VCEK, and AMD's CRLs: revoked intermediates,
 * forged and out-of-date CRLs, and CRLs from the collateral sources.
 */
class SnpVlekAndCrlTest {
  private static final Instant NOW = FakeAmdSp.TIME;
  private static FakeAmdSp sp;
  private static AmdRoots roots;

  @BeforeAll
  static void fakeAmd() {
    sp = FakeAmdSp.milan();
    roots = FakeAmdRoots.of(sp);
  }

  /** A package of ARK, the given intermediate and leaf, and a report from {@code report}. */
  private static evidence_package vlekPackage(byte[] intermediate, FakeAmdSp.ReportBuilder report)
      throws Exception {
    byte[] said = userData();
    byte[] signed = report.measurement(SevPackages.MEASUREMENT).reportData(reportData(said))
        .signed();
    return SevPackages.of(sp.arkDer(), intermediate, sp.vlekDer(), attestation(said, signed));
  }

  private static Executable verify(SevEvidenceVerifier verifier, evidence_package pkg) {
    return () -> verifier.verify(pkg, NOW);
  }

  private static void assertFailure(Failure expected, Executable executable) {
    VerificationException e = assertThrows(VerificationException.class, executable);
    assertEquals(expected, e.failure(), e.getMessage());
  }

  // --- VLEK -------------------------------------------------------------------------------

  @Test
  void aVlekPackageProvesTheStatementsWithTheAsvkAndVlek() throws Exception {
    VerifiedEvidence verified = new SevEvidenceVerifier(roots)
        .verify(vlekPackage(sp.asvkDer(), sp.report().vlek()), NOW);

    entity_message ark = Entities.key(KeyMessages.fromCertificate(sp.ark()));
    entity_message asvk = Entities.key(KeyMessages.fromCertificate(sp.asvk()));
    entity_message vlek = Entities.key(KeyMessages.fromCertificate(
        org.certifier.crypto.Certificates.parseDer(sp.vlekDer())));
    assertEquals(Clauses.says(ark, Clauses.unary(asvk, Verb.IS_TRUSTED_FOR_ATTESTATION)),
        verified.statements().get(0));
    assertEquals(Clauses.says(asvk, Clauses.unary(vlek, Verb.IS_TRUSTED_FOR_ATTESTATION)),
        verified.statements().get(1));
    assertEquals(List.of("ARK-Milan", "SEV-VLEK-Milan", "SEV-VLEK"), List.of(
        verified.statements().get(0).getSubject().getKey().getKeyName(),
        verified.statements().get(1).getSubject().getKey().getKeyName(),
        verified.statements().get(2).getSubject().getKey().getKeyName()));
  }

  @Test
  void aVlekSignedReportLabelledVcekIsABadChain() throws Exception {
    assertFailure(Failure.BAD_CERTIFICATE_CHAIN, verify(new SevEvidenceVerifier(roots),
        vlekPackage(sp.asvkDer(), sp.report().vlek().signingKeyField(0))));
  }

  @Test
  void aVlekReportSignedByTheVcekIsABadSignature() throws Exception {
    // Labelled VLEK, certificate VLEK, but the VCEK signed it.
    assertFailure(Failure.BAD_SIGNATURE, verify(new SevEvidenceVerifier(roots),
        vlekPackage(sp.asvkDer(), sp.report().signingKeyField(1))));
  }

  @Test
  void theAskInPlaceOfTheAsvkIsABadChainAndViceVersa() throws Exception {
    SevEvidenceVerifier verifier = new SevEvidenceVerifier(roots);
    assertFailure(Failure.BAD_CERTIFICATE_CHAIN,
        verify(verifier, vlekPackage(sp.askDer(), sp.report().vlek())));
    byte[] said = userData();
    assertFailure(Failure.BAD_CERTIFICATE_CHAIN, verify(verifier, SevPackages.of(sp.arkDer(),
        sp.asvkDer(), sp.vcekDer(), attestation(said, SevPackages.report(sp, said)))));
  }

  @Test
  void aVlekIssuedByTheAskIsABadChain() throws Exception {
    // Named like a VLEK, placed after the ASVK, but signed by the ASK.
    byte[] forged = sp.certificate("SEV-VLEK", "SEV-VLEK-Milan", sp.vlekKeyPair().getPublic(),
        sp.askKey()).kdsExtensions("Milan", sp.tcb()).der();
    byte[] said = userData();
    byte[] report = sp.report().vlek().measurement(SevPackages.MEASUREMENT)
        .reportData(reportData(said)).signed();
    assertFailure(Failure.BAD_CERTIFICATE_CHAIN, verify(new SevEvidenceVerifier(roots),
        SevPackages.of(sp.arkDer(), sp.asvkDer(), forged, attestation(said, report))));
  }

  // --- CRLs -------------------------------------------------------------------------------

  @Test
  void aCurrentCrlThatRevokesNothingOfTheChainPasses() throws Exception {
    byte[] crl = sp.crl().revoke(BigInteger.valueOf(99)).der();
    new SevEvidenceVerifier(roots, SnpCrls.of(crl)).verify(SevPackages.valid(sp), NOW);
    new SevEvidenceVerifier(roots, SnpCrls.of(crl))
        .verify(vlekPackage(sp.asvkDer(), sp.report().vlek()), NOW);
  }

  @Test
  void aRevokedAskOrAsvkIsCertificateRevoked() throws Exception {
    byte[] askRevoked = sp.crl().revoke(FakeAmdSp.ASK_SERIAL).der();
    assertFailure(Failure.CERTIFICATE_REVOKED, verify(
        new SevEvidenceVerifier(roots, SnpCrls.of(askRevoked)), SevPackages.valid(sp)));
    byte[] asvkRevoked = sp.crl().revoke(FakeAmdSp.ASVK_SERIAL).der();
    assertFailure(Failure.CERTIFICATE_REVOKED, verify(
        new SevEvidenceVerifier(roots, SnpCrls.of(asvkRevoked)),
        vlekPackage(sp.asvkDer(), sp.report().vlek())));
    // The ASK's revocation does not touch the ASVK's chain.
    new SevEvidenceVerifier(roots, SnpCrls.of(askRevoked))
        .verify(vlekPackage(sp.asvkDer(), sp.report().vlek()), NOW);
  }

  @Test
  void aRevokedAskFailsSnpVerifierToo() throws Exception {
    SnpVerifier verifier = new SnpVerifier(roots,
        SnpCrls.of(sp.crl().revoke(FakeAmdSp.ASK_SERIAL).der()));
    assertFailure(Failure.CERTIFICATE_REVOKED,
        () -> verifier.verify(sp.report().signed(), sp.vcekDer(), NOW));
  }

  @Test
  void aCrlNotSignedByThePinnedArkIsABadSignature() throws Exception {
    byte[] forged = sp.crl().signedBy(sp.askKey()).der();
    assertFailure(Failure.BAD_SIGNATURE,
        verify(new SevEvidenceVerifier(roots, SnpCrls.of(forged)), SevPackages.valid(sp)));
    // A genuine CRL of another AMD (another ARK) is not this one's.
    byte[] otherAmd = FakeAmdSp.of(FakeAmdSp.Product.MILAN, 7).crl().der();
    assertFailure(Failure.BAD_SIGNATURE,
        verify(new SevEvidenceVerifier(roots, SnpCrls.of(otherAmd)), SevPackages.valid(sp)));
    // And one of another product names another issuer.
    byte[] turin = FakeAmdSp.of(FakeAmdSp.Product.TURIN).crl().der();
    assertFailure(Failure.BAD_SIGNATURE,
        verify(new SevEvidenceVerifier(roots, SnpCrls.of(turin)), SevPackages.valid(sp)));
  }

  @Test
  void aCrlPastItsNextUpdateOrNotYetIssuedIsCollateralExpired() throws Exception {
    byte[] expired = sp.crl().validity(NOW.minusSeconds(86_400 * 30), NOW.minusSeconds(1)).der();
    assertFailure(Failure.COLLATERAL_EXPIRED,
        verify(new SevEvidenceVerifier(roots, SnpCrls.of(expired)), SevPackages.valid(sp)));
    byte[] future = sp.crl().validity(NOW.plusSeconds(60), NOW.plusSeconds(86_400)).der();
    assertFailure(Failure.COLLATERAL_EXPIRED,
        verify(new SevEvidenceVerifier(roots, SnpCrls.of(future)), SevPackages.valid(sp)));
  }

  @Test
  void aCrlThatDoesNotParseIsMalformed() throws Exception {
    byte[] crl = sp.crl().der();
    for (byte[] broken : new byte[][] {new byte[0], java.util.Arrays.copyOf(crl, crl.length / 2),
        "not a CRL".getBytes(StandardCharsets.US_ASCII)}) {
      assertFailure(Failure.MALFORMED_EVIDENCE,
          verify(new SevEvidenceVerifier(roots, SnpCrls.of(broken)), SevPackages.valid(sp)));
    }
  }

  @Test
  void crlsComeFromACollateralSourceAndTheirAbsenceFailsClosed(@TempDir Path bundle)
      throws Exception {
    SevEvidenceVerifier verifier = new SevEvidenceVerifier(roots,
        SnpCrls.from(new BundleDirectory(bundle)));
    assertFailure(Failure.COLLATERAL_UNAVAILABLE, verify(verifier, SevPackages.valid(sp)));

    Files.createDirectories(bundle.resolve("amd/Milan"));
    Files.write(bundle.resolve("amd/Milan/vcek-crl.der"),
        sp.crl().revoke(FakeAmdSp.ASK_SERIAL).der());
    assertFailure(Failure.CERTIFICATE_REVOKED, verify(verifier, SevPackages.valid(sp)));
    Files.write(bundle.resolve("amd/Milan/vcek-crl.der"), sp.crl().der());
    verifier.verify(SevPackages.valid(sp), NOW);
    // The VLEK's CRL is a file of its own.
    assertFailure(Failure.COLLATERAL_UNAVAILABLE,
        verify(verifier, vlekPackage(sp.asvkDer(), sp.report().vlek())));

    EvidenceCollateral carried = EvidenceCollateral.of(List.of(new org.certifier.verifiers
        .collateral.Collateral(new CollateralKey.AmdCrl("Milan", CollateralKey.AmdKeyKind.VLEK),
        sp.crl().der(), Optional.empty())));
    new SevEvidenceVerifier(roots, SnpCrls.from(carried))
        .verify(vlekPackage(sp.asvkDer(), sp.report().vlek()), NOW);
  }
}
