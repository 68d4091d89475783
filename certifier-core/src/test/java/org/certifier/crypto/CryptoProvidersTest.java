package org.certifier.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyFactorySpi;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.KeySpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CryptoProvidersTest {

  /** The machines this project builds and runs on (x86-64 Linux) get the native provider. */
  @Test
  void nativeProviderLoadsAndAgreesWithTheJdkOnThisMachine() throws Exception {
    assumeTrue(System.getProperty("os.arch").equals("amd64")
        && System.getProperty("os.name").equals("Linux"), "native build is for x86-64 Linux");
    assertNull(CryptoProviders.nativeProblem());
    assertNull(CryptoProviders.agreesWithJdk(AmazonCorrettoCryptoProvider.INSTANCE));
  }

  /** A provider that computes a different RSA signature is caught by the self-test. */
  @Test
  void aProviderWhoseSignaturesDifferIsRefused() throws Exception {
    Provider wrong = new FlippingProvider();
    assertEquals("RSA-2048 SHA-256 signatures differ from the JDK's",
        CryptoProviders.agreesWithJdk(wrong));
  }

  @Test
  void installIsIdempotentAndPutsTheChosenProviderFirst() {
    CryptoProviders.Selection first = CryptoProviders.install();
    CryptoProviders.Selection second = CryptoProviders.install();
    assertEquals(first, second);
    assertEquals(first.provider(), Security.getProviders()[0].getName());
    if (first.nativeProvider()) {
      assertTrue(Security.getProvider(AmazonCorrettoCryptoProvider.PROVIDER_NAME) != null);
    }
  }

  /**
   * Delegates everything to the JDK but flips the last bit of RSA signatures: a stand-in for a
   * native library that miscomputes.
   */
  private static final class FlippingProvider extends Provider {
    FlippingProvider() {
      super("Flipping", "1", "test provider with wrong RSA signatures");
      putService(new Service(this, "Signature", "SHA256withRSA", FlippingSignature.class
          .getName(), null, Map.of()) {
        @Override
        public Object newInstance(Object parameter) {
          return new FlippingSignature();
        }
      });
      putService(new Service(this, "KeyFactory", "RSA", JdkRsaKeyFactory.class.getName(), null,
          Map.of()) {
        @Override
        public Object newInstance(Object parameter) {
          return new JdkRsaKeyFactory();
        }
      });
    }
  }

  private static final class JdkRsaKeyFactory extends KeyFactorySpi {
    private final KeyFactory delegate;

    JdkRsaKeyFactory() {
      try {
        delegate = KeyFactory.getInstance("RSA", "SunRsaSign");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    protected PublicKey engineGeneratePublic(KeySpec spec) throws InvalidKeySpecException {
      return delegate.generatePublic(spec);
    }

    @Override
    protected PrivateKey engineGeneratePrivate(KeySpec spec) throws InvalidKeySpecException {
      return delegate.generatePrivate(spec);
    }

    @Override
    protected <T extends KeySpec> T engineGetKeySpec(Key key, Class<T> type)
        throws InvalidKeySpecException {
      return delegate.getKeySpec(key, type);
    }

    @Override
    protected Key engineTranslateKey(Key key) throws InvalidKeyException {
      return delegate.translateKey(key);
    }
  }

  private static final class FlippingSignature extends SignatureSpi {
    private final Signature delegate;

    FlippingSignature() {
      try {
        delegate = Signature.getInstance("SHA256withRSA", "SunRsaSign");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    protected void engineInitVerify(PublicKey key) throws InvalidKeyException {
      delegate.initVerify(key);
    }

    @Override
    protected void engineInitSign(PrivateKey key) throws InvalidKeyException {
      delegate.initSign(key);
    }

    @Override
    protected void engineUpdate(byte b) throws SignatureException {
      delegate.update(b);
    }

    @Override
    protected void engineUpdate(byte[] b, int off, int len) throws SignatureException {
      delegate.update(b, off, len);
    }

    @Override
    protected byte[] engineSign() throws SignatureException {
      byte[] sig = delegate.sign();
      sig[sig.length - 1] ^= 1;
      return sig;
    }

    @Override
    protected boolean engineVerify(byte[] sig) throws SignatureException {
      return delegate.verify(sig);
    }

    @Override
    @Deprecated
    protected void engineSetParameter(String param, Object value) {
      throw new UnsupportedOperationException();
    }

    @Override
    @Deprecated
    protected Object engineGetParameter(String param) {
      throw new UnsupportedOperationException();
    }
  }
}
