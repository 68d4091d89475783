package org.certifier.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import org.certifier.crypto.Certificates;
import org.certifier.crypto.KeyMessages;
import org.certifier.proto.key_message;
import org.certifier.protocol.MalformedMessageException;
import org.certifier.protocol.Messages;

/**
 * The domain's policy key and certificate as the service holds them. Loaded from the reference's
 * files ({@code policy_key_file}, a private {@code key_message}; {@code policy_cert_file}, DER),
 * and refused unless the certificate is for that very key. {@code toString} shows no secrets.
 */
public final class DomainKeys {
  private final key_message publicKey;
  private final key_message privateKeyMessage;
  private final PrivateKey privateKey;
  private final X509Certificate certificate;

  private DomainKeys(key_message privateKeyMessage, X509Certificate certificate)
      throws GeneralSecurityException {
    this.privateKeyMessage = privateKeyMessage;
    this.privateKey = KeyMessages.toPrivateKey(privateKeyMessage);
    this.certificate = certificate;
    if (!KeyMessages.toPublicKey(privateKeyMessage).equals(certificate.getPublicKey())) {
      throw new GeneralSecurityException("the policy certificate is not for the policy key");
    }
    // The reference's public policy key keeps name and format, so statements print alike (§2.4).
    this.publicKey = KeyMessages.publicPart(privateKeyMessage);
  }

  public static DomainKeys of(key_message privateKey, X509Certificate certificate)
      throws GeneralSecurityException {
    return new DomainKeys(privateKey, certificate);
  }

  /** Reads the reference's policy key file and policy certificate file (DER or PEM). */
  public static DomainKeys load(Path keyFile, Path certFile) throws IOException {
    try {
      key_message key = Messages.parse(key_message.parser(), Files.readAllBytes(keyFile),
          "policy key file " + keyFile);
      return new DomainKeys(key, Certificates.parseDerOrPem(Files.readAllBytes(certFile)));
    } catch (MalformedMessageException e) {
      throw new IOException(e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IOException("unusable policy key or certificate (" + keyFile + ", " + certFile
          + "): " + e.getMessage(), e);
    }
  }

  /** The public policy key, as it appears in policy statements. */
  public key_message publicKey() {
    return publicKey;
  }

  /** The private policy key as a key message, for signing platform rules; never log it. */
  public key_message privateKeyMessage() {
    return privateKeyMessage;
  }

  public PrivateKey privateKey() {
    return privateKey;
  }

  public X509Certificate certificate() {
    return certificate;
  }

  @Override
  public String toString() {
    return "DomainKeys[" + certificate.getSubjectX500Principal() + "]";
  }
}
