package org.certifier.cli.domain;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.certifier.claims.SignedClaims;
import org.certifier.crypto.Certificates;
import org.certifier.crypto.CryptoException;
import org.certifier.crypto.KeyAlgorithm;
import org.certifier.crypto.KeyMessages;
import org.certifier.crypto.Randomness;
import org.certifier.files.AtomicFiles;
import org.certifier.policy.Clauses;
import org.certifier.policy.Entities;
import org.certifier.policy.Verb;
import org.certifier.proto.key_message;
import org.certifier.proto.signed_claim_message;
import org.certifier.proto.signed_claim_sequence;
import org.certifier.proto.vse_clause;
import org.certifier.protocol.MalformedMessageException;
import org.certifier.protocol.Messages;
import org.certifier.service.issue.CertificateFactory;

/**
 * Makes and reads the files of a security domain in the reference's formats (§5.1, §5.2): key
 * files ({@code key_message}), the policy certificate (DER), endorsements and policy statements
 * ({@code signed_claim_message}), the policy ({@code signed_claim_sequence}) and measurements.
 */
public final class DomainFiles {
  /** The reference's cert_utility makes policy certificates valid for five years. */
  public static final Duration POLICY_CERT_LIFETIME = Duration.ofDays(5 * 365);

  private DomainFiles() {}

  /** A new policy key with its self-signed certificate, both written (key file holds the cert). */
  public static key_message createPolicyKey(KeyAlgorithm algorithm, String keyName,
      String organization, Path keyFile, Path certFile, Instant now)
      throws GeneralSecurityException, IOException {
    KeyPair pair = KeyMessages.generate(algorithm, Randomness.secureRandom());
    X509Certificate cert = CertificateFactory.policyCertificate(pair.getPrivate(),
        pair.getPublic(), keyName, organization, now, now.plus(POLICY_CERT_LIFETIME));
    key_message key = KeyMessages.fromKeyPair(pair, keyName).toBuilder()
        .setCertificate(ByteString.copyFrom(cert.getEncoded())).build();
    AtomicFiles.write(keyFile, key.toByteArray());
    AtomicFiles.write(certFile, cert.getEncoded());
    return key;
  }

  /** A new private key file, e.g. the simulated platform's {@code platformKey}. */
  public static key_message createKey(KeyAlgorithm algorithm, String keyName, Path keyFile)
      throws GeneralSecurityException, IOException {
    key_message key = KeyMessages.fromKeyPair(
        KeyMessages.generate(algorithm, Randomness.secureRandom()), keyName);
    AtomicFiles.write(keyFile, key.toByteArray());
    return key;
  }

  /** Reads a key file. */
  public static key_message readKey(Path file) throws IOException {
    try {
      return Messages.parse(key_message.parser(), Files.readAllBytes(file), "key file " + file);
    } catch (MalformedMessageException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /**
   * Reads a file holding one serialized message, e.g. a clause or a signed claim. Unreadable
   * files are I/O errors; bytes that are not the message are malformed.
   */
  public static <T extends MessageLite> T readMessage(Parser<T> parser, Path file, String what)
      throws IOException, MalformedMessageException {
    return Messages.parse(parser, Files.readAllBytes(file), what + " " + file);
  }

  /**
   * The subject key of a certificate file (DER or PEM; e.g. an AMD ARK) as the reference's
   * {@code PublicKeyFromCert} makes it: public key, key_name = subject CN, the DER embedded.
   */
  public static key_message certificateKey(Path file) throws IOException, CryptoException {
    return KeyMessages.fromCertificate(readCertificate(file));
  }

  /**
   * Reads a certificate, DER or PEM (the first one of a PEM file). A file that is not a
   * certificate is bad input, not an I/O error.
   */
  public static X509Certificate readCertificate(Path file) throws IOException, CryptoException {
    try {
      return Certificates.parseDerOrPem(Files.readAllBytes(file));
    } catch (CryptoException e) {
      throw new CryptoException("not a certificate: " + file + " (" + e.getMessage() + ")", e);
    }
  }

  /**
   * {@code signer says <subject key> <verb>}, signed by {@code signer}: the platform's
   * endorsement of an attest key, or a policy statement trusting a platform key.
   */
  public static signed_claim_message keyStatement(key_message signer, key_message subject,
      Verb verb, Instant now, Duration validity) throws GeneralSecurityException {
    vse_clause said = Clauses.unary(Entities.key(KeyMessages.publicPart(subject)), verb);
    return sign(signer, said, now, validity);
  }

  /** {@code policyKey says Measurement[m] is-trusted}. */
  public static signed_claim_message measurementStatement(key_message policyKey,
      byte[] measurement, Instant now, Duration validity) throws GeneralSecurityException {
    return sign(policyKey, Clauses.unary(Entities.measurement(measurement), Verb.IS_TRUSTED),
        now, validity);
  }

  /** {@code signer says <clause>}, signed by {@code signer}, valid from now for validity. */
  public static signed_claim_message sign(key_message signer, vse_clause clause, Instant now,
      Duration validity) throws GeneralSecurityException {
    vse_clause says = Clauses.says(Entities.key(KeyMessages.publicPart(signer)), clause);
    return SignedClaims.sign(says, signer, now, now.plus(validity), "");
  }

  /** The policy file: the claims as a {@code signed_claim_sequence} (= package_claims output). */
  public static void writePolicy(List<signed_claim_message> claims, Path file)
      throws IOException {
    AtomicFiles.write(file, signed_claim_sequence.newBuilder().addAllClaims(claims).build()
        .toByteArray());
  }

  /** The reference's measurement: SHA-256 over the files' bytes, in order (§5.1). */
  public static byte[] measure(List<Path> files) throws IOException {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
    byte[] buffer = new byte[1 << 16];
    for (Path f : files) {
      try (InputStream in = Files.newInputStream(f)) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          sha256.update(buffer, 0, n);
        }
      }
    }
    return sha256.digest();
  }
}
