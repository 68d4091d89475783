package org.certifier.verifiers.dcap.collateral;

import static org.certifier.verifiers.dcap.collateral.DcapVectors.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.time.Instant;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.testing.TestVectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Intel's real collateral, verified at the READMEs' times, and mutations of it. */
class CollateralVerifierVectorTest {
  private static CollateralVerifier verifier;

  @BeforeAll
  static void setUp() throws Exception {
    verifier = new CollateralVerifier(intelRoot());
  }

  @Test
  void sgxCollateralVerifies() throws Exception {
    VerifiedCollateral v = verifier.verify(collateral(SGX_COLLATERAL), JULY_2025);
    assertEquals(TcbInfo.Id.SGX, v.tcbInfo().id());
    assertEquals(3, v.tcbInfo().version());
    assertEquals(17, v.tcbInfo().tcbEvaluationDataNumber());
    assertEquals(Instant.parse("2025-06-19T10:56:11Z"), v.tcbInfo().issueDate());
    assertEquals(Instant.parse("2025-07-19T10:56:11Z"), v.tcbInfo().nextUpdate());
    assertEquals(EnclaveIdentity.Id.QE, v.qeIdentity().id());
    assertEquals(SGX_QE_MRSIGNER, v.qeIdentity().mrSigner());
    assertEquals(JULY_2025, v.verifiedAt());
  }

  @Test
  void sgxCollateralIsValidExactlyInItsWindow() throws Exception {
    QuoteCollateral c = collateral(SGX_COLLATERAL);
    // README: valid 2025-06-19T10:56:11Z .. 2025-07-19T10:01:18Z (the QE identity ends first).
    verifier.verify(c, Instant.parse("2025-06-19T10:56:11Z"));
    verifier.verify(c, Instant.parse("2025-07-19T10:01:18Z"));
    assertFailure(Failure.COLLATERAL_EXPIRED,
        () -> verifier.verify(c, Instant.parse("2025-06-19T10:56:10Z")));
    assertFailure(Failure.COLLATERAL_EXPIRED,
        () -> verifier.verify(c, Instant.parse("2025-07-19T10:01:19Z")));
  }

  @Test
  void tdxCollateralsVerify() throws Exception {
    VerifiedCollateral v4 = verifier.verify(collateral(PHALA_V4_COLLATERAL), JULY_2025);
    assertEquals(TcbInfo.Id.TDX, v4.tcbInfo().id());
    assertEquals(EnclaveIdentity.Id.TD_QE, v4.qeIdentity().id());
    assertEquals(2, v4.tcbInfo().tdxModuleIdentities().size());
    VerifiedCollateral v5 = verifier.verify(collateral(PHALA_V5_COLLATERAL), MARCH_2026);
    assertEquals(18, v5.tcbInfo().tcbEvaluationDataNumber());
  }

  @Test
  void goTdxGuestPcsResponsesVerifyAtTheirPinnedTime() throws Exception {
    QuoteCollateral fromPcs = sprFromPcs();
    VerifiedCollateral v = verifier.verify(fromPcs, SPR_TIME);
    assertEquals(15, v.tcbInfo().tcbEvaluationDataNumber());
    assertTrue(v.tcbInfo().tdxModuleIdentities().isEmpty());
    // The derived dcap-qvl repackaging holds the same signed texts and the same verdict.
    assertEquals(fromPcs, collateral(SPR + "collateral.json"));
  }

  @Test
  void goTdxGuestCollateralHasExpiredIn2053() throws Exception {
    assertFailure(Failure.COLLATERAL_EXPIRED,
        () -> verifier.verify(sprFromPcs(), Instant.parse("2053-07-01T00:00:00Z")));
  }

  @Test
  void goTdxGuestTcbInfoV5SignatureVerifies() throws Exception {
    String response = DcapVectors.text("intel-tdx/go-tdx-guest-v5/sample_tcbinfo_response_v5");
    String chain = DcapVectors.text(SPR + "tcbInfoIssuerChain.pem");
    // Only a TCB info is bundled: take it apart as for a full collateral, check signature.
    QuoteCollateral c = QuoteCollateral.fromPcsResponses(response, chain,
        DcapVectors.text(SPR + "sample_qeIdentity_response"), chain, chain, new byte[0],
        new byte[0]);
    verifier.checkSignedText(chain, c.tcbInfo(), c.tcbInfoSignature(), "TCB info");
    TcbInfo info = TcbInfo.parse(c.tcbInfo());
    assertEquals(18, info.tcbEvaluationDataNumber());
    assertEquals(Instant.parse("2026-02-01T14:49:26Z"), info.issueDate());
    assertEquals(hex("90c06f000000"), info.fmspc());
    ByteString flipped = flip(c.tcbInfoSignature(), 5);
    assertFailure(Failure.BAD_SIGNATURE,
        () -> verifier.checkSignedText(chain, c.tcbInfo(), flipped, "TCB info"));
  }

  @Test
  void aFlippedByteInTheTcbInfoTextBreaksItsSignature() throws Exception {
    QuoteCollateral c = collateral(SGX_COLLATERAL);
    // "tcbEvaluationDataNumber":17 -> 18: still well-formed, no longer Intel's.
    String changed = c.tcbInfo().replace("\"tcbEvaluationDataNumber\":17",
        "\"tcbEvaluationDataNumber\":18");
    assertFailure(Failure.BAD_SIGNATURE, () -> verifier.verify(withTcbInfo(c, changed), JULY_2025));
  }

  @Test
  void aFlippedByteInASignatureBreaksIt() throws Exception {
    QuoteCollateral c = collateral(SGX_COLLATERAL);
    assertFailure(Failure.BAD_SIGNATURE, () -> verifier.verify(new QuoteCollateral(
        c.pckCrlIssuerChain(), c.rootCaCrl(), c.pckCrl(), c.tcbInfoIssuerChain(), c.tcbInfo(),
        flip(c.tcbInfoSignature(), 40), c.qeIdentityIssuerChain(), c.qeIdentity(),
        c.qeIdentitySignature()), JULY_2025));
    assertFailure(Failure.BAD_SIGNATURE, () -> verifier.verify(new QuoteCollateral(
        c.pckCrlIssuerChain(), c.rootCaCrl(), c.pckCrl(), c.tcbInfoIssuerChain(), c.tcbInfo(),
        c.tcbInfoSignature(), c.qeIdentityIssuerChain(), c.qeIdentity(),
        flip(c.qeIdentitySignature(), 0)), JULY_2025));
    assertFailure(Failure.BAD_SIGNATURE, () -> verifier.verify(new QuoteCollateral(
        c.pckCrlIssuerChain(), c.rootCaCrl(), c.pckCrl(), c.tcbInfoIssuerChain(), c.tcbInfo(),
        c.tcbInfoSignature().substring(1), c.qeIdentityIssuerChain(), c.qeIdentity(),
        c.qeIdentitySignature()), JULY_2025));
  }

  @Test
  void theTcbInfoOfAnotherPlatformIsNotSignedBySwappingTexts() throws Exception {
    QuoteCollateral sgx = collateral(SGX_COLLATERAL);
    QuoteCollateral tdx = collateral(PHALA_V4_COLLATERAL);
    assertFailure(Failure.BAD_SIGNATURE,
        () -> verifier.verify(withTcbInfo(sgx, tdx.tcbInfo()), JULY_2025));
  }

  @Test
  void aChainEndingInAnotherRootIsUntrusted() throws Exception {
    QuoteCollateral c = collateral(SGX_COLLATERAL);
    FakeIntelPki fake = new FakeIntelPki();
    String fakeChain = FakeIntelPki.pem(fake.tcbSigner, fake.root);
    assertFailure(Failure.UNTRUSTED_ROOT, () -> verifier.verify(new QuoteCollateral(
        c.pckCrlIssuerChain(), c.rootCaCrl(), c.pckCrl(), fakeChain, c.tcbInfo(),
        c.tcbInfoSignature(), c.qeIdentityIssuerChain(), c.qeIdentity(),
        c.qeIdentitySignature()), JULY_2025));
    assertFailure(Failure.UNTRUSTED_ROOT, () -> verifier.verify(new QuoteCollateral(
        FakeIntelPki.pem(fake.pckCa, fake.root), c.rootCaCrl(), c.pckCrl(),
        c.tcbInfoIssuerChain(), c.tcbInfo(), c.tcbInfoSignature(), c.qeIdentityIssuerChain(),
        c.qeIdentity(), c.qeIdentitySignature()), JULY_2025));
  }

  @Test
  void aPckCrlOfAnotherCaIsNotSignedByTheChainsCa() throws Exception {
    QuoteCollateral sgx = collateral(SGX_COLLATERAL); // Processor CA
    QuoteCollateral tdx = collateral(PHALA_V4_COLLATERAL); // Platform CA
    assertFailure(Failure.BAD_SIGNATURE, () -> verifier.verify(new QuoteCollateral(
        sgx.pckCrlIssuerChain(), sgx.rootCaCrl(), tdx.pckCrl(), sgx.tcbInfoIssuerChain(),
        sgx.tcbInfo(), sgx.tcbInfoSignature(), sgx.qeIdentityIssuerChain(), sgx.qeIdentity(),
        sgx.qeIdentitySignature()), JULY_2025));
  }

  @Test
  void aCrlWithAFlippedByteIsRefused() throws Exception {
    QuoteCollateral c = collateral(SGX_COLLATERAL);
    int last = c.rootCaCrl().size() - 1;
    VerificationException e = assertThrows(VerificationException.class,
        () -> verifier.verify(new QuoteCollateral(c.pckCrlIssuerChain(),
            flip(c.rootCaCrl(), last), c.pckCrl(), c.tcbInfoIssuerChain(), c.tcbInfo(),
            c.tcbInfoSignature(), c.qeIdentityIssuerChain(), c.qeIdentity(),
            c.qeIdentitySignature()), JULY_2025));
    assertTrue(e.failure() == Failure.BAD_SIGNATURE || e.failure() == Failure.MALFORMED_EVIDENCE,
        e.toString());
    assertFailure(Failure.MALFORMED_EVIDENCE, () -> verifier.verify(new QuoteCollateral(
        c.pckCrlIssuerChain(), c.rootCaCrl(), c.pckCrl().concat(ByteString.copyFrom(new byte[1])),
        c.tcbInfoIssuerChain(), c.tcbInfo(), c.tcbInfoSignature(), c.qeIdentityIssuerChain(),
        c.qeIdentity(), c.qeIdentitySignature()), JULY_2025));
  }

  @Test
  void realPckChainsAreCheckedAgainstTheCrls() throws Exception {
    VerifiedCollateral sgx = verifier.verify(collateral(SGX_COLLATERAL), JULY_2025);
    sgx.checkPckChain(pckChain("intel-sgx/sgx_quote"));
    VerifiedCollateral tdx = verifier.verify(collateral(PHALA_V4_COLLATERAL), JULY_2025);
    tdx.checkPckChain(pckChain("intel-tdx/phala-v4/tdx_quote"));
    VerifiedCollateral spr = verifier.verify(sprFromPcs(), SPR_TIME);
    spr.checkPckChain(pckChain(SPR + "tdx_prod_quote_SPR_E4.dat"));
    // The SGX quote's PCK comes from the Processor CA, the TDX collateral's CRL from the
    // Platform CA: that CRL says nothing about this certificate.
    assertFailure(Failure.COLLATERAL_UNAVAILABLE,
        () -> tdx.checkPckChain(pckChain("intel-sgx/sgx_quote")));
    assertFailure(Failure.BAD_CERTIFICATE_CHAIN,
        () -> sgx.checkPckChain(pckChain("intel-sgx/sgx_quote").subList(0, 2)));
  }

  @Test
  void theRootMustBeSelfSignedP256() throws Exception {
    FakeIntelPki fake = new FakeIntelPki();
    assertThrows(IllegalArgumentException.class, () -> new CollateralVerifier(fake.tcbSigner));
    // The vectors' PEM copy of the root is the same certificate.
    assertEquals(intelRoot(), org.certifier.crypto.Certificates.parseDerOrPem(
        TestVectors.bytes("intel-tdx/Intel_SGX_RootCA.pem")));
  }

  static QuoteCollateral withTcbInfo(QuoteCollateral c, String tcbInfo) {
    return new QuoteCollateral(c.pckCrlIssuerChain(), c.rootCaCrl(), c.pckCrl(),
        c.tcbInfoIssuerChain(), tcbInfo, c.tcbInfoSignature(), c.qeIdentityIssuerChain(),
        c.qeIdentity(), c.qeIdentitySignature());
  }

  static ByteString flip(ByteString bytes, int index) {
    byte[] b = bytes.toByteArray();
    b[index] ^= 0x01;
    return ByteString.copyFrom(b);
  }

  interface Action {
    void run() throws Exception;
  }

  static void assertFailure(Failure expected, Action action) {
    VerificationException e = assertThrows(VerificationException.class, action::run);
    assertEquals(expected, e.failure(), e.toString());
  }
}
