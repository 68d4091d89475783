package org.certifier.verifiers.dcap;

import static org.certifier.verifiers.dcap.QuoteBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.certifier.crypto.Certificates;
import org.junit.jupiter.api.Test;

/** Every real quote parses and verifies to exactly the values its README states. */
class QuoteVectorTest {
  private static final ByteString ZERO_32 = ByteString.copyFrom(new byte[32]);
  private static final ByteString ZERO_48 = ByteString.copyFrom(new byte[48]);

  private final QuoteVerifier verifier = new QuoteVerifier(IntelRoots.embedded());

  @Test
  void phalaSgxQuoteV3() throws Exception {
    VerifiedQuote v = verify(DcapVectors.SGX_V3);
    QuoteHeader h = v.header();
    assertEquals(3, h.version());
    assertEquals(2, h.attestationKeyType());
    assertEquals(TeeType.SGX, h.teeType());
    assertEquals(10, h.qeSvn());
    assertEquals(15, h.pceSvn());
    assertEquals(bytes("939a7233f79c4ca9940a0db3957f0607"), h.qeVendorId());
    EnclaveReportBody body = assertInstanceOf(EnclaveReportBody.class, v.body());
    assertEquals(bytes("0b0b1a18ffff04000000000000000000"), body.cpuSvn());
    assertEquals(bytes("0500000000000000e700000000000000"), body.attributes());
    assertEquals(0x05, body.flags());
    assertEquals(0xe7, body.xfrm());
    assertFalse(body.debug());
    assertEquals(bytes("33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb"),
        body.mrEnclave());
    assertEquals(bytes("815f42f11cf64430c30bab7816ba596a1da0130c3b028b673133a66cf9a3e0e6"),
        body.mrSigner());
    assertEquals(0, body.isvProdId());
    assertEquals(0, body.isvSvn());
    byte[] reportData = new byte[64];
    byte[] hello = "Hello, world!".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(hello, 0, reportData, 0, hello.length);
    assertEquals(ByteString.copyFrom(reportData), body.reportData());

    assertChain(v, "Intel SGX PCK Processor CA", "2023-09-20T21:53:43Z", "2030-09-20T21:53:43Z");
    PckExtensions pck = v.pckExtensions();
    assertEquals(bytes("00a067110000"), pck.fmspc());
    assertEquals(bytes("0000"), pck.pceId());
    assertEquals(13, pck.pceSvn());
    assertArrayEquals(new int[] {11, 11, 2, 2, 255, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
        pck.cpuSvnComponents());
    assertEquals(255, pck.cpuSvnComponent(5));
    assertEquals(bytes("0b0b0202ff0100000000000000000000"), pck.cpuSvn());
    assertEquals(0, pck.sgxType());
    assertEquals(Optional.empty(), pck.platformInstanceId());
    assertEquals(Optional.empty(), pck.configuration());

    assertEquals(bytes("8c4f5775d796503e96137f77c68a829a0056ac8ded70140b081b094490c57bff"),
        v.qeReport().mrSigner());
    assertEquals(1, v.qeReport().isvProdId());
    assertEquals(10, v.qeReport().isvSvn());
  }

  @Test
  void gramineDebugEnclaveQuoteV3() throws Exception {
    VerifiedQuote v = verify(DcapVectors.GRAMINE_V3);
    assertEquals(3, v.header().version());
    assertEquals(9, v.header().qeSvn());
    assertEquals(14, v.header().pceSvn());
    EnclaveReportBody body = assertInstanceOf(EnclaveReportBody.class, v.body());
    assertEquals(bytes("13130b0501ff00000000000000000000"), body.cpuSvn());
    assertEquals(0x07, body.flags());
    assertTrue(body.debug());
    assertEquals(bytes("a938cf156073aaa9c2fcfd837c5466b7b667f2320f7391a26335c60e085bf307"),
        body.mrEnclave());
    assertEquals(bytes("c892beb3983019de5540315e678f84fa4c97be1669cc9f46f1cdc41935647f57"),
        body.mrSigner());
    assertEquals(0, body.isvProdId());
    assertEquals(0, body.isvSvn());
    assertEquals(bytes("40aff2e9d2d8922e47afd4648e6967497158785fbd1da870e7110266bf944880")
        .concat(ZERO_32), body.reportData());
    assertChain(v, "Intel SGX PCK Processor CA", "2023-03-24T00:00:00Z", "2030-03-25T00:00:00Z");
    assertEquals(bytes("00906ea10000"), v.pckExtensions().fmspc());
    assertEquals(13, v.pckExtensions().pceSvn());
  }

  @Test
  void phalaTdxQuoteV4() throws Exception {
    VerifiedQuote v = verify(DcapVectors.PHALA_V4);
    assertEquals(4, v.header().version());
    assertEquals(2, v.header().attestationKeyType());
    assertEquals(TeeType.TDX, v.header().teeType());
    TdReportBody td = assertInstanceOf(TdReportBody.class, v.body());
    assertFalse(td.tdx15());
    assertEquals(bytes("06010300000000000000000000000000"), td.teeTcbSvn());
    assertEquals(bytes("5b38e33a6487958b72c3c12a938eaa5e3fd4510c51aeeab58c7d5ecee41d7c436489d6c8e4"
        + "f92f160b7cad34207b00c1"), td.mrSeam());
    assertEquals(ZERO_48, td.mrSignerSeam());
    assertEquals(bytes("0000001000000000"), td.tdAttributes());
    assertFalse(td.debug());
    assertEquals(bytes("e702060000000000"), td.xfam());
    assertEquals(bytes("91eb2b44d141d4ece09f0c75c2c53d247a3c68edd7fafe8a3520c942a604a407de03ae6dc5"
        + "f87f27428b2538873118b7"), td.mrTd());
    assertEquals(ZERO_48, td.mrConfigId());
    assertEquals(ZERO_48, td.mrOwner());
    assertEquals(ZERO_48, td.mrOwnerConfig());
    assertEquals(bytes("44c0197b39157fdd7a4dcc44767f9d6b0bb3977c7a8e347b8492f827fe9d9e5c48aca29b22"
        + "0b80b6a540cf994b9bc9c0"), td.rtmr(0));
    assertEquals(bytes("0084452c01668329d4bc06acdf58a7205c26743304509973949e5619bf81a6a7aea8c323c1"
        + "73019b3093d54e579e9378"), td.rtmr(1));
    assertEquals(bytes("d833feef2cd945148aa38ead2c53e9b7f138190aaaebfc551dccd829fc207aa3ba80b70870"
        + "d7330733642e01d48c3132"), td.rtmr(2));
    assertEquals(ZERO_48, td.rtmr(3));
    assertEquals(bytes("9a9d48e7f6799642d3d1b34e1e5e1742d4bb02dd6ddd551862c1211d35c304f9eca3efdbb4"
        + "81601c163cf52493d6e44aed55d51ec39b7e518fadb92c2b523f20"), td.reportData());

    assertChain(v, "Intel SGX PCK Platform CA", "2025-02-06T23:25:51Z", "2032-02-06T23:25:51Z");
    PckExtensions pck = v.pckExtensions();
    assertEquals(bytes("b0c06f000000"), pck.fmspc());
    assertEquals(11, pck.pceSvn());
    assertArrayEquals(new int[] {3, 3, 2, 2, 4, 1, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0},
        pck.cpuSvnComponents());
    assertEquals(1, pck.sgxType());
    assertEquals(Optional.of(bytes("07828474603e7019dc930775ffe8cdd2")),
        pck.platformInstanceId());
    assertEquals(Optional.of(new PckExtensions.PlatformConfiguration(Optional.of(true),
        Optional.of(true), Optional.of(true))), pck.configuration());

    ByteString qeSigner = v.qeReport().mrSigner();
    assertTrue(qeSigner.startsWith(bytes("dc9e2a7c")));
    assertTrue(qeSigner.endsWith(bytes("a8c5")));
    assertEquals(2, v.qeReport().isvProdId());
    assertEquals(6, v.qeReport().isvSvn());
  }

  @Test
  void phalaTdxQuoteV5WithTdx15Body() throws Exception {
    VerifiedQuote v = verify(DcapVectors.PHALA_V5);
    assertEquals(5, v.header().version());
    TdReportBody td = assertInstanceOf(TdReportBody.class, v.body());
    assertTrue(td.tdx15());
    assertEquals(bytes("07010300000000000000000000000000"), td.teeTcbSvn());
    assertEquals(Optional.of(bytes("0d010300000000000000000000000000")), td.teeTcbSvn2());
    assertEquals(Optional.of(ZERO_48), td.mrServiceTd());
    assertEquals(bytes("273828c46252fcbdd8ad2dd907130222b03466d52a2911d70c1a5950895d6bd1ae451d382d"
        + "5a9b1b4c0ed0e5ae9a3dbd"), td.mrTd());
    assertEquals(bytes("d2142b643598eb5fae2bc8529dd79a558b29f868ccbb6531cb28dab9dce47728")
        .concat(ZERO_32), td.reportData());
    assertChain(v, "Intel SGX PCK Platform CA", "2026-01-23T18:09:41Z", "2033-01-23T18:09:41Z");
    assertEquals(bytes("90c06f000000"), v.pckExtensions().fmspc());
    assertEquals(13, v.pckExtensions().pceSvn());
    assertArrayEquals(new int[] {3, 3, 2, 2, 4, 1, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0},
        v.pckExtensions().cpuSvnComponents());
  }

  @Test
  void goTdxGuestSapphireRapidsQuoteV4() throws Exception {
    VerifiedQuote v = verify(DcapVectors.GO_TDX_GUEST_V4);
    assertEquals(4, v.header().version());
    TdReportBody td = assertInstanceOf(TdReportBody.class, v.body());
    assertEquals(bytes("03000400000000000000000000000000"), td.teeTcbSvn());
    assertEquals(bytes("2fd279c16164a93dd5bf373d834328d46008c2b693af9ebb865b08b2ced320c9a89b4869a9"
        + "fab60fbe9d0c5a5363c656"), td.mrSeam());
    assertEquals(bytes("0000004000000000"), td.tdAttributes());
    assertFalse(td.debug());
    assertEquals(bytes("e71a060000000000"), td.xfam());
    assertEquals(bytes("6363b8043668a3ad953278e10389574d326c6749fb78aa810ecd9336923db86f22fc00b8dc"
        + "d404bc10d5e119d7215cbb"), td.mrTd());
    assertEquals(bytes("2927da70461cd63266f43230cc1849c03ef25ebe490062a801d8fcc80af42976823adf08f8"
        + "33c1e50b51779c6593f32a"), td.rtmr(0));
    assertEquals(bytes("2c700b8ba9b85783f8be9fb9443647bdc0bb3c50747f06297cc6538c25a5f589c4b56d035c"
        + "59107c6bc5800db2cacb61"), td.rtmr(1));
    assertEquals(bytes("8652f0caaba7e215ea442dc36a4499d8fec3362f3a0b2ca151cbe4b3e6466fe59c7368b3c2"
        + "287fc7c3bf5c924eb4424e"), td.rtmr(2));
    assertEquals(ZERO_48, td.rtmr(3));
    assertEquals(bytes("6c62dec1b8191749a31dab490be532a35944dea47caef1f980863993d9899545eb7406a38d"
        + "1eed313b987a467dacead6f0c87a6d766c66f6f29f8acb281f1113"), td.reportData());
    assertChain(v, "Intel SGX PCK Platform CA", "2022-09-20T00:00:00Z", "2029-09-21T00:00:00Z");
    assertEquals(bytes("50806f000000"), v.pckExtensions().fmspc());
    assertEquals(11, v.pckExtensions().pceSvn());
    assertArrayEquals(new int[] {3, 3, 2, 2, 2, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0},
        v.pckExtensions().cpuSvnComponents());
  }

  @Test
  void goTdxGuestQuoteV5() throws Exception {
    VerifiedQuote v = verify(DcapVectors.GO_TDX_GUEST_V5);
    assertEquals(5, v.header().version());
    assertTrue(assertInstanceOf(TdReportBody.class, v.body()).tdx15());
    assertChain(v, "Intel SGX PCK Platform CA", "2026-01-27T00:00:00Z", "2033-01-28T00:00:00Z");
    assertEquals(bytes("90c06f000000"), v.pckExtensions().fmspc());
  }

  private VerifiedQuote verify(DcapVectors vector) throws Exception {
    byte[] bytes = vector.bytes();
    VerifiedQuote v = verifier.verify(bytes, vector.time);
    assertEquals(Quote.parse(bytes), v.quote());
    assertEquals(QuoteHeader.INTEL_QE_VENDOR_ID, v.header().qeVendorId());
    assertEquals(2, v.header().attestationKeyType());
    return v;
  }

  /**
   * The chain is leaf, the named CA and the embedded root; the leaf's validity lies within the
   * README's dates (given to the second where the README has them, else to the day).
   */
  private static void assertChain(VerifiedQuote v, String caName, String notBefore,
      String notAfter) throws Exception {
    assertEquals(3, v.pckChain().size());
    assertEquals(Optional.of("Intel SGX PCK Certificate"),
        Certificates.subjectAttribute(v.pckCertificate(), "CN"));
    assertEquals(Optional.of(caName), Certificates.subjectAttribute(v.pckChain().get(1), "CN"));
    assertEquals(IntelRoots.embedded().root(), v.pckChain().get(2));
    Instant from = v.pckCertificate().getNotBefore().toInstant();
    Instant to = v.pckCertificate().getNotAfter().toInstant();
    assertTrue(!from.isBefore(Instant.parse(notBefore)) && from.isBefore(Instant.parse(notAfter)),
        "notBefore " + from);
    assertTrue(!to.isAfter(Instant.parse(notAfter)) && to.isAfter(Instant.parse(notBefore)),
        "notAfter " + to);
  }
}
