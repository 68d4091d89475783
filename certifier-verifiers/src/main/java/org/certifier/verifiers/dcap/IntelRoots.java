package org.certifier.verifiers.dcap;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Objects;
import org.certifier.crypto.CryptoException;
import org.certifier.crypto.Certificates;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;

/**
 * The root certificate an Intel DCAP verifier trusts: the self-signed Intel SGX Root CA, which
 * signs the PCK Platform and Processor CAs and the TCB signing certificate. {@link #embedded()}
 * holds Intel's own root, shipped as a resource and pinned by the SHA-256 of its DER encoding
 * in this class, so that a replaced resource cannot introduce a new root.
 */
public final class IntelRoots {
  /**
   * SHA-256 of the Intel SGX Root CA's DER encoding, as published with Intel's DCAP software
   * and bundled identically by Phala's dcap-qvl and Google's go-tdx-guest.
   */
  private static final String ROOT_SHA256 =
      "44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3";
  private static final String RESOURCE = "intel-sgx-root-ca.der";

  private final X509Certificate root;
  private final String pin;

  private IntelRoots(X509Certificate root, String pin) {
    this.root = root;
    this.pin = pin;
  }

  /**
   * The Intel SGX Root CA, loaded once from this package's resources and checked against the
   * pin in this class.
   *
   * @throws IllegalStateException if the resource is missing or does not match its pin: the
   *     build is broken, which no input can cause
   */
  public static IntelRoots embedded() {
    return Embedded.ROOTS;
  }

  /**
   * Trusts the given self-signed certificate as it is, with no pin: for tests with a fake Intel
   * signer only. A verifier built on this root proves nothing about Intel.
   */
  public static IntelRoots insecureForTesting(X509Certificate root) {
    Objects.requireNonNull(root, "root");
    try {
      return new IntelRoots(root, sha256Hex(root.getEncoded()));
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("cannot encode the test root", e);
    }
  }

  /**
   * The trusted root, checked against its pin again: cheap, and it keeps a verifier honest even
   * if this object was built from something unexpected.
   *
   * @throws VerificationException {@link Failure#UNTRUSTED_ROOT} if the root does not match
   *     its pin
   */
  public X509Certificate root() throws VerificationException {
    String actual;
    try {
      actual = sha256Hex(root.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new VerificationException(Failure.UNTRUSTED_ROOT, "cannot encode the Intel root", e);
    }
    if (!actual.equals(pin)) {
      throw new VerificationException(Failure.UNTRUSTED_ROOT, "the Intel root has SHA-256 "
          + actual + ", but " + pin + " is pinned");
    }
    return root;
  }

  private static String sha256Hex(byte[] der) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  // Holder idiom: the resource is read once, on first use, and never again.
  private static final class Embedded {
    static final IntelRoots ROOTS = load();

    private static IntelRoots load() {
      try (InputStream in = IntelRoots.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IOException("missing resource " + RESOURCE);
        }
        IntelRoots roots = new IntelRoots(Certificates.parseDer(in.readAllBytes()), ROOT_SHA256);
        roots.root();
        return roots;
      } catch (VerificationException | CryptoException | IOException e) {
        throw new IllegalStateException("embedded Intel root is broken: " + e.getMessage(), e);
      }
    }
  }
}
