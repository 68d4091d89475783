package org.certifier.service.operator;

import java.io.IOException;
import java.io.Reader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.certifier.crypto.Certificates;

/**
 * The operator API's TLS server side: its own key and certificate (PEM files, not the domain's
 * policy key: the API's key lives on a network-facing listener), and a client-certificate
 * request naming the operator CAs.
 *
 * <p>The handshake accepts whatever client certificate is offered (TLS itself still proves the
 * client holds its key); the chain is judged per request by {@link OperatorAuth}. A wrong
 * certificate thus gets a logged 403 with a fixed reason instead of an anonymous handshake
 * failure, and the public endpoints ({@code /v1/health}, {@code /v1/crl}) stay reachable
 * without one.
 */
final class OperatorTls {
  private OperatorTls() {}

  static SSLContext serverContext(Path keyFile, Path certFile, List<X509Certificate> operatorCas)
      throws IOException {
    PrivateKey key = privateKey(keyFile);
    List<X509Certificate> chain;
    try {
      String text = Files.readString(certFile, StandardCharsets.US_ASCII);
      chain = Certificates.parsePem(text);
      if (!keyMatches(key, chain.get(0))) {
        throw new IOException("the operator API certificate " + certFile
            + " is not for the key in " + keyFile);
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] none = new char[0];
      store.setKeyEntry("operator-api", key, none, chain.toArray(X509Certificate[]::new));
      KeyManagerFactory keys = KeyManagerFactory.getInstance(
          KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, none);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), new TrustManager[] {new DeferredClientTrust(
          operatorCas)}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("unusable operator API TLS key or certificate (" + keyFile + ", "
          + certFile + "): " + e.getMessage(), e);
    }
  }

  /** Whether {@code cert} is for {@code key}: a signature by the one verifies under the other. */
  private static boolean keyMatches(PrivateKey key, X509Certificate cert)
      throws GeneralSecurityException {
    byte[] probe = "operator-api key check".getBytes(StandardCharsets.US_ASCII);
    String algorithm = switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      default -> throw new GeneralSecurityException("the operator API key must be RSA or EC");
    };
    java.security.Signature signer = java.security.Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(probe);
    byte[] signature = signer.sign();
    java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
    verifier.initVerify(cert.getPublicKey());
    verifier.update(probe);
    return verifier.verify(signature);
  }

  /** A PEM private key: PKCS#8 ("PRIVATE KEY") or OpenSSL's RSA/EC key pairs. */
  private static PrivateKey privateKey(Path keyFile) throws IOException {
    try (Reader reader = Files.newBufferedReader(keyFile, StandardCharsets.US_ASCII);
        PEMParser pem = new PEMParser(reader)) {
      Object object = pem.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      return switch (object) {
        case PrivateKeyInfo info -> converter.getPrivateKey(info);
        case PEMKeyPair pair -> converter.getKeyPair(pair).getPrivate();
        case null -> throw new IOException("no PEM private key in " + keyFile);
        default -> throw new IOException("unsupported PEM object in " + keyFile
            + " (expected an unencrypted PRIVATE KEY)");
      };
    }
  }

  /** Accepts any client chain at the handshake; {@link OperatorAuth} judges it per request. */
  private static final class DeferredClientTrust extends X509ExtendedTrustManager {
    private final X509Certificate[] issuers;

    DeferredClientTrust(List<X509Certificate> operatorCas) {
      this.issuers = operatorCas.toArray(X509Certificate[]::new);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws java.security.cert.CertificateException {
      throw new java.security.cert.CertificateException("the operator API is a server only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws java.security.cert.CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws java.security.cert.CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return issuers.clone();
    }
  }
}
