package org.certifier.testing.intel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Duration;
import org.certifier.testing.intel.FakeIntelDcap.PckCa;
import org.certifier.testing.intel.FakeIntelDcap.Tee;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake PCS answers in the PCS v4 shapes, with issuer chains, throttling and counting. */
class FakeIntelPcsTest {
  private final FakeIntelDcap dcap = FakeIntelDcap.create();
  private final HttpClient http = HttpClient.newHttpClient();
  private Collateral sgx;
  private Collateral tdx;
  private FakeIntelPcs pcs;

  @BeforeEach
  void start() throws Exception {
    sgx = dcap.collateral(Tee.SGX).build();
    tdx = dcap.collateral(Tee.TDX).build();
    pcs = FakeIntelPcs.start(sgx, tdx);
  }

  @AfterEach
  void stop() {
    pcs.close();
  }

  @Test
  void servesTcbInfoAndQeIdentityWithTheirIssuerChains() throws Exception {
    assertEquals("127.0.0.1", pcs.baseUri().getHost());
    HttpResponse<String> tcb = get("/tdx/certification/v4/tcb?fmspc=" + dcap.fmspcHex());
    assertEquals(200, tcb.statusCode());
    assertEquals(tdx.pcsTcbInfoBody(), tcb.body());
    assertEquals(tdx.tcbSigningChain(), URLDecoder.decode(
        tcb.headers().firstValue("TCB-Info-Issuer-Chain").orElseThrow(), StandardCharsets.UTF_8));
    assertTrue(tcb.headers().firstValue("TCB-Info-Issuer-Chain").orElseThrow()
        .startsWith("-----BEGIN%20CERTIFICATE-----%0A"));
    assertTrue(tcb.headers().firstValue("Request-ID").isPresent());

    HttpResponse<String> sgxTcb = get("/sgx/certification/v4/tcb?fmspc="
        + dcap.fmspcHex().toLowerCase());
    assertEquals(sgx.pcsTcbInfoBody(), sgxTcb.body());

    HttpResponse<String> qe = get("/tdx/certification/v4/qe/identity");
    assertEquals(tdx.pcsQeIdentityBody(), qe.body());
    assertEquals(tdx.tcbSigningChain(), URLDecoder.decode(qe.headers()
        .firstValue("SGX-Enclave-Identity-Issuer-Chain").orElseThrow(), StandardCharsets.UTF_8));
    assertEquals(sgx.pcsQeIdentityBody(), get("/sgx/certification/v4/qe/identity").body());
  }

  @Test
  void servesCrlsAsDerOrPem() throws Exception {
    HttpResponse<byte[]> der = getBytes("/sgx/certification/v4/pckcrl?ca=platform&encoding=der");
    assertEquals(200, der.statusCode());
    assertArrayEquals(sgx.pckCrl(PckCa.PLATFORM), der.body());
    assertEquals(sgx.pckCrlIssuerChain(PckCa.PLATFORM), URLDecoder.decode(der.headers()
        .firstValue("SGX-PCK-CRL-Issuer-Chain").orElseThrow(), StandardCharsets.UTF_8));

    HttpResponse<byte[]> pem = getBytes("/sgx/certification/v4/pckcrl?ca=processor");
    X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509")
        .generateCRL(new ByteArrayInputStream(pem.body()));
    assertArrayEquals(sgx.pckCrl(PckCa.PROCESSOR), crl.getEncoded());
    assertTrue(URLDecoder.decode(pem.headers().firstValue("SGX-PCK-CRL-Issuer-Chain")
        .orElseThrow(), StandardCharsets.UTF_8).startsWith("-----BEGIN CERTIFICATE-----"));

    assertArrayEquals(sgx.rootCaCrl(), getBytes("/IntelSGXRootCA.der").body());
  }

  @Test
  void refusesWhatThePcsRefuses() throws Exception {
    assertEquals(404, get("/tdx/certification/v4/tcb?fmspc=000000000000").statusCode());
    assertEquals(400, get("/tdx/certification/v4/tcb").statusCode());
    assertEquals(400, get("/sgx/certification/v4/pckcrl?ca=other").statusCode());
    assertEquals(404, get("/sgx/certification/v3/qe/identity").statusCode());
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(
        pcs.baseUri().resolve("/sgx/certification/v4/qe/identity"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(405, post.statusCode());
  }

  @Test
  void throttlesCountsAndUpdates() throws Exception {
    pcs.throttle(2, 7);
    HttpResponse<String> first = get("/tdx/certification/v4/qe/identity");
    assertEquals(429, first.statusCode());
    assertEquals("7", first.headers().firstValue("Retry-After").orElseThrow());
    assertEquals(429, get("/tdx/certification/v4/qe/identity").statusCode());
    assertEquals(200, get("/tdx/certification/v4/qe/identity").statusCode());
    assertEquals(3, pcs.requestCount("/tdx/certification/v4/qe/identity"));
    assertEquals(3, pcs.requestCount());

    Collateral newer = dcap.collateral(Tee.TDX).tcbEvaluationDataNumber(18).build();
    pcs.update(newer);
    assertEquals(newer.pcsTcbInfoBody(),
        get("/tdx/certification/v4/tcb?fmspc=" + dcap.fmspcHex()).body());

    pcs.delay(Duration.ofMillis(300));
    long start = System.nanoTime();
    get("/sgx/certification/v4/qe/identity");
    assertTrue(System.nanoTime() - start >= Duration.ofMillis(300).toNanos());
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(pcs.baseUri() + pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<byte[]> getBytes(String pathAndQuery) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(pcs.baseUri() + pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }
}
