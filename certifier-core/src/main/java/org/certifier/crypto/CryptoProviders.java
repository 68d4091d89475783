package org.certifier.crypto;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Locale;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Chooses the JCA provider for the whole process. Where it loads, the Amazon Corretto Crypto
 * Provider (AWS-LC, native) goes first: it signs RSA-2048 about five times faster than the JDK
 * (docs/benchmarks.md), and RSA signing is most of a certification's work. The JDK's providers
 * stay installed behind it, so anything it does not implement still works, and they are the
 * whole answer where the native library cannot load (another CPU architecture, a locked-down
 * {@code /tmp}) or fails its self-test.
 *
 * <p>Before it is used, the native provider must agree with the JDK on every primitive this
 * project relies on, checked with the JDK as the reference implementation: identical RSA
 * PKCS#1 v1.5 signatures (deterministic) on an embedded self-test key, ECDSA P-256 and P-384
 * signatures that verify across providers in both directions, identical AES-GCM ciphertexts
 * and SHA-256/384 digests. Any disagreement keeps the JDK and says so in the log.
 *
 * <p>{@code CERTIFIER_CRYPTO} (or the system property {@code certifier.crypto}) selects:
 * {@code auto} (the default: native if healthy, else the JDK), {@code jdk} (never native),
 * {@code native} (native or fail: for deployments that must not silently run slower).
 */
public final class CryptoProviders {
  private static final System.Logger LOG = System.getLogger("org.certifier.crypto");
  private static final String SELF_TEST_KEY = "self-test-rsa-2048.pk8";
  private static Selection selection;

  /** What the process runs on, and why. */
  public record Selection(String provider, boolean nativeProvider, String reason) {}

  private CryptoProviders() {}

  /**
   * Installs the preferred provider once per process, as configured; later calls return the
   * first answer.
   *
   * @throws IllegalStateException if {@code native} was demanded and cannot be had
   */
  public static synchronized Selection install() {
    if (selection == null) {
      selection = choose(configured());
      LOG.log(Level.DEBUG, "crypto provider: {0} ({1})", selection.provider(),
          selection.reason());
    }
    return selection;
  }

  private static String configured() {
    String value = System.getProperty("certifier.crypto");
    if (value == null || value.isBlank()) {
      value = System.getenv("CERTIFIER_CRYPTO");
    }
    return value == null || value.isBlank() ? "auto" : value.trim().toLowerCase(Locale.ROOT);
  }

  private static Selection choose(String mode) {
    Selection jdk = new Selection(Security.getProviders()[0].getName(), false,
        "JDK providers as configured");
    switch (mode) {
      case "jdk":
        return new Selection(jdk.provider(), false, "CERTIFIER_CRYPTO=jdk");
      case "auto":
      case "native":
        break;
      default:
        throw new IllegalStateException("CERTIFIER_CRYPTO must be auto, jdk or native, not \""
            + mode + "\"");
    }
    String problem = nativeProblem();
    if (problem == null) {
      Provider accp = AmazonCorrettoCryptoProvider.INSTANCE;
      if (Security.getProvider(accp.getName()) == null) {
        Security.insertProviderAt(accp, 1);
      }
      return new Selection(accp.getName(), true, "native provider loaded and self-tested");
    }
    if (mode.equals("native")) {
      throw new IllegalStateException("CERTIFIER_CRYPTO=native but the native provider is"
          + " unusable: " + problem);
    }
    LOG.log(Level.WARNING, "native crypto provider unusable ({0}); using the JDK's", problem);
    return new Selection(jdk.provider(), false, "native provider unusable: " + problem);
  }

  /** Null if the native provider loaded and agrees with the JDK; else what went wrong. */
  static String nativeProblem() {
    Provider accp;
    try {
      accp = AmazonCorrettoCryptoProvider.INSTANCE;
      Throwable loading = AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError();
      if (loading != null) {
        return "native library did not load: " + loading;
      }
      AmazonCorrettoCryptoProvider.INSTANCE.assertHealthy();
    } catch (LinkageError | RuntimeException e) {
      return "native library did not load: " + e;
    }
    try {
      return agreesWithJdk(accp);
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      return "self-test failed: " + e;
    }
  }

  /** Null if {@code candidate} computes exactly what the JDK computes; else the difference. */
  static String agreesWithJdk(Provider candidate) throws GeneralSecurityException, IOException {
    byte[] message = "certifier provider self-test".getBytes(StandardCharsets.US_ASCII);

    // RSA PKCS#1 v1.5 is deterministic: both providers must produce the same bytes, with the
    // key converted by each provider's own factory from its components, as KeyMessages does.
    RSAPrivateCrtKey jdkRsa = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA", "SunRsaSign")
        .generatePrivate(new PKCS8EncodedKeySpec(selfTestKey()));
    PrivateKey nativeRsa = KeyFactory.getInstance("RSA", candidate)
        .generatePrivate(new RSAPrivateCrtKeySpec(jdkRsa.getModulus(),
            jdkRsa.getPublicExponent(), jdkRsa.getPrivateExponent(), jdkRsa.getPrimeP(),
            jdkRsa.getPrimeQ(), jdkRsa.getPrimeExponentP(), jdkRsa.getPrimeExponentQ(),
            jdkRsa.getCrtCoefficient()));
    byte[] expected = sign("SHA256withRSA", Security.getProvider("SunRsaSign"), jdkRsa, message);
    byte[] actual = sign("SHA256withRSA", candidate, nativeRsa, message);
    if (!Arrays.equals(expected, actual)) {
      return "RSA-2048 SHA-256 signatures differ from the JDK's";
    }
    PublicKey rsaPublic = KeyFactory.getInstance("RSA", candidate).generatePublic(
        new RSAPublicKeySpec(jdkRsa.getModulus(), jdkRsa.getPublicExponent()));
    if (!verify("SHA256withRSA", candidate, rsaPublic, message, expected)) {
      return "RSA-2048 SHA-256 verification of the JDK's signature failed";
    }

    for (String[] ec : new String[][] {{"secp256r1", "SHA256withECDSA"},
        {"secp384r1", "SHA384withECDSA"}}) {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", "SunEC");
      generator.initialize(new ECGenParameterSpec(ec[0]));
      KeyPair pair = generator.generateKeyPair();
      byte[] byJdk = sign(ec[1], Security.getProvider("SunEC"), pair.getPrivate(), message);
      byte[] byNative = sign(ec[1], candidate, pair.getPrivate(), message);
      if (!verify(ec[1], candidate, pair.getPublic(), message, byJdk)
          || !verify(ec[1], Security.getProvider("SunEC"), pair.getPublic(), message,
              byNative)) {
        return ec[1] + " signatures do not verify across providers";
      }
    }

    SecretKeySpec aes = new SecretKeySpec(Arrays.copyOf(expected, 32), "AES");
    GCMParameterSpec nonce = new GCMParameterSpec(128, Arrays.copyOfRange(expected, 32, 44));
    Cipher jdkGcm = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
    jdkGcm.init(Cipher.ENCRYPT_MODE, aes, nonce);
    Cipher nativeGcm = Cipher.getInstance("AES/GCM/NoPadding", candidate);
    nativeGcm.init(Cipher.ENCRYPT_MODE, aes, nonce);
    if (!Arrays.equals(jdkGcm.doFinal(message), nativeGcm.doFinal(message))) {
      return "AES-256-GCM ciphertexts differ from the JDK's";
    }

    for (String digest : new String[] {"SHA-256", "SHA-384"}) {
      if (!Arrays.equals(MessageDigest.getInstance(digest, "SUN").digest(message),
          MessageDigest.getInstance(digest, candidate).digest(message))) {
        return digest + " digests differ from the JDK's";
      }
    }
    return null;
  }

  private static byte[] sign(String algorithm, Provider provider, PrivateKey key, byte[] data)
      throws GeneralSecurityException {
    Signature signature = Signature.getInstance(algorithm, provider);
    signature.initSign(key);
    signature.update(data);
    return signature.sign();
  }

  private static boolean verify(String algorithm, Provider provider, PublicKey key, byte[] data,
      byte[] sig) throws GeneralSecurityException {
    Signature signature = Signature.getInstance(algorithm, provider);
    signature.initVerify(key);
    signature.update(data);
    return signature.verify(sig);
  }

  private static byte[] selfTestKey() throws IOException {
    try (InputStream in = CryptoProviders.class.getResourceAsStream(SELF_TEST_KEY)) {
      if (in == null) {
        throw new IOException("missing resource " + SELF_TEST_KEY);
      }
      return in.readAllBytes();
    }
  }
}
