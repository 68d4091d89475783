package org.certifier.client;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.certifier.client.channel.DomainTls;
import org.certifier.client.channel.SecureChannel;
import org.certifier.client.channel.SecureChannelServer;
import org.certifier.client.enclave.Enclave;
import org.certifier.client.enclave.EnclaveException;
import org.certifier.client.store.PolicyStore;
import org.certifier.client.store.StoreException;
import org.certifier.crypto.Certificates;
import org.certifier.crypto.CryptoProviders;
import org.certifier.crypto.KeyAlgorithm;
import org.certifier.crypto.KeyMessages;
import org.certifier.crypto.Randomness;
import org.certifier.crypto.SymmetricAlgorithm;
import org.certifier.evidence.Failure;
import org.certifier.proto.certifier_entry;
import org.certifier.proto.certifiers_message;
import org.certifier.proto.key_message;
import org.certifier.proto.trust_request_message;
import org.certifier.proto.trust_response_message;
import org.certifier.protocol.MalformedMessageException;
import org.certifier.protocol.Messages;
import org.certifier.protocol.TimeStrings;

/**
 * The application's single entry point to its security domains. A program in a TEE needs about
 * six calls:
 *
 * <pre>{@code
 * TrustManager tm = TrustManager.open(enclave, storeFile);          // sealed store, warm restart
 * tm.initializeKeys("rsa-2048", "aes-256-cbc-hmac-sha256", false);  // once, kept in the store
 * tm.addDomain("datica-test", policyCert, "localhost", 8123);       // trust anchor + service
 * tm.certify("datica-test");                                        // admission certificate
 * SecureChannel ch = tm.connect("datica-test", "server", 8124);     // mutual TLS to a peer
 * SSLContext ctx = tm.sslContext("datica-test");                    // or any Java TLS stack
 * }</pre>
 *
 * <p>State lives in the reference's policy store format (reference-certifier.md §4.5), sealed
 * by the enclave and written atomically after every change. Unlike the reference client, a
 * returned admission certificate is checked (issued by the domain's policy key, for our key,
 * currently valid) before it is stored. Methods are synchronized: one trust manager may be
 * shared by threads.
 */
public final class TrustManager {
  public static final String PURPOSE_AUTHENTICATION = "authentication";
  /** Store tags and types of the reference (§4.5.1), so C++ and Java read each other's stores. */
  static final String TAG_PUBLIC_KEY_ALGORITHM = "public-key-algorithm";
  static final String TAG_SYMMETRIC_KEY_ALGORITHM = "symmetric-key-algorithm";
  static final String TAG_AUTH_KEY = "auth-key";
  static final String TAG_APP_SYMMETRIC_KEY = "app-symmetric-key";
  static final String TAG_CERTIFIERS = "all-certifiers";
  private static final String SECRET_PREFIX = "app-secret:";
  private static final Duration KEY_LIFETIME = Duration.ofDays(365);
  private static final Duration SERVICE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration CHANNEL_TIMEOUT = Duration.ofSeconds(30);

  private final Enclave enclave;
  private final PolicyStore store;
  private final Clock clock;
  private final Map<String, certifier_entry> domains = new LinkedHashMap<>();
  private SymmetricAlgorithm symmetricAlgorithm;
  private key_message authKey;

  private TrustManager(Enclave enclave, PolicyStore store, Clock clock) {
    this.enclave = enclave;
    this.store = store;
    this.clock = clock;
  }

  /** Opens (or, on first run, starts) the sealed store of this program. */
  public static TrustManager open(Enclave enclave, Path storeFile)
      throws TrustManagerException {
    return open(enclave, storeFile, Clock.systemUTC());
  }

  /** As {@link #open(Enclave, Path)} with an explicit clock (tests pin time). */
  public static TrustManager open(Enclave enclave, Path storeFile, Clock clock)
      throws TrustManagerException {
    CryptoProviders.install();
    try {
      TrustManager tm = new TrustManager(enclave, PolicyStore.open(storeFile, enclave), clock);
      tm.readState();
      return tm;
    } catch (StoreException e) {
      throw new TrustManagerException(e.getMessage(), e);
    }
  }

  /** True once {@link #initializeKeys} has run (now or in an earlier process). */
  public synchronized boolean hasKeys() {
    return authKey != null;
  }

  /**
   * Generates the program's authentication key and application symmetric key, unless they exist
   * and {@code force} is false. New keys void every admission certificate (they certify the old
   * key), so all domains must be certified again.
   *
   * @param publicKeyAlgorithm {@code rsa-2048}, {@code rsa-3072} or {@code rsa-4096} (admission
   *     certificates and the channel are RSA-only in the reference profile)
   * @param symmetricAlgorithm e.g. {@code aes-256-cbc-hmac-sha256} or {@code aes-256-gcm}
   */
  public synchronized void initializeKeys(String publicKeyAlgorithm, String symmetricAlgorithm,
      boolean force) throws TrustManagerException {
    if (authKey != null && !force) {
      return;
    }
    try {
      KeyAlgorithm pk = KeyAlgorithm.fromLabel(publicKeyAlgorithm);
      if (!pk.isRsa() || pk == KeyAlgorithm.RSA_1024) {
        throw new TrustManagerException("auth key algorithm " + publicKeyAlgorithm
            + " is not supported: admission certificates need rsa-2048, rsa-3072 or rsa-4096");
      }
      SymmetricAlgorithm sym = SymmetricAlgorithm.fromLabel(symmetricAlgorithm);
      Instant now = clock.instant();
      KeyPair pair = KeyMessages.generate(pk, Randomness.secureRandom());
      key_message key = KeyMessages.fromKeyPair(pair, TAG_AUTH_KEY).toBuilder()
          .setNotBefore(TimeStrings.format(now))
          .setNotAfter(TimeStrings.format(now.plus(KEY_LIFETIME)))
          .build();
      byte[] bits = new byte[sym.keySize()];
      Randomness.secureRandom().nextBytes(bits);
      key_message appKey = KeyMessages.symmetricKey(sym, bits, TAG_APP_SYMMETRIC_KEY).toBuilder()
          .setNotBefore(TimeStrings.format(now))
          .setNotAfter(TimeStrings.format(now.plus(KEY_LIFETIME)))
          .build();
      java.util.Arrays.fill(bits, (byte) 0);
      store.put(TAG_PUBLIC_KEY_ALGORITHM, "string", pk.label().getBytes(StandardCharsets.UTF_8));
      store.put(TAG_SYMMETRIC_KEY_ALGORITHM, "string", sym.label().getBytes(StandardCharsets.UTF_8));
      store.put(TAG_AUTH_KEY, "key", key.toByteArray());
      store.put(TAG_APP_SYMMETRIC_KEY, "key", appKey.toByteArray());
      this.authKey = key;
      this.symmetricAlgorithm = sym;
      for (Map.Entry<String, certifier_entry> e : domains.entrySet()) {
        e.setValue(e.getValue().toBuilder().setIsCertified(false).clearAdmissionsCert().build());
      }
      saveState();
    } catch (GeneralSecurityException e) {
      throw new TrustManagerException("cannot create keys: " + e.getMessage(), e);
    } catch (StoreException e) {
      throw new TrustManagerException(e.getMessage(), e);
    }
  }

  /**
   * Registers (or updates) a security domain: its policy certificate, the only trust anchor for
   * its members, and where its Certifier Service listens. Does not certify.
   */
  public synchronized void addDomain(String name, X509Certificate policyCert, String host,
      int port) throws TrustManagerException {
    if (name == null || name.isBlank()) {
      throw new TrustManagerException("domain name must not be empty");
    }
    if (port < 1 || port > 65535) {
      throw new TrustManagerException("invalid Certifier Service port " + port);
    }
    byte[] der;
    try {
      der = policyCert.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new TrustManagerException("cannot encode policy certificate", e);
    }
    certifier_entry old = domains.get(name);
    certifier_entry.Builder entry = certifier_entry.newBuilder()
        .setDomainName(name)
        .setDomainCert(ByteString.copyFrom(der))
        .setDomainHost(host)
        .setDomainPort(port)
        .setPurpose(PURPOSE_AUTHENTICATION)
        .setIsCertified(false)
        .setIsInitialized(true);
    // Keep an existing certificate only if it was issued under the same policy certificate.
    if (old != null && old.getIsCertified() && old.getDomainCert().equals(entry.getDomainCert())) {
      entry.setIsCertified(true).setAdmissionsCert(old.getAdmissionsCert());
    }
    domains.put(name, entry.build());
    saveState();
  }

  public synchronized Set<String> domains() {
    return Set.copyOf(domains.keySet());
  }

  public synchronized boolean isCertified(String domain) throws TrustManagerException {
    return entry(domain).getIsCertified();
  }

  /**
   * Asks the domain's Certifier Service to admit this program: sends the platform evidence and an
   * attestation of our public auth key, checks the returned admission certificate and stores it.
   *
   * @throws TrustManagerException with {@link TrustManagerException#failure()} set when the
   *     service refused, e.g. {@link Failure#UNKNOWN_MEASUREMENT}
   */
  public synchronized X509Certificate certify(String domain) throws TrustManagerException {
    certifier_entry entry = entry(domain);
    requireKeys();
    X509Certificate policyCert = policyCertificate(domain);
    trust_request_message request = buildRequest();
    trust_response_message response;
    try {
      response = CertifierConnection.exchange(entry.getDomainHost(), entry.getDomainPort(),
          request, SERVICE_TIMEOUT);
    } catch (IOException e) {
      throw new TrustManagerException("cannot reach the Certifier Service of " + domain + " at "
          + entry.getDomainHost() + ":" + entry.getDomainPort() + ": " + e.getMessage(), e);
    }
    if (!"succeeded".equals(response.getStatus())) {
      Failure failure = failureFrom(response);
      throw new TrustManagerException("the Certifier Service of " + domain
          + " refused certification: " + (failure == null ? response.getStatus()
          : failure.code()), failure, null);
    }
    X509Certificate cert = checkAdmissionCertificate(response.getArtifact().toByteArray(),
        policyCert);
    domains.put(domain, entry.toBuilder().setIsCertified(true)
        .setAdmissionsCert(response.getArtifact()).build());
    saveState();
    return cert;
  }

  /** The admission certificate for {@code domain}, if certified. */
  public synchronized Optional<X509Certificate> admissionCertificate(String domain)
      throws TrustManagerException {
    certifier_entry entry = entry(domain);
    if (!entry.getIsCertified() || !entry.hasAdmissionsCert()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Certificates.parseDer(entry.getAdmissionsCert().toByteArray()));
    } catch (GeneralSecurityException e) {
      throw new TrustManagerException("stored admission certificate of " + domain
          + " is corrupt", e);
    }
  }

  /** The domain's policy certificate (its trust anchor). */
  public synchronized X509Certificate policyCertificate(String domain)
      throws TrustManagerException {
    try {
      return Certificates.parseDer(entry(domain).getDomainCert().toByteArray());
    } catch (GeneralSecurityException e) {
      throw new TrustManagerException("stored policy certificate of " + domain + " is corrupt",
          e);
    }
  }

  /**
   * A TLS context with this program's domain credentials and the domain's policy certificate as
   * the only trust anchor, for HttpClient, Netty, Jetty, gRPC or {@link SecureChannel}.
   */
  public synchronized SSLContext sslContext(String domain) throws TrustManagerException {
    X509Certificate cert = admissionCertificate(domain).orElseThrow(() ->
        new TrustManagerException("not certified in domain " + domain + "; call certify first"));
    try {
      return DomainTls.context(privateAuthKey(), cert, policyCertificate(domain));
    } catch (GeneralSecurityException e) {
      throw new TrustManagerException("cannot build TLS context for " + domain + ": "
          + e.getMessage(), e);
    }
  }

  /** Opens a secure channel to a member of {@code domain} listening at {@code host:port}. */
  public SecureChannel connect(String domain, String host, int port)
      throws TrustManagerException, IOException {
    return SecureChannel.connect(sslContext(domain), host, port, CHANNEL_TIMEOUT);
  }

  /** Listens for secure channels from members of {@code domain}. */
  public SecureChannelServer listen(String domain, String host, int port)
      throws TrustManagerException, IOException {
    return SecureChannelServer.bind(sslContext(domain), host, port, CHANNEL_TIMEOUT);
  }

  /** Keeps an application secret in the sealed store under {@code name}. */
  public synchronized void putSecret(String name, byte[] secret) throws TrustManagerException {
    try {
      store.put(SECRET_PREFIX + name, "secret", secret);
    } catch (StoreException e) {
      throw new TrustManagerException(e.getMessage(), e);
    }
    saveState();
  }

  /** An application secret stored with {@link #putSecret}. */
  public synchronized Optional<byte[]> secret(String name) {
    return store.value(SECRET_PREFIX + name);
  }

  /** The enclave's measurement of this program. */
  public byte[] measurement() {
    return enclave.measurement();
  }

  /** The public half of the auth key, as certified. */
  public synchronized PublicKey publicAuthKey() throws TrustManagerException {
    requireKeys();
    try {
      return KeyMessages.toPublicKey(authKey);
    } catch (GeneralSecurityException e) {
      throw new TrustManagerException("stored auth key is unusable", e);
    }
  }

  private PrivateKey privateAuthKey() throws TrustManagerException {
    requireKeys();
    try {
      return KeyMessages.toPrivateKey(authKey);
    } catch (GeneralSecurityException e) {
      throw new TrustManagerException("stored auth key is unusable", e);
    }
  }

  private trust_request_message buildRequest() throws TrustManagerException {
    try {
      return TrustRequests.build(enclave, KeyMessages.publicPart(authKey),
          PURPOSE_AUTHENTICATION, clock.instant());
    } catch (EnclaveException e) {
      throw new TrustManagerException("the enclave could not attest: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new TrustManagerException("stored auth key is unusable", e);
    }
  }

  private X509Certificate checkAdmissionCertificate(byte[] der, X509Certificate policyCert)
      throws TrustManagerException {
    try {
      X509Certificate cert = Certificates.parseDer(der);
      cert.verify(policyCert.getPublicKey());
      cert.checkValidity(java.util.Date.from(clock.instant()));
      if (!cert.getPublicKey().equals(publicAuthKey())) {
        throw new TrustManagerException("admission certificate certifies another key");
      }
      if (DomainTls.peerId(cert).isEmpty()) {
        throw new TrustManagerException("admission certificate names no measured program");
      }
      return cert;
    } catch (GeneralSecurityException e) {
      throw new TrustManagerException("the Certifier Service returned an admission certificate"
          + " that does not check out: " + e.getMessage(), e);
    }
  }

  private static Failure failureFrom(trust_response_message response) {
    if (!response.hasFailureCode()) {
      return null;
    }
    for (Failure f : Failure.values()) {
      if (f.code().equals(response.getFailureCode())) {
        return f;
      }
    }
    return null;
  }

  private certifier_entry entry(String domain) throws TrustManagerException {
    certifier_entry entry = domains.get(domain);
    if (entry == null) {
      throw new TrustManagerException("unknown domain " + domain + "; call addDomain first");
    }
    return entry;
  }

  private void requireKeys() throws TrustManagerException {
    if (authKey == null) {
      throw new TrustManagerException("no keys yet; call initializeKeys first");
    }
  }

  private void readState() throws TrustManagerException {
    try {
      Optional<byte[]> key = store.value(TAG_AUTH_KEY);
      if (key.isPresent()) {
        authKey = Messages.parse(key_message.parser(), key.get(), "stored auth key");
        KeyMessages.toPrivateKey(authKey);
      }
      Optional<byte[]> sym = store.value(TAG_SYMMETRIC_KEY_ALGORITHM);
      symmetricAlgorithm = SymmetricAlgorithm.fromLabel(sym.isPresent()
          ? new String(sym.get(), StandardCharsets.UTF_8)
          : SymmetricAlgorithm.AES_256_CBC_HMAC_SHA256.label());
      Optional<byte[]> certifiers = store.value(TAG_CERTIFIERS);
      if (certifiers.isPresent()) {
        for (certifier_entry e : Messages.parse(certifiers_message.parser(), certifiers.get(),
            "stored domains").getMyCertifiersList()) {
          domains.put(e.getDomainName(), e);
        }
      }
    } catch (MalformedMessageException | GeneralSecurityException e) {
      throw new TrustManagerException("store " + store.file() + " holds unusable state: "
          + e.getMessage(), e);
    }
  }

  private void saveState() throws TrustManagerException {
    try {
      store.put(TAG_CERTIFIERS, "certifiers_message", certifiers_message.newBuilder()
          .addAllMyCertifiers(domains.values()).build().toByteArray());
      store.save(symmetricAlgorithm);
    } catch (StoreException e) {
      throw new TrustManagerException(e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "TrustManager[" + enclave.enclaveType() + ", domains=" + domains.keySet() + "]";
  }
}
