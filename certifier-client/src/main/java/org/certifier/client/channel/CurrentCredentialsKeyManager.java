package org.certifier.client.channel;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents whatever credentials are current at each handshake, so a renewed admission
 * certificate is used by new connections of an existing {@code SSLContext} without the
 * application rebuilding anything. Renewal certifies the same auth key again, so a handshake
 * that reads the chain before and the key after a renewal still gets a matching pair.
 */
final class CurrentCredentialsKeyManager extends X509ExtendedKeyManager {
  private static final String ALIAS = "auth-key";

  private final Supplier<Credentials> current;

  CurrentCredentialsKeyManager(Supplier<Credentials> current) {
    this.current = current;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    String alias = alias(keyType);
    return alias == null ? null : new String[] {alias};
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return choose(keyTypes);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers,
      SSLEngine engine) {
    return choose(keyTypes);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return getClientAliases(keyType, issuers);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return alias(keyType);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return alias(keyType);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    Credentials now = ALIAS.equals(alias) ? current.get() : null;
    return now == null ? null : new X509Certificate[] {now.certificate()};
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    Credentials now = ALIAS.equals(alias) ? current.get() : null;
    return now == null ? null : now.key();
  }

  private String choose(String[] keyTypes) {
    if (keyTypes != null) {
      for (String keyType : keyTypes) {
        if (alias(keyType) != null) {
          return ALIAS;
        }
      }
    }
    return null;
  }

  /** Our alias if we have credentials whose key is of {@code keyType} (e.g. "RSA"). */
  private String alias(String keyType) {
    Credentials now = current.get();
    return now != null && now.key().getAlgorithm().equals(keyType) ? ALIAS : null;
  }
}
