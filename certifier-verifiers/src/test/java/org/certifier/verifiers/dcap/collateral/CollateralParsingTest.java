package org.certifier.verifiers.dcap.collateral;

import static org.certifier.verifiers.dcap.collateral.CollateralVerifierVectorTest.assertFailure;
import static org.certifier.verifiers.dcap.collateral.DcapVectors.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.certifier.evidence.Failure;
import org.junit.jupiter.api.Test;

/**
 * JSON errors as evidence failures, QuoteCollateral's two sources, and the TCB info / identity
 * schemas.
 */
class CollateralParsingTest {
  // A TCB Info V2 (SGX, "sgxtcbcompNNsvn" members) in the shape of Intel's PCS v3 answers.
  private static final String V2 = "{\"version\":2,\"issueDate\":\"2020-05-18T17:49:24Z\","
      + "\"nextUpdate\":\"2020-06-17T17:49:24Z\",\"fmspc\":\"00906ea10000\",\"pceId\":\"0000\","
      + "\"tcbType\":0,\"tcbEvaluationDataNumber\":8,\"tcbLevels\":[{\"tcb\":{"
      + "\"sgxtcbcomp01svn\":14,\"sgxtcbcomp02svn\":14,\"sgxtcbcomp03svn\":2,"
      + "\"sgxtcbcomp04svn\":4,\"sgxtcbcomp05svn\":1,\"sgxtcbcomp06svn\":128,"
      + "\"sgxtcbcomp07svn\":7,\"sgxtcbcomp08svn\":0,\"sgxtcbcomp09svn\":0,"
      + "\"sgxtcbcomp10svn\":0,\"sgxtcbcomp11svn\":0,\"sgxtcbcomp12svn\":0,"
      + "\"sgxtcbcomp13svn\":0,\"sgxtcbcomp14svn\":0,\"sgxtcbcomp15svn\":0,"
      + "\"sgxtcbcomp16svn\":0,\"pcesvn\":10},\"tcbDate\":\"2019-12-11T00:00:00Z\","
      + "\"tcbStatus\":\"SWHardeningNeeded\",\"advisoryIDs\":[\"INTEL-SA-00334\"]}]}";

  @Test
  void collateralJsonKeepsTheSignedTextsExactly() throws Exception {
    String json = DcapVectors.text(SGX_COLLATERAL);
    QuoteCollateral c = QuoteCollateral.fromJson(json);
    assertTrue(c.tcbInfo().startsWith("{\"id\":\"SGX\",\"version\":3,"));
    assertEquals(4520, c.tcbInfo().length());
    assertEquals(64, c.tcbInfoSignature().size());
    assertEquals("9ad0e9be", HexFormat.of().formatHex(c.tcbInfoSignature().substring(0, 4)
        .toByteArray()));
    assertTrue(c.pckCrlIssuerChain().contains("-----BEGIN CERTIFICATE-----"));
  }

  @Test
  void pcsResponsesKeepTheInnerObjectTextExactly() throws Exception {
    String body = DcapVectors.text(SPR + "sample_tcbInfo_response");
    QuoteCollateral c = sprFromPcs();
    int start = body.indexOf("{\"id\"");
    assertEquals(body.substring(start, body.lastIndexOf(",\"signature\"")), c.tcbInfo());
    assertTrue(c.qeIdentity().startsWith("{\"id\":\"TD_QE\""));
    assertEquals(64, c.qeIdentitySignature().size());
  }

  @Test
  void pcsResponsesMustBeExactlyObjectAndSignature() {
    assertFailure(Failure.MALFORMED_EVIDENCE, () -> pcs("{\"tcbInfo\":{},\"signature\":\"00\","
        + "\"extra\":1}"));
    assertFailure(Failure.MALFORMED_EVIDENCE, () -> pcs("{\"tcbInfo\":[],\"signature\":\"00\"}"));
    assertFailure(Failure.MALFORMED_EVIDENCE, () -> pcs("{\"tcbInfo\":{}}"));
    assertFailure(Failure.MALFORMED_EVIDENCE, () -> pcs("{\"tcbInfo\":{},\"signature\":\"0\"}"));
    assertFailure(Failure.MALFORMED_EVIDENCE,
        () -> pcs("{\"tcbInfo\":{},\"signature\":\"00\"} x"));
  }

  private static void pcs(String tcbInfoResponse) throws Exception {
    QuoteCollateral.fromPcsResponses(tcbInfoResponse, "", "{\"enclaveIdentity\":{},"
        + "\"signature\":\"00\"}", "", "", new byte[0], new byte[0]);
  }

  @Test
  void collateralJsonIsStrict() throws Exception {
    String json = DcapVectors.text(SGX_COLLATERAL);
    assertFailure(Failure.MALFORMED_EVIDENCE,
        () -> QuoteCollateral.fromJson(json.replaceFirst("\\{", "{\"extra\":\"\",")));
    assertFailure(Failure.MALFORMED_EVIDENCE,
        () -> QuoteCollateral.fromJson(json.replace("\"pck_crl\":", "\"pck_crl_x\":")));
    assertFailure(Failure.MALFORMED_EVIDENCE,
        () -> QuoteCollateral.fromJson(json.replaceFirst("\\{", "{\"pck_crl\":\"00\",")));
    assertFailure(Failure.MALFORMED_EVIDENCE, () -> QuoteCollateral.fromJson(json + "{}"));
    assertFailure(Failure.MALFORMED_EVIDENCE, () -> QuoteCollateral.fromJson("[]"));
    for (int length : new int[] {0, 1, 100, json.length() / 2, json.length() - 1}) {
      assertFailure(Failure.MALFORMED_EVIDENCE,
          () -> QuoteCollateral.fromJson(json.substring(0, length)));
    }
  }

  /** What the strict reader (certifier-core JsonReaderTest) refuses is malformed evidence. */
  @Test
  void malformedJsonIsMalformedEvidence() {
    for (String bad : List.of("", "{", "{\"a\":1,}", "{\"a\":1,\"a\":2}", "\"\\ud83d\"",
        "[".repeat(40) + "]".repeat(40), "{} x")) {
      assertFailure(Failure.MALFORMED_EVIDENCE, () -> Fields.parse(bad, "collateral"));
    }
    assertFailure(Failure.MALFORMED_EVIDENCE, () -> Fields.parse("[]", "collateral"));
  }

  @Test
  void tcbInfoV2IsRead() throws Exception {
    TcbInfo info = TcbInfo.parse(V2);
    assertEquals(TcbInfo.Id.SGX, info.id());
    assertEquals(2, info.version());
    assertEquals(hex("00906ea10000"), info.fmspc());
    TcbInfo.Level level = info.tcbLevels().get(0);
    assertEquals(components(14, 14, 2, 4, 1, 128, 7), level.sgxComponents());
    assertEquals(10, level.pceSvn());
    assertEquals(TcbStatus.SW_HARDENING_NEEDED, level.status());
    assertEquals(List.of("INTEL-SA-00334"), level.advisoryIds());
    assertEquals(Instant.parse("2019-12-11T00:00:00Z"), level.tcbDate());
    assertTrue(level.tdxComponents().isEmpty());
  }

  @Test
  void tcbInfoV3TdxIsRead() throws Exception {
    TcbInfo info = TcbInfo.parse(collateral(PHALA_V4_COLLATERAL).tcbInfo());
    assertEquals(TcbInfo.Id.TDX, info.id());
    assertEquals(ZERO_48, info.tdxModule().orElseThrow().mrSigner());
    TcbInfo.TdxModuleIdentity tdx01 = info.moduleIdentity(1).orElseThrow();
    assertEquals("TDX_01", tdx01.id());
    assertEquals(4, tdx01.tcbLevels().get(0).isvSvn());
    assertTrue(info.moduleIdentity(2).isEmpty());
    assertEquals(components(5, 0, 2), info.tcbLevels().get(0).tdxComponents().orElseThrow());
  }

  @Test
  void malformedTcbInfosAreRefused() throws Exception {
    String v3 = collateral(PHALA_V4_COLLATERAL).tcbInfo();
    List<String> bad = List.of(
        V2.replace("\"version\":2", "\"version\":4"),
        V2.replace("\"version\":2", "\"version\":2.0"),
        V2.replace("\"tcbType\":0", "\"tcbType\":1"),
        V2.replace("\"fmspc\":\"00906ea10000\"", "\"fmspc\":\"00906ea100\""),
        V2.replace("\"fmspc\":\"00906ea10000\"", "\"fmspc\":\"00906ea1000g\""),
        V2.replace("\"sgxtcbcomp06svn\":128", "\"sgxtcbcomp06svn\":256"),
        V2.replace("\"sgxtcbcomp06svn\":128", "\"sgxtcbcomp06svn\":-1"),
        V2.replace("\"sgxtcbcomp16svn\":0,", ""),
        V2.replace("\"pcesvn\":10", "\"pcesvn\":65536"),
        V2.replace("SWHardeningNeeded", "swhardeningneeded"),
        V2.replace("2019-12-11T00:00:00Z", "2019-02-30T00:00:00Z"),
        V2.replace("2019-12-11T00:00:00Z", "2019-12-11T00:00:00+01:00"),
        V2.replace("[\"INTEL-SA-00334\"]", "[\"INTEL-SA-00334\",\"INTEL-SA-00334\"]"),
        V2.replace("[\"INTEL-SA-00334\"]", "[\"\"]"),
        V2.replace("\"tcbLevels\":[{", "\"tcbLevels\":[],\"x\":[{"),
        V2.replace("{\"version\":2,", "{\"version\":2,\"id\":\"SGX\","),
        V2.replace("{\"version\":2,", "{\"version\":2,\"version\":2,"),
        v3.replace("\"id\":\"TDX\"", "\"id\":\"SEV\""),
        v3.replace("\"tdxModule\":", "\"tdxModuleX\":"),
        v3.replace("\"id\":\"TDX_03\"", "\"id\":\"TDX_01\""),
        v3.replace("\"id\":\"TDX_03\"", "\"id\":\"TDX_3\""),
        v3.replaceFirst("\\{\"svn\":0\\},", ""),
        v3.replaceFirst("\"category\":\"BIOS\"", "\"category\":1"),
        v3.replaceFirst("\"tcbStatus\":\"UpToDate\"", "\"tcbStatus\":\"SWHardeningNeeded\""));
    for (String text : bad) {
      assertFailure(Failure.MALFORMED_EVIDENCE, () -> TcbInfo.parse(text));
    }
  }

  @Test
  void enclaveIdentitiesAreReadStrictly() throws Exception {
    String qe = collateral(SGX_COLLATERAL).qeIdentity();
    EnclaveIdentity identity = EnclaveIdentity.parse(qe);
    assertEquals(0xFFFF_FFFFL, identity.miscselectMask());
    assertEquals(hex("FBFFFFFFFFFFFFFF0000000000000000"), identity.attributesMask());
    assertEquals(6, identity.tcbLevels().size());
    assertEquals(TcbStatus.OUT_OF_DATE, identity.tcbLevels().get(1).status());
    for (String text : List.of(
        qe.replace("\"id\":\"QE\"", "\"id\":\"QE3\""),
        qe.replace("\"version\":2", "\"version\":1"),
        qe.replace("\"miscselect\":\"00000000\"", "\"miscselect\":\"000000\""),
        qe.replace("\"isvprodid\":1", "\"isvprodid\":65536"),
        qe.replace("\"tcbLevels\":[{", "\"tcbLevels\":[],\"x\":[{"),
        qe.replace("\"isvsvn\":8", "\"isvsvn\":8,\"pcesvn\":1"),
        qe.replace("\"tcbStatus\":\"UpToDate\"", "\"tcbStatus\":\"ConfigurationNeeded\""))) {
      assertFailure(Failure.MALFORMED_EVIDENCE, () -> EnclaveIdentity.parse(text));
    }
  }
}
