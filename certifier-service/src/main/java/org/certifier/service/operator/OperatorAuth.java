package org.certifier.service.operator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.certifier.crypto.Certificates;

/**
 * Who may use the operator API. Two ways in, either enough: a client certificate that chains to
 * the operator CA (mutual TLS), or a bearer token whose SHA-256 the service was given. The
 * service never holds the token itself, only its digest, so its configuration and memory leak
 * nothing an attacker could replay; digests are compared in constant time. Fails closed: with
 * neither configured nothing is allowed, and every refusal has a fixed reason for the log.
 */
public final class OperatorAuth {
  /** Why a request was let in or turned away. */
  public sealed interface Verdict {}

  /** Let in: {@code who} names the credential for the log (never the token). */
  public record Allowed(String who) implements Verdict {}

  /**
   * Turned away with {@code status} (401: no credentials; 403: wrong ones, or none could be
   * right) and a fixed {@code reason} for the log.
   */
  public record Refused(int status, String reason) implements Verdict {}

  private static final String BEARER = "Bearer ";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  private final Optional<byte[]> tokenSha256;
  private final Set<TrustAnchor> operatorCas;
  private final List<X509Certificate> caCertificates;

  private OperatorAuth(Optional<byte[]> tokenSha256, List<X509Certificate> operatorCas) {
    this.tokenSha256 = tokenSha256.map(byte[]::clone);
    this.caCertificates = List.copyOf(operatorCas);
    Set<TrustAnchor> anchors = new HashSet<>();
    for (X509Certificate ca : operatorCas) {
      anchors.add(new TrustAnchor(ca, null));
    }
    this.operatorCas = Set.copyOf(anchors);
  }

  /** Authentication by a token with this SHA-256 and/or certificates issued by these CAs. */
  public static OperatorAuth of(Optional<byte[]> tokenSha256, List<X509Certificate> cas) {
    tokenSha256.ifPresent(d -> {
      if (d.length != 32) {
        throw new IllegalArgumentException("a token digest is a SHA-256 (32 bytes)");
      }
    });
    return new OperatorAuth(tokenSha256, cas);
  }

  /**
   * Reads the token digest file (64 hex digits, nothing else but a final newline) and the
   * operator CA file (PEM, one or more certificates, or one DER certificate).
   */
  public static OperatorAuth load(Optional<Path> tokenSha256File, Optional<Path> caFile)
      throws IOException {
    Optional<byte[]> digest = Optional.empty();
    if (tokenSha256File.isPresent()) {
      digest = Optional.of(parseDigest(Files.readString(tokenSha256File.get(),
          StandardCharsets.US_ASCII), tokenSha256File.get()));
    }
    List<X509Certificate> cas = List.of();
    if (caFile.isPresent()) {
      byte[] bytes = Files.readAllBytes(caFile.get());
      try {
        String text = new String(bytes, StandardCharsets.US_ASCII);
        cas = text.contains("-----BEGIN") ? Certificates.parsePem(text)
            : List.of(Certificates.parseDer(bytes));
      } catch (GeneralSecurityException e) {
        throw new IOException("operator CA file " + caFile.get() + ": " + e.getMessage(), e);
      }
      if (cas.isEmpty()) {
        throw new IOException("operator CA file " + caFile.get() + " holds no certificate");
      }
    }
    return of(digest, cas);
  }

  private static byte[] parseDigest(String text, Path file) throws IOException {
    String hex = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    if (hex.length() != 64 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw new IOException("token digest file " + file + " must hold the token's SHA-256 as"
          + " 64 hex digits (made by `certifier operator token`)");
    }
    return HexFormat.of().parseHex(hex);
  }

  /** The SHA-256 of a token, as the digest file holds it (lowercase hex). */
  public static String digestHex(String token) {
    return HexFormat.of().formatHex(sha256(token.getBytes(StandardCharsets.UTF_8)));
  }

  /** Whether any way in is configured; if not, every authenticated request is refused. */
  public boolean configured() {
    return tokenSha256.isPresent() || !operatorCas.isEmpty();
  }

  public boolean tokenConfigured() {
    return tokenSha256.isPresent();
  }

  public boolean clientCertificatesConfigured() {
    return !operatorCas.isEmpty();
  }

  /** The operator CAs, for the TLS handshake's certificate request. */
  public List<X509Certificate> operatorCas() {
    return caCertificates;
  }

  /**
   * Checks a request's credentials: {@code authorization} is its Authorization header,
   * {@code clientChain} the certificates its TLS client presented (empty over plain HTTP or
   * when it presented none). A valid credential lets it in even if another is wrong.
   */
  public Verdict check(Optional<String> authorization, List<X509Certificate> clientChain,
      Instant now) {
    if (!configured()) {
      return new Refused(403, "no-operator-authentication-configured");
    }
    Optional<Refused> refusal = Optional.empty();
    if (!clientChain.isEmpty()) {
      if (operatorCas.isEmpty()) {
        refusal = Optional.of(new Refused(403, "client-certificates-not-accepted"));
      } else if (chainsToOperatorCa(clientChain, now)) {
        return new Allowed("client certificate "
            + clientChain.get(0).getSubjectX500Principal().getName());
      } else {
        refusal = Optional.of(new Refused(403, "untrusted-client-certificate"));
      }
    }
    if (authorization.isPresent()) {
      String header = authorization.get();
      if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
        return refusal.orElse(new Refused(401, "not-a-bearer-token"));
      }
      if (tokenSha256.isEmpty()) {
        return refusal.orElse(new Refused(403, "tokens-not-accepted"));
      }
      byte[] presented = sha256(header.substring(BEARER.length()).strip()
          .getBytes(StandardCharsets.UTF_8));
      // Digests of equal length, compared in time independent of where they differ.
      if (MessageDigest.isEqual(presented, tokenSha256.get())) {
        return new Allowed("bearer token");
      }
      return new Refused(403, "wrong-token");
    }
    return refusal.orElse(new Refused(401, "no-credentials"));
  }

  /**
   * PKIX path validation (RFC 5280 section 6) of the presented chain to an operator CA at
   * {@code now}; revocation of operator certificates is not checked (keep them short-lived).
   * The leaf must be meant for TLS clients if it says what it is meant for.
   */
  private boolean chainsToOperatorCa(List<X509Certificate> chain, Instant now) {
    try {
      X509Certificate leaf = chain.get(0);
      List<String> usages = leaf.getExtendedKeyUsage();
      if (usages != null && !usages.contains(CLIENT_AUTH)) {
        return false;
      }
      PKIXParameters params = new PKIXParameters(operatorCas);
      params.setRevocationEnabled(false);
      params.setDate(Date.from(now));
      CertPathValidator.getInstance("PKIX").validate(
          CertificateFactory.getInstance("X.509").generateCertPath(chain), params);
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
