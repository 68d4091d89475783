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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLContext;
import org.certifier.client.channel.Credentials;
import org.certifier.client.channel.DomainTls;
import org.certifier.client.channel.PeerStatus;
import org.certifier.client.channel.SecureChannel;
import org.certifier.client.channel.SecureChannelServer;
import org.certifier.client.enclave.Enclave;
import org.certifier.client.enclave.EnclaveException;
import org.certifier.client.revocation.Crl;
import org.certifier.client.revocation.CrlSource;
import org.certifier.client.revocation.RevocationChecker;
import org.certifier.client.store.PolicyStore;
import org.certifier.client.store.StoreException;
import org.certifier.crypto.Certificates;
import org.certifier.crypto.CryptoProviders;
import org.certifier.crypto.KeyAlgorithm;
import org.certifier.crypto.KeyMessages;
import org.certifier.crypto.Randomness;
import org.certifier.crypto.SymmetricAlgorithm;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
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
 *
 * <p>In the background (daemon threads, stopped by {@link #close()}): every admission
 * certificate is renewed before it expires ({@link RenewalSettings}), and new channels and
 * {@link #sslContext} handshakes present the renewed certificate at once; with {@link
 * #checkRevocation} the domain's CRL is kept current and peers on it are refused, open channels
 * to them closed. {@link #addListener} reports both.
 */
public final class TrustManager implements AutoCloseable {
  /**
   * What an application may want to hear about. Called on a background thread; a listener must
   * not block, and an exception it throws is ignored.
   */
  public interface Listener {
    /** {@code renewed} replaced {@code previous} in the store and for new handshakes. */
    default void certificateRenewed(String domain, X509Certificate previous,
        X509Certificate renewed) {}

    /** A renewal failed; the current certificate stays in use until it expires. */
    default void renewalFailed(String domain, TrustManagerException failure,
        Instant nextAttempt) {}

    /** A newer CRL of {@code domain} is in force (and open channels were re-checked). */
    default void crlInstalled(String domain, Crl crl) {}

    /** A background CRL fetch failed or the fetched list was refused. */
    default void crlRefreshFailed(String domain, Exception failure, Instant nextAttempt) {}
  }

  /**
   * How the trust manager works in the background.
   *
   * @param scheduler where renewals and CRL refreshes run (their tasks block on the network);
   *     empty for the trust manager's own daemon virtual-thread scheduler, shut down by {@link
   *     TrustManager#close()}
   */
  public record Options(RenewalSettings renewal, Optional<ScheduledExecutorService> scheduler) {
    public static Options defaults() {
      return new Options(RenewalSettings.defaults(), Optional.empty());
    }

    public Options withRenewal(RenewalSettings settings) {
      return new Options(settings, scheduler);
    }

    public Options withScheduler(ScheduledExecutorService executor) {
      return new Options(renewal, Optional.of(executor));
    }
  }

  public static final String PURPOSE_AUTHENTICATION = "authentication";
  /** Store tags and types of the reference (§4.5.1), so C++ and Java read each other's stores. */
  static final String TAG_PUBLIC_KEY_ALGORITHM = "public-key-algorithm";
  static final String TAG_SYMMETRIC_KEY_ALGORITHM = "symmetric-key-algorithm";
  static final String TAG_AUTH_KEY = "auth-key";
  static final String TAG_APP_SYMMETRIC_KEY = "app-symmetric-key";
  static final String TAG_CERTIFIERS = "all-certifiers";
  private static final String SECRET_PREFIX = "app-secret:";
  /** The last CRL installed per domain: the floor below which no older list is accepted. */
  private static final String CRL_PREFIX = "domain-crl:";
  private static final Duration KEY_LIFETIME = Duration.ofDays(365);
  private static final Duration SERVICE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration CHANNEL_TIMEOUT = Duration.ofSeconds(30);

  private final Enclave enclave;
  private final PolicyStore store;
  private final Clock clock;
  private final Options options;
  private final Map<String, certifier_entry> domains = new LinkedHashMap<>();
  /** What handshakes present, per domain; read without the lock by the TLS key manager. */
  private final Map<String, Credentials> credentials = new ConcurrentHashMap<>();
  /** Revocation checkers per domain; read without the lock by the TLS trust manager. */
  private final Map<String, RevocationChecker> revocation = new ConcurrentHashMap<>();
  private final Map<String, ScheduledFuture<?>> renewals = new HashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private ScheduledExecutorService scheduler;
  private boolean closed;
  private SymmetricAlgorithm symmetricAlgorithm;
  private key_message authKey;

  private TrustManager(Enclave enclave, PolicyStore store, Clock clock, Options options) {
    this.enclave = enclave;
    this.store = store;
    this.clock = clock;
    this.options = options;
  }

  /** Opens (or, on first run, starts) the sealed store of this program. */
  public static TrustManager open(Enclave enclave, Path storeFile)
      throws TrustManagerException {
    return open(enclave, storeFile, Clock.systemUTC());
  }

  /** As {@link #open(Enclave, Path)} with an explicit clock (tests pin time). */
  public static TrustManager open(Enclave enclave, Path storeFile, Clock clock)
      throws TrustManagerException {
    return open(enclave, storeFile, clock, Options.defaults());
  }

  /**
   * As {@link #open(Enclave, Path, Clock)} with background options. Renewal of the stored
   * certificates is scheduled at once (an expired one is renewed now).
   */
  public static TrustManager open(Enclave enclave, Path storeFile, Clock clock, Options options)
      throws TrustManagerException {
    CryptoProviders.install();
    try {
      TrustManager tm = new TrustManager(enclave, PolicyStore.open(storeFile, enclave), clock,
          options);
      synchronized (tm) {
        tm.readState();
        for (String domain : tm.domains.keySet()) {
          tm.updateCredentials(domain);
        }
      }
      return tm;
    } catch (StoreException e) {
      throw new TrustManagerException(e.getMessage(), e);
    }
  }

  /** Adds a listener for renewals and CRL updates. */
  public void addListener(Listener listener) {
    listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
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
        updateCredentials(e.getKey());
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
    updateCredentials(name);
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
  public X509Certificate certify(String domain) throws TrustManagerException {
    certifier_entry entry;
    X509Certificate policyCert;
    key_message key;
    trust_request_message request;
    synchronized (this) {
      entry = entry(domain);
      requireKeys();
      policyCert = policyCertificate(domain);
      key = authKey;
      request = buildRequest();
    }
    // The exchange runs without the lock: a renewal in the background must not stall the
    // application's own calls for as long as the service takes to answer.
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
    synchronized (this) {
      certifier_entry now = entry(domain);
      if (key != authKey || !now.getDomainCert().equals(entry.getDomainCert())) {
        throw new TrustManagerException("the keys or the policy certificate of " + domain
            + " changed while certifying; certify again");
      }
      X509Certificate cert = checkAdmissionCertificate(response.getArtifact().toByteArray(),
          policyCert);
      domains.put(domain, now.toBuilder().setIsCertified(true)
          .setAdmissionsCert(response.getArtifact()).build());
      saveState();
      updateCredentials(domain);
      return cert;
    }
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
    admissionCertificate(domain).orElseThrow(() ->
        new TrustManagerException("not certified in domain " + domain + "; call certify first"));
    try {
      // Credentials and revocation are looked up at each handshake: a context made now
      // presents the renewed certificate later and obeys a CRL installed later.
      return DomainTls.context(() -> credentials.get(domain), policyCertificate(domain),
          peerStatus(domain));
    } catch (GeneralSecurityException e) {
      throw new TrustManagerException("cannot build TLS context for " + domain + ": "
          + e.getMessage(), e);
    }
  }

  /** Opens a secure channel to a member of {@code domain} listening at {@code host:port}. */
  public SecureChannel connect(String domain, String host, int port)
      throws TrustManagerException, IOException {
    return SecureChannel.connect(sslContext(domain), host, port, CHANNEL_TIMEOUT,
        peerStatus(domain));
  }

  /** Listens for secure channels from members of {@code domain}. */
  public SecureChannelServer listen(String domain, String host, int port)
      throws TrustManagerException, IOException {
    return SecureChannelServer.bind(sslContext(domain), host, port, CHANNEL_TIMEOUT,
        peerStatus(domain));
  }

  /**
   * Turns on revocation checking for {@code domain}, fail closed: from now on a peer is refused
   * unless a current CRL of the domain (verified under its policy certificate) is in force and
   * does not list the peer's serial (see {@link RevocationChecker}). The CRL last installed is
   * kept in the sealed store, so after a restart an older list is still refused and a list that
   * is still current counts before the first fetch. The list is fetched now and then refreshed
   * in the background.
   *
   * @throws TrustManagerException if no CRL could be installed now; checking stays on (peers are
   *     refused until a list arrives, or decided by the stored list while it is current) and the
   *     background refresh keeps trying
   */
  public RevocationChecker checkRevocation(String domain, CrlSource source,
      RevocationChecker.Settings settings) throws TrustManagerException {
    RevocationChecker checker;
    synchronized (this) {
      requireOpen();
      if (revocation.containsKey(domain)) {
        throw new TrustManagerException("revocation checking for " + domain + " is already on");
      }
      checker = new RevocationChecker(policyCertificate(domain), source, settings, clock,
          crlListener(domain));
      Optional<byte[]> stored = store.value(CRL_PREFIX + domain);
      if (stored.isPresent()) {
        try {
          checker.restore(stored.get());
        } catch (VerificationException e) {
          // Not a list of this domain's current policy certificate: no floor to keep.
        }
      }
      revocation.put(domain, checker);
    }
    try {
      checker.refresh();
      return checker;
    } catch (IOException | VerificationException e) {
      throw new TrustManagerException("revocation checking for " + domain + " is on, but no CRL"
          + " could be installed from " + source + ": " + e.getMessage()
          + checker.current().map(c -> "; the stored CRL number " + c.number() + " is in force")
              .orElse("; peers are refused until a CRL is obtained"), e);
    } finally {
      synchronized (this) {
        if (!closed) {
          checker.start(scheduler());
        }
      }
    }
  }

  /** The revocation checker of {@code domain}, if {@link #checkRevocation} turned it on. */
  public Optional<RevocationChecker> revocationChecker(String domain) {
    return Optional.ofNullable(revocation.get(domain));
  }

  /** Stops renewals and CRL refreshes; the store and the keys stay as they are. */
  @Override
  public synchronized void close() {
    closed = true;
    renewals.values().forEach(f -> f.cancel(false));
    renewals.clear();
    revocation.values().forEach(RevocationChecker::close);
    if (scheduler != null && options.scheduler().isEmpty()) {
      scheduler.shutdownNow();
    }
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

  /**
   * Makes what handshakes present in {@code domain} match the store, and plans the renewal of
   * the certificate (or cancels it when there is none).
   */
  private void updateCredentials(String domain) {
    ScheduledFuture<?> planned = renewals.remove(domain);
    if (planned != null) {
      planned.cancel(false);
    }
    certifier_entry entry = domains.get(domain);
    X509Certificate cert = null;
    PrivateKey key = null;
    if (entry != null && entry.getIsCertified() && entry.hasAdmissionsCert() && authKey != null) {
      try {
        cert = Certificates.parseDer(entry.getAdmissionsCert().toByteArray());
        key = KeyMessages.toPrivateKey(authKey);
      } catch (GeneralSecurityException e) {
        cert = null;
      }
    }
    if (cert == null) {
      credentials.remove(domain);
      return;
    }
    credentials.put(domain, new Credentials(key, cert));
    RenewalSettings settings = options.renewal();
    if (settings.enabled() && !closed) {
      Instant at = settings.renewalTime(cert.getNotBefore().toInstant(),
          cert.getNotAfter().toInstant(), RandomGenerator.getDefault());
      scheduleRenewal(domain, cert, Duration.between(clock.instant(), at), 0);
    }
  }

  private void scheduleRenewal(String domain, X509Certificate current, Duration delay,
      int failures) {
    renewals.put(domain, scheduler().schedule(() -> renew(domain, current, failures),
        Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS));
  }

  /** One renewal attempt, run in the background; success plans the next renewal itself. */
  private void renew(String domain, X509Certificate previous, int failures) {
    synchronized (this) {
      if (closed) {
        return;
      }
    }
    try {
      X509Certificate renewed = certify(domain);
      tell(l -> l.certificateRenewed(domain, previous, renewed));
    } catch (TrustManagerException | RuntimeException e) {
      TrustManagerException failure = e instanceof TrustManagerException t ? t
          : new TrustManagerException("renewal failed: " + e, e);
      Duration delay = options.renewal().retryDelay(failures + 1);
      synchronized (this) {
        if (closed) {
          return;
        }
        scheduleRenewal(domain, previous, delay, failures + 1);
      }
      tell(l -> l.renewalFailed(domain, failure, clock.instant().plus(delay)));
    }
  }

  /** Keeps each installed CRL in the store and passes the news on to the listeners. */
  private RevocationChecker.Listener crlListener(String domain) {
    return new RevocationChecker.Listener() {
      @Override
      public void installed(Crl crl) {
        try {
          synchronized (TrustManager.this) {
            store.put(CRL_PREFIX + domain, "crl", crl.encoded());
            saveState();
          }
        } catch (StoreException | TrustManagerException e) {
          tell(l -> l.crlRefreshFailed(domain, e, clock.instant()));
        }
        tell(l -> l.crlInstalled(domain, crl));
      }

      @Override
      public void refreshFailed(Exception failure, Instant nextAttempt) {
        tell(l -> l.crlRefreshFailed(domain, failure, nextAttempt));
      }
    };
  }

  /** The domain's revocation checker as the channel sees it, looked up at each use. */
  private PeerStatus peerStatus(String domain) {
    return new PeerStatus() {
      @Override
      public void check(X509Certificate peer) throws java.security.cert.CertificateException {
        RevocationChecker checker = revocation.get(domain);
        if (checker != null) {
          checker.check(peer);
        }
      }

      @Override
      public Watch watch(X509Certificate peer, Consumer<String> onRevoked) {
        RevocationChecker checker = revocation.get(domain);
        return checker == null ? PeerStatus.NONE.watch(peer, onRevoked)
            : checker.watch(peer, onRevoked);
      }
    };
  }

  private void tell(Consumer<Listener> event) {
    for (Listener listener : listeners) {
      try {
        event.accept(listener);
      } catch (RuntimeException e) {
        // A listener's bug must not stop renewals or CRL refreshes.
      }
    }
  }

  private ScheduledExecutorService scheduler() {
    if (scheduler == null) {
      scheduler = options.scheduler().orElseGet(() -> Executors.newScheduledThreadPool(2,
          Thread.ofVirtual().name("certifier-background-", 0).factory()));
    }
    return scheduler;
  }

  private void requireOpen() throws TrustManagerException {
    if (closed) {
      throw new TrustManagerException("trust manager is closed");
    }
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
