package org.certifier.client.channel;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/** A program's TLS credentials in a domain: its auth key and the admission certificate for it. */
public record Credentials(PrivateKey key, X509Certificate certificate) {
  public Credentials {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(certificate, "certificate");
  }

  /** Never prints the key. */
  @Override
  public String toString() {
    return "Credentials[serial " + certificate.getSerialNumber() + "]";
  }
}
