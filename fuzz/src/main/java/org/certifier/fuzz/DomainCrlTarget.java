package org.certifier.fuzz;

import java.security.cert.X509Certificate;
import java.util.List;
import org.certifier.client.revocation.Crl;
import org.certifier.crypto.Certificates;
import org.certifier.crypto.CryptoException;
import org.certifier.evidence.VerificationException;

/**
 * The client library's reading of a domain's CRL (fetched from the network, so untrusted). The
 * seeds are Intel's real CRLs, read against Intel's root in the role of the policy certificate,
 * so that mutations reach the signature check.
 */
public final class DomainCrlTarget {
  static final List<String> SEEDS = List.of(
      "intel-tdx/go-tdx-guest-v4-spr/rootcrl.der",
      "intel-tdx/go-tdx-guest-v4-spr/pckcrl");
  private static X509Certificate issuer;

  private DomainCrlTarget() {}

  public static void fuzzerInitialize() throws CryptoException {
    issuer = Certificates.parseDer(Vectors.bytes("intel-sgx/Intel_SGX_RootCA.der"));
  }

  public static void fuzzerTestOneInput(byte[] data) {
    try {
      Crl.parse(data, issuer);
    } catch (VerificationException expected) {
      // Refused lists carry a failure code.
    }
  }
}
