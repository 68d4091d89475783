package org.certifier.verifiers.dcap.collateral;

import static org.certifier.verifiers.dcap.collateral.CollateralVerifierVectorTest.assertFailure;
import static org.certifier.verifiers.dcap.collateral.DcapVectors.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.certifier.evidence.Failure;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Revocation, CRL and chain-shape cases that need a PKI we hold the keys of: Intel's TCB info
 * and QE identity texts, re-signed by {@link FakeIntelPki}.
 */
class CollateralVerifierFakePkiTest {
  private static FakeIntelPki pki;
  private static CollateralVerifier verifier;
  private static String tcbInfo;
  private static String qeIdentity;

  @BeforeAll
  static void setUp() throws Exception {
    pki = new FakeIntelPki();
    verifier = new CollateralVerifier(pki.root);
    QuoteCollateral real = collateral(SGX_COLLATERAL);
    tcbInfo = real.tcbInfo();
    qeIdentity = real.qeIdentity();
  }

  @Test
  void cleanCollateralVerifies() throws Exception {
    VerifiedCollateral v = verifier.verify(pki.collateral(tcbInfo, qeIdentity), JULY_2025);
    v.checkPckChain(List.of(pki.pck, pki.pckCa, pki.root));
    assertEquals(TcbStatus.CONFIGURATION_AND_SW_HARDENING_NEEDED,
        TcbEvaluator.evaluate(v, sgxPlatform(), sgxQe()).status());
  }

  @Test
  void aPckOnThePckCrlIsRevoked() throws Exception {
    VerifiedCollateral v = verifier.verify(pki.collateral(tcbInfo, qeIdentity, pki.rootCrl(),
        pki.pckCrl(BigInteger.TEN, pki.pck.getSerialNumber())), JULY_2025);
    assertFailure(Failure.CERTIFICATE_REVOKED,
        () -> v.checkPckChain(List.of(pki.pck, pki.pckCa, pki.root)));
  }

  @Test
  void aSignerOnTheRootCrlIsRevoked() throws Exception {
    assertFailure(Failure.CERTIFICATE_REVOKED, () -> verifier.verify(pki.collateral(tcbInfo,
        qeIdentity, pki.rootCrl(pki.tcbSigner.getSerialNumber()), pki.pckCrl()), JULY_2025));
    assertFailure(Failure.CERTIFICATE_REVOKED, () -> verifier.verify(pki.collateral(tcbInfo,
        qeIdentity, pki.rootCrl(pki.pckCa.getSerialNumber()), pki.pckCrl()), JULY_2025));
  }

  @Test
  void crlsMustBeSignedByTheirIssuers() throws Exception {
    KeyPair stranger = FakeIntelPki.newKey();
    byte[] forgedRootCrl = FakeIntelPki.crl(pki.root, stranger.getPrivate(),
        Optional.of(FakeIntelPki.CRL_NEXT_UPDATE), List.of());
    assertFailure(Failure.BAD_SIGNATURE, () -> verifier.verify(
        pki.collateral(tcbInfo, qeIdentity, forgedRootCrl, pki.pckCrl()), JULY_2025));
    // The root's CRL in the place of the PCK CA's.
    assertFailure(Failure.BAD_SIGNATURE, () -> verifier.verify(
        pki.collateral(tcbInfo, qeIdentity, pki.rootCrl(), pki.rootCrl()), JULY_2025));
  }

  @Test
  void crlsOutsideTheirWindowAreExpired() throws Exception {
    byte[] noNextUpdate = FakeIntelPki.crl(pki.pckCa, pki.pckCaKey.getPrivate(),
        Optional.empty(), List.of());
    assertFailure(Failure.COLLATERAL_EXPIRED, () -> verifier.verify(
        pki.collateral(tcbInfo, qeIdentity, pki.rootCrl(), noNextUpdate), JULY_2025));
    byte[] stale = FakeIntelPki.crl(pki.root, pki.rootKey.getPrivate(),
        Optional.of(Instant.parse("2025-06-30T00:00:00Z")), List.of());
    assertFailure(Failure.COLLATERAL_EXPIRED, () -> verifier.verify(
        pki.collateral(tcbInfo, qeIdentity, stale, pki.pckCrl()), JULY_2025));
  }

  @Test
  void signersMustHaveTheirRoles() throws Exception {
    QuoteCollateral c = pki.collateral(tcbInfo, qeIdentity);
    // The PCK CA as TCB info signer: a CA, and not "Intel SGX TCB Signing".
    ByteString byCa = FakeIntelPki.sign(pki.pckCaKey.getPrivate(), tcbInfo);
    assertFailure(Failure.BAD_CERTIFICATE_CHAIN, () -> verifier.verify(new QuoteCollateral(
        c.pckCrlIssuerChain(), c.rootCaCrl(), c.pckCrl(), FakeIntelPki.pem(pki.pckCa, pki.root),
        tcbInfo, byCa, c.qeIdentityIssuerChain(), qeIdentity, c.qeIdentitySignature()),
        JULY_2025));
    // The TCB signing certificate as PCK CRL issuer: not a CA.
    assertFailure(Failure.BAD_CERTIFICATE_CHAIN, () -> verifier.verify(new QuoteCollateral(
        FakeIntelPki.pem(pki.tcbSigner, pki.root), c.rootCaCrl(), c.pckCrl(),
        c.tcbInfoIssuerChain(), tcbInfo, c.tcbInfoSignature(), c.qeIdentityIssuerChain(),
        qeIdentity, c.qeIdentitySignature()), JULY_2025));
    // Three certificates where Intel has signer and root.
    assertFailure(Failure.BAD_CERTIFICATE_CHAIN, () -> verifier.verify(new QuoteCollateral(
        c.pckCrlIssuerChain(), c.rootCaCrl(), c.pckCrl(),
        FakeIntelPki.pem(pki.tcbSigner, pki.pckCa, pki.root), tcbInfo, c.tcbInfoSignature(),
        c.qeIdentityIssuerChain(), qeIdentity, c.qeIdentitySignature()), JULY_2025));
    // A "TCB signing" certificate that the root did not sign.
    KeyPair stranger = FakeIntelPki.newKey();
    X509Certificate forged = FakeIntelPki.cert("Intel SGX TCB Signing", "Intel SGX Root CA",
        stranger.getPrivate(), pki.tcbKey.getPublic(), 9, false);
    assertFailure(Failure.BAD_CERTIFICATE_CHAIN, () -> verifier.verify(new QuoteCollateral(
        c.pckCrlIssuerChain(), c.rootCaCrl(), c.pckCrl(), FakeIntelPki.pem(forged, pki.root),
        tcbInfo, c.tcbInfoSignature(), c.qeIdentityIssuerChain(), qeIdentity,
        c.qeIdentitySignature()), JULY_2025));
  }

  @Test
  void signedButMalformedContentIsMalformed() throws Exception {
    String unknownStatus = tcbInfo.replace("\"tcbStatus\":\"SWHardeningNeeded\"",
        "\"tcbStatus\":\"Fine\"");
    assertFailure(Failure.MALFORMED_EVIDENCE, () -> verifier.verify(
        pki.collateral(unknownStatus, qeIdentity), JULY_2025));
    String qeStatus = qeIdentity.replace("\"tcbStatus\":\"UpToDate\"",
        "\"tcbStatus\":\"SWHardeningNeeded\"");
    assertFailure(Failure.MALFORMED_EVIDENCE, () -> verifier.verify(
        pki.collateral(tcbInfo, qeStatus), JULY_2025));
  }

  @Test
  void aPckOfAnotherCaIsNotCoveredByThePckCrl() throws Exception {
    VerifiedCollateral v = verifier.verify(pki.collateral(tcbInfo, qeIdentity), JULY_2025);
    FakeIntelPki other = new FakeIntelPki();
    assertFailure(Failure.UNTRUSTED_ROOT,
        () -> v.checkPckChain(List.of(other.pck, other.pckCa, other.root)));
    X509Certificate processorCa = FakeIntelPki.cert("Intel SGX PCK Processor CA",
        "Intel SGX Root CA", pki.rootKey.getPrivate(), other.pckCaKey.getPublic(), 5, true);
    X509Certificate processorPck = FakeIntelPki.cert("Intel SGX PCK Certificate",
        "Intel SGX PCK Processor CA", other.pckCaKey.getPrivate(), other.pckKey.getPublic(), 6,
        false);
    assertFailure(Failure.COLLATERAL_UNAVAILABLE,
        () -> v.checkPckChain(List.of(processorPck, processorCa, pki.root)));
    assertFailure(Failure.BAD_CERTIFICATE_CHAIN,
        () -> v.checkPckChain(List.of(pki.pck, processorCa, pki.root)));
  }
}
