package org.certifier.service.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.certifier.crypto.Certificates;
import org.certifier.service.CertifierService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator API over HTTPS with operator client certificates (and a token beside them): a
 * certificate from the operator CA is let in; one from another CA, one for servers only, and
 * none at all are refused and logged, while the public endpoints need none.
 */
class OperatorTlsTest {
  private static final Instant FROM = Instant.parse("2020-01-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2040-01-01T00:00:00Z");
  private static final String TOKEN = "tls-token-abcdefghijklmnopqrstuvwxyz0123456";

  @TempDir
  Path dir;

  private CertifierService service;
  private X509Certificate serverCert;
  private KeyPair operatorCaKey;
  private X509Certificate operatorCa;

  private record Identity(KeyPair key, X509Certificate cert) {}

  private static KeyPair ecKey() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    return g.generateKeyPair();
  }

  private static X509Certificate certificate(String subject, PublicKey key, String issuer,
      PrivateKey issuerKey, boolean ca, Optional<KeyPurposeId> usage) throws Exception {
    X509v3CertificateBuilder b = new X509v3CertificateBuilder(new X500Name(issuer),
        BigInteger.valueOf(System.nanoTime()), Date.from(FROM), Date.from(TO),
        new X500Name(subject), SubjectPublicKeyInfo.getInstance(key.getEncoded()));
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    if (usage.isPresent()) {
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(usage.get()));
    }
    if (usage.equals(Optional.of(KeyPurposeId.id_kp_serverAuth))) {
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
          new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
    }
    return Certificates.parseDer(b.build(new JcaContentSignerBuilder("SHA256withECDSA")
        .build(issuerKey)).getEncoded());
  }

  private static String pem(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + label + "-----\n";
  }

  private Identity operator(String name, KeyPair caKey, String caName,
      Optional<KeyPurposeId> usage) throws Exception {
    KeyPair key = ecKey();
    return new Identity(key, certificate("CN=" + name, key.getPublic(), caName,
        caKey.getPrivate(), false, usage));
  }

  @BeforeEach
  void start() throws Exception {
    operatorCaKey = ecKey();
    operatorCa = certificate("CN=Operator CA", operatorCaKey.getPublic(), "CN=Operator CA",
        operatorCaKey.getPrivate(), true, Optional.empty());
    KeyPair serverKey = ecKey();
    serverCert = certificate("CN=certifier operator API", serverKey.getPublic(),
        "CN=certifier operator API", serverKey.getPrivate(), false,
        Optional.of(KeyPurposeId.id_kp_serverAuth));
    Path ca = dir.resolve("operator-ca.pem");
    Files.writeString(ca, pem("CERTIFICATE", operatorCa.getEncoded()));
    Path key = dir.resolve("api-key.pem");
    Files.writeString(key, pem("PRIVATE KEY", serverKey.getPrivate().getEncoded()));
    Path cert = dir.resolve("api-cert.pem");
    Files.writeString(cert, pem("CERTIFICATE", serverCert.getEncoded()));
    Path digest = dir.resolve("token.sha256");
    Files.writeString(digest, OperatorAuth.digestHex(TOKEN));
    service = CertifierService.start(OperatorApiTest.serviceConfig(dir),
        Optional.of(OperatorApi.Config.on("127.0.0.1", 0).withTls(key, cert)
            .withOperatorCa(ca).withToken(digest)));
  }

  @AfterEach
  void stop() throws IOException {
    service.close();
  }

  private HttpClient client(Optional<Identity> identity) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("api", serverCert);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    if (identity.isPresent()) {
      keys.setKeyEntry("me", identity.get().key().getPrivate(), new char[0],
          new X509Certificate[] {identity.get().cert()});
    }
    kmf.init(keys, new char[0]);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(context).build();
  }

  private int status(HttpClient client, String path, Optional<String> token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
        + service.operatorPort().getAsInt() + path));
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return client.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void anOperatorCertificateIsLetIn() throws Exception {
    HttpClient client = client(Optional.of(operator("alice", operatorCaKey, "CN=Operator CA",
        Optional.of(KeyPurposeId.id_kp_clientAuth))));
    assertEquals(200, status(client, "/v1/info", Optional.empty()));
    assertEquals(200, status(client, "/v1/certificates", Optional.empty()));
  }

  @Test
  void theTokenWorksOverTlsWithoutACertificate() throws Exception {
    HttpClient client = client(Optional.empty());
    assertEquals(200, status(client, "/v1/info", Optional.of(TOKEN)));
    assertEquals(200, status(client, "/v1/crl", Optional.empty()), "public");
    assertEquals(200, status(client, "/v1/health", Optional.empty()), "public");
  }

  @Test
  void wrongCertificatesAndNoneAreRefusedAndLogged() throws Exception {
    KeyPair rogueCaKey = ecKey();
    Identity rogue = operator("mallory", rogueCaKey, "CN=Operator CA",
        Optional.of(KeyPurposeId.id_kp_clientAuth));
    Identity serverOnly = operator("server", operatorCaKey, "CN=Operator CA",
        Optional.of(KeyPurposeId.id_kp_serverAuth));
    try (LogCapture log = new LogCapture()) {
      assertEquals(403, status(client(Optional.of(rogue)), "/v1/info", Optional.empty()),
          "same CA name, other key");
      assertEquals(403, status(client(Optional.of(serverOnly)), "/v1/info", Optional.empty()),
          "not meant for TLS clients");
      assertEquals(401, status(client(Optional.empty()), "/v1/info", Optional.empty()));
      List<String> lines = log.lines();
      assertEquals(2, lines.stream().filter(l -> l.contains("403 (untrusted-client-certificate)"
          + " from 127.0.0.1: GET /v1/info")).count(), lines.toString());
      assertTrue(lines.stream().anyMatch(l -> l.contains("401 (no-credentials)")),
          lines.toString());
    }
  }
}
