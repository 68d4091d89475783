package org.certifier.verifiers.collateral;

import java.util.Objects;
import java.util.Optional;

/**
 * The bytes of one piece of collateral as its vendor serves them, and nothing decided about
 * them yet: a verifier parses the content and checks its signature, issuer chain and validity.
 *
 * @param key what this is
 * @param body the content: DER for certificates and CRLs, PEM for AMD's cert_chain, JSON for
 *     Intel's TCB info and QE identity
 * @param issuerChainPem the PEM chain of the body's signer when the vendor sends one (Intel's
 *     {@code *-Issuer-Chain} headers), else empty
 */
public record Collateral(CollateralKey key, byte[] body, Optional<String> issuerChainPem) {
  public Collateral {
    Objects.requireNonNull(key, "key");
    body = Objects.requireNonNull(body, "body").clone();
    Objects.requireNonNull(issuerChainPem, "issuerChainPem");
  }

  @Override
  public byte[] body() {
    return body.clone();
  }
}
