package org.certifier.client.channel;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Principal;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.certifier.crypto.Certificates;
import org.certifier.crypto.Randomness;

/**
 * Builds the TLS context of a security domain (reference-certifier.md §4.9): our credentials are
 * the auth key and its admission certificate; the only trust anchor is the domain's policy
 * certificate, so a peer is accepted exactly when its certificate was issued by this domain's
 * Certifier Service. Unlike the reference, our own certificate is not added as an anchor, and a
 * peer certificate must name a measured program ({@code O=Measured-...}) and, when the domain's
 * revocation list is checked, must not be on it.
 */
public final class DomainTls {
  /** TLS 1.3 first; 1.2 stays for peers built on older OpenSSL, as the reference allows it. */
  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
  private static final String MEASURED_PREFIX = "Measured-";

  private DomainTls() {}

  /** An SSLContext for any Java TLS stack that authenticates as, and accepts, domain members. */
  public static SSLContext context(PrivateKey authKey, X509Certificate admissionCert,
      X509Certificate policyCert) throws GeneralSecurityException {
    Credentials fixed = new Credentials(authKey, admissionCert);
    return context(() -> fixed, policyCert, PeerStatus.NONE);
  }

  /**
   * As {@link #context(PrivateKey, X509Certificate, X509Certificate)}, but the credentials are
   * read at every handshake (a renewed certificate is used at once) and every peer must also
   * pass {@code peerStatus} (e.g. the domain's revocation list). {@code credentials} may return
   * null while there are none; such handshakes fail.
   */
  public static SSLContext context(Supplier<Credentials> credentials, X509Certificate policyCert,
      PeerStatus peerStatus) throws GeneralSecurityException {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(new KeyManager[] {new CurrentCredentialsKeyManager(credentials)},
        new TrustManager[] {trustManager(policyCert, peerStatus)}, Randomness.secureRandom());
    return context;
  }

  /** A trust manager that accepts only certificates issued under {@code policyCert}. */
  public static X509TrustManager trustManager(X509Certificate policyCert)
      throws GeneralSecurityException {
    return trustManager(policyCert, PeerStatus.NONE);
  }

  /**
   * A trust manager that accepts only certificates issued under {@code policyCert} that name a
   * measured program and pass {@code peerStatus}.
   */
  public static X509TrustManager trustManager(X509Certificate policyCert, PeerStatus peerStatus)
      throws GeneralSecurityException {
    KeyStore anchors = KeyStore.getInstance("PKCS12");
    try {
      anchors.load(null, null);
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException("cannot create an in-memory trust store", e);
    }
    anchors.setCertificateEntry("policy-cert", policyCert);
    PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, new X509CertSelector());
    // Admission certificates carry no revocation pointers: the domain's own CRL is consulted
    // through peerStatus, not the JDK's online checking.
    params.setRevocationEnabled(false);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(new CertPathTrustManagerParameters(params));
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509TrustManager x509) {
        return new MeasuredPeerTrustManager(x509, peerStatus);
      }
    }
    throw new GeneralSecurityException("the JDK offers no X.509 trust manager");
  }

  /** The peer's program identity, {@code Measured-<hex>}, from its certificate's subject O. */
  public static Optional<String> peerId(X509Certificate cert) {
    try {
      return Certificates.subjectAttribute(cert, "O").filter(o -> o.startsWith(MEASURED_PREFIX));
    } catch (GeneralSecurityException e) {
      return Optional.empty();
    }
  }

  /**
   * Adds the measured-program check and the peer status (revocation) to the JDK's PKIX
   * validation against the policy cert.
   */
  private static final class MeasuredPeerTrustManager implements X509TrustManager {
    private final X509TrustManager pkix;
    private final PeerStatus peerStatus;

    MeasuredPeerTrustManager(X509TrustManager pkix, PeerStatus peerStatus) {
      this.pkix = pkix;
      this.peerStatus = peerStatus;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      pkix.checkClientTrusted(chain, authType);
      requireMeasured(chain);
      peerStatus.check(chain[0]);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      pkix.checkServerTrusted(chain, authType);
      requireMeasured(chain);
      peerStatus.check(chain[0]);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return pkix.getAcceptedIssuers();
    }

    private static void requireMeasured(X509Certificate[] chain) throws CertificateException {
      if (chain == null || chain.length == 0 || peerId(chain[0]).isEmpty()) {
        Principal subject = chain == null || chain.length == 0 ? null
            : chain[0].getSubjectX500Principal();
        throw new CertificateException("peer certificate " + subject
            + " does not name a measured program", new CertPathValidatorException());
      }
    }
  }
}
