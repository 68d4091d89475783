package org.certifier.verifiers.sevsnp;

import static org.certifier.verifiers.sevsnp.SnpVectors.MILAN_TIME;
import static org.certifier.verifiers.sevsnp.SnpVectors.TURIN_TIME;
import static org.certifier.verifiers.sevsnp.SnpVectors.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The real vectors give exactly the outcomes their README states. */
class SnpVerifierVectorTest {
  private final SnpVerifier verifier = new SnpVerifier(AmdRoots.embedded());

  @Test
  void goSevGuestMilanReportVerifies() throws Exception {
    SnpClaims claims = verifier.verify(SnpVectors.goSevGuestReport(),
        SnpVectors.goSevGuestVcek(), MILAN_TIME);

    byte[] reportData = new byte[64];
    System.arraycopy(new byte[] {1, 2, 3, 4, 5}, 0, reportData, 0, 5);
    assertEquals(ByteString.copyFrom(reportData), claims.reportData());
    assertEquals(bytes("b07af9620f3b839b47996422ddec6058338951d984e312115131ea82705eaf5b6bdf8a"
        + "9ece31a5a608eb0cf2e4872b01"), claims.measurement());
    assertEquals(bytes("3ac3fe21e13fb0990eb28a802e3fb6a29483a6b0753590c951bdd3b8e53786184ca39e"
        + "359669a2b76a1936776b564ea464cdce40c05f63c9b610c5068b006b5d"), claims.chipId());
    TcbVersion tcb = TcbVersion.milanGenoa(2, 0, 5, 68);
    assertEquals(tcb, claims.reportedTcb());
    assertEquals(tcb, claims.currentTcb());
    assertEquals(tcb, claims.committedTcb());
    assertEquals(tcb, claims.launchTcb());
    assertEquals(0x4405000000000002L, claims.reportedTcb().raw());
    assertEquals(2, claims.version());
    assertEquals(0, claims.guestSvn());
    assertEquals(0, claims.vmpl());
    assertEquals(1, claims.platformInfo());
    assertEquals(ByteString.copyFrom(new byte[32]), claims.hostData());
    assertEquals(ByteString.copyFrom(new byte[48]), claims.idKeyDigest());
    assertEquals(ByteString.copyFrom(new byte[48]), claims.authorKeyDigest());
    assertEquals(ByteString.copyFrom(new byte[16]), claims.familyId());
    assertEquals(ByteString.copyFrom(new byte[16]), claims.imageId());
    assertEquals(SnpProduct.MILAN, claims.product());
    assertEquals(SigningKey.VCEK, claims.signingKey());
  }

  /**
   * POLICY 0xb0000 sets bits 16, 17 and 19: SMT allowed, the must-be-one bit, and DEBUG. The
   * vectors' README mentions only "SMT allowed, ABI 0.0"; go-sev-guest's own tests decode this
   * value as {SMT: true, Debug: true}. The reference Go service read bit 19 as single-socket
   * and so reported this debuggable guest as "debug: no".
   */
  @Test
  void goSevGuestPolicyIsDecodedWithAmdBitMeanings() throws Exception {
    GuestPolicy policy = verifier.verify(SnpVectors.goSevGuestReport(),
        SnpVectors.goSevGuestVcek(), MILAN_TIME).policy();

    assertEquals(0xb0000L, policy.raw());
    assertTrue(policy.smtAllowed());
    assertEquals(0, policy.abiMajor());
    assertEquals(0, policy.abiMinor());
    assertTrue(policy.debugAllowed());
    assertFalse(policy.migrateMaAllowed());
    assertFalse(policy.singleSocket());
  }

  @Test
  void virteeMilanReportVerifies() throws Exception {
    SnpClaims claims = verifier.verify(SnpVectors.virteeReport(), SnpVectors.virteeVcek(),
        MILAN_TIME);

    assertEquals(bytes("d447b55d197491bfe15cf298f9de9986b7a7c4be2468b4f6e2d53b71d7c645810b0f2c"
        + "dfca0040433be063fc1a8293f0f3f8dae7b79fecb3d1cd82bd6a93ebfd"), claims.reportData());
    assertEquals(bytes("7a1e5c266c0108dbc9bb94fa926951320940915d0aafb42464bd88b579ea158d3e1a0d"
        + "c39b2c60bd95b9c480cd81841f"), claims.measurement());
    assertEquals(bytes("d49554ec717f4e5b0fe6b143bcf0405bd7ae304727edf46603f2a76aef6a3abc15d7af"
        + "38db757039029f0efacfd08e244324884738c72b082e2f87a44d541eb6"), claims.chipId());
    TcbVersion tcb = TcbVersion.milanGenoa(3, 0, 8, 115);
    assertEquals(tcb, claims.reportedTcb());
    assertEquals(tcb, claims.currentTcb());
    assertEquals(tcb, claims.committedTcb());
    assertEquals(tcb, claims.launchTcb());
    assertEquals(0x7308000000000003L, claims.reportedTcb().raw());
    assertEquals(0x30000L, claims.policy().raw());
    assertTrue(claims.policy().smtAllowed());
    assertFalse(claims.policy().debugAllowed());
    assertEquals(0, claims.vmpl());
  }

  @Test
  void virteeHexAndBinaryReportsAreTheSameReport() {
    String hex = new String(SnpVectors.virteeReportHex(), StandardCharsets.US_ASCII)
        .replaceAll("\\s", "");
    assertEquals(ByteString.copyFrom(HexFormat.of().parseHex(hex)),
        ByteString.copyFrom(SnpVectors.virteeReport()));
  }

  @Test
  void reportFieldsNotInTheClaimsMatchTheReadme() throws Exception {
    SnpReport first = SnpReport.parse(SnpVectors.goSevGuestReport());
    SnpReport second = SnpReport.parse(SnpVectors.virteeReport());

    assertEquals(bytes("8edc638e1857c555d21f6b11bda3c8b1b5a09dba4852b4c8ee7aa2f16f22cc0a"),
        first.reportId());
    assertEquals(new SnpReport.FirmwareVersion(1, 49, 3), first.currentVersion());
    assertEquals(new SnpReport.FirmwareVersion(1, 49, 3), first.committedVersion());
    assertFalse(first.maskChipKey());
    assertFalse(first.authorKeyEn());
    assertEquals(bytes("92b3b47d59f0a2a10a74c5678868a80238cf593c01a82f3cffb878e904c28d5b"),
        second.reportId());
    assertEquals(new SnpReport.FirmwareVersion(1, 52, 4), second.currentVersion());
  }

  @Test
  void bothMilanVectorsBringTheEmbeddedAskAndArk() throws Exception {
    AmdRoots.ProductRoots milan = AmdRoots.embedded().forProduct(SnpProduct.MILAN);
    for (String bundle : List.of("milan-go-sev-guest/ask_ark_milan.pem",
        "milan-virtee/cert_chain_milan.pem")) {
      List<X509Certificate> chain = SnpVectors.chain(bundle);
      assertEquals(List.of(milan.ask(), milan.ark()), chain);
      SnpClaims claims = verifier.verify(SnpVectors.virteeReport(), SnpVectors.virteeVcek(),
          chain.get(0).getEncoded(), MILAN_TIME);
      assertEquals(SnpProduct.MILAN, claims.product());
    }
  }

  @Test
  void turinChainVerifiesAndItsExtensionsDecode() throws Exception {
    EndorsementKey vcek = verifier.verifyEndorsementKey(SnpVectors.turinVcek(),
        Optional.empty(), TURIN_TIME);

    assertEquals(SnpProduct.TURIN, vcek.product());
    assertEquals(SigningKey.VCEK, vcek.kind());
    assertEquals(Optional.of(bytes("1e550a8ee5cf9f4d")), vcek.hwId());
    assertEquals(TcbVersion.turin(0, 0, 0, 0, 9), vcek.tcb());
    assertEquals(0x0900000000000000L, vcek.tcb().raw());
    assertEquals("fmc0/bl0/tee0/snp0/uc9", vcek.tcb().toString());

    List<X509Certificate> bundled =
        SnpVectors.chain("turin-chain-only-virtee/cert_chain_turin.pem");
    EndorsementKey withBundledAsk = verifier.verifyEndorsementKey(SnpVectors.turinVcek(),
        Optional.of(bundled.get(0).getEncoded()), TURIN_TIME);
    assertEquals(vcek.tcb(), withBundledAsk.tcb());
  }

  @Test
  void milanVceksNameTheirProductAndTcb() throws Exception {
    EndorsementKey vcek = verifier.verifyEndorsementKey(SnpVectors.goSevGuestVcek(),
        Optional.empty(), MILAN_TIME);

    assertEquals(SnpProduct.MILAN, vcek.product());
    assertEquals(TcbVersion.milanGenoa(2, 0, 5, 68), vcek.tcb());
    assertEquals(64, vcek.hwId().orElseThrow().size());
    // go-sev-guest and virtee's VCEKs carry serial number 0, which must not matter.
    assertEquals(0, vcek.certificate().getSerialNumber().signum());
  }

  private static ByteString bytes(String hex) {
    return ByteString.copyFrom(hex(hex));
  }
}
