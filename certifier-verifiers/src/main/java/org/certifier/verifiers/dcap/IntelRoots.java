package org.certifier.verifiers.dcap;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import org.certifier.crypto.CryptoException;
import org.certifier.crypto.Certificates;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;

/**
 * The root certificate an Intel DCAP verifier trusts: the self-signed Intel SGX Root CA, which
 * signs the PCK Platform and Processor CAs and the TCB signing certificate. {@link #embedded()}
 * holds Intel's own root, written into this class and pinned by the SHA-256 of its DER
 * encoding, so that an edit of one without the other cannot introduce a new root.
 */
public final class IntelRoots {
  /**
   * SHA-256 of the Intel SGX Root CA's DER encoding, as published with Intel's DCAP software
   * and bundled identically by Phala's dcap-qvl and Google's go-tdx-guest.
   */
  private static final String ROOT_SHA256 =
      "44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3";
  /**
   * The Intel SGX Root CA (Intel's public trust anchor for SGX and TDX attestation), DER in
   * base64; checked against {@link #ROOT_SHA256} when first used.
   */
  private static final String ROOT_DER_BASE64 = """
      MIICjzCCAjSgAwIBAgIUImUM1lqdNInzg7SVUr9QGzknBqwwCgYIKoZIzj0EAwIwaDEaMBgGA1UEAwwRSW50ZWwg
      U0dYIFJvb3QgQ0ExGjAYBgNVBAoMEUludGVsIENvcnBvcmF0aW9uMRQwEgYDVQQHDAtTYW50YSBDbGFyYTELMAkG
      A1UECAwCQ0ExCzAJBgNVBAYTAlVTMB4XDTE4MDUyMTEwNDUxMFoXDTQ5MTIzMTIzNTk1OVowaDEaMBgGA1UEAwwR
      SW50ZWwgU0dYIFJvb3QgQ0ExGjAYBgNVBAoMEUludGVsIENvcnBvcmF0aW9uMRQwEgYDVQQHDAtTYW50YSBDbGFy
      YTELMAkGA1UECAwCQ0ExCzAJBgNVBAYTAlVTMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEC6nEwMDIYZOj/iPW
      sCzaEKi71OiOSLRFhWGjbnBVJfVnkY4u3IjkDYYL0MxO4mqsyYjlBalTVYxFP2sJBK5zlKOBuzCBuDAfBgNVHSME
      GDAWgBQiZQzWWp00ifODtJVSv1AbOScGrDBSBgNVHR8ESzBJMEegRaBDhkFodHRwczovL2NlcnRpZmljYXRlcy50
      cnVzdGVkc2VydmljZXMuaW50ZWwuY29tL0ludGVsU0dYUm9vdENBLmRlcjAdBgNVHQ4EFgQUImUM1lqdNInzg7SV
      Ur9QGzknBqwwDgYDVR0PAQH/BAQDAgEGMBIGA1UdEwEB/wQIMAYBAf8CAQEwCgYIKoZIzj0EAwIDSQAwRgIhAOW/
      5QkR+S9CiSDcNoowLuPRLsWGf/Yi7GSX94BgwTwgAiEA4J0lrHoMs+Xo5o/sX6O9QWxHRAvZUGOdRQ7cvqRXaqI=
      """;

  private final X509Certificate root;
  private final String pin;

  private IntelRoots(X509Certificate root, String pin) {
    this.root = root;
    this.pin = pin;
  }

  /**
   * The Intel SGX Root CA, decoded once from this class and checked against its pin.
   *
   * @throws IllegalStateException if it does not match its pin: the build is broken, which no
   *     input can cause
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

  // Holder idiom: the root is decoded once, on first use, and never again.
  private static final class Embedded {
    static final IntelRoots ROOTS = load();

    private static IntelRoots load() {
      try {
        IntelRoots roots = new IntelRoots(Certificates.parseDer(
            Base64.getMimeDecoder().decode(ROOT_DER_BASE64)), ROOT_SHA256);
        roots.root();
        return roots;
      } catch (VerificationException | CryptoException | IllegalArgumentException e) {
        throw new IllegalStateException("embedded Intel root is broken: " + e.getMessage(), e);
      }
    }
  }
}
