package org.certifier.cli.operator;

import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.certifier.cli.CommandFailure;
import org.certifier.cli.ExitCodes;
import org.certifier.cli.Guard;
import org.certifier.crypto.Certificates;
import org.certifier.crypto.Randomness;
import org.certifier.files.AtomicFiles;
import org.certifier.json.JsonReader.MalformedJsonException;
import org.certifier.service.operator.Json;
import org.certifier.service.operator.OperatorAuth;
import org.certifier.service.revocation.RevocationReason;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code certifier operator}: talk to a running service's operator API (docs/operations.md,
 * "Operator API"), and make the bearer token it accepts. Answers are printed as the API's JSON.
 */
@Command(name = "operator", mixinStandardHelpOptions = true,
    description = "Use a Certifier Service's operator API: revoke, list certificates, fetch"
        + " the CRL, show service information; and make an operator token.",
    subcommands = {OperatorCommand.Token.class, OperatorCommand.Info.class,
        OperatorCommand.ListCertificates.class, OperatorCommand.Revoke.class,
        OperatorCommand.Crl.class})
public final class OperatorCommand {
  private OperatorCommand() {}

  /** Where the API is and how to prove being an operator. */
  static final class Connection {
    @Option(names = "--url", required = true,
        description = "The API's base URL, e.g. https://certifier.internal:8124")
    URI url;

    @Option(names = "--token-file", paramLabel = "FILE",
        description = "A file holding the operator token (from `certifier operator token`).")
    Path tokenFile;

    @Option(names = "--client-cert", paramLabel = "PEM",
        description = "An operator client certificate (PEM), with --client-key.")
    Path clientCert;

    @Option(names = "--client-key", paramLabel = "PEM",
        description = "The client certificate's private key (PEM, unencrypted).")
    Path clientKey;

    @Option(names = "--ca-cert", paramLabel = "PEM",
        description = "Trust only this certificate (PEM) for the API's TLS certificate"
            + " instead of the system's CAs.")
    Path caCert;

    HttpResponse<byte[]> send(String method, String path, Optional<String> json)
        throws IOException, GeneralSecurityException {
      if ((clientCert == null) != (clientKey == null)) {
        throw new CommandFailure(ExitCodes.USAGE, "--client-cert and --client-key go together");
      }
      String base = url.toString().replaceAll("/+$", "");
      if (!base.startsWith("https://") && !base.startsWith("http://")) {
        throw new CommandFailure(ExitCodes.USAGE, "--url must be http:// or https://");
      }
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/v1" + path))
          .timeout(Duration.ofSeconds(30));
      if (tokenFile != null) {
        String token = Files.readString(tokenFile, StandardCharsets.US_ASCII).strip();
        request.header("Authorization", "Bearer " + token);
      }
      if (json.isPresent()) {
        request.header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(json.get()));
      } else {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      }
      HttpClient.Builder client = HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(10));
      if (clientCert != null || caCert != null) {
        client.sslContext(sslContext());
      }
      try {
        return client.build().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      } catch (IOException e) {
        throw new IOException("cannot reach " + base + ": " + e, e);
      }
    }

    private SSLContext sslContext() throws IOException, GeneralSecurityException {
      TrustManagerFactory trust = null;
      if (caCert != null) {
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        int i = 0;
        for (X509Certificate c : Certificates.parsePem(Files.readString(caCert))) {
          anchors.setCertificateEntry("ca-" + i++, c);
        }
        trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(anchors);
      }
      KeyManagerFactory keys = null;
      if (clientCert != null) {
        List<X509Certificate> chain = Certificates.parsePem(Files.readString(clientCert));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("operator", privateKey(clientKey), new char[0],
            chain.toArray(X509Certificate[]::new));
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, new char[0]);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys == null ? null : keys.getKeyManagers(),
          trust == null ? null : trust.getTrustManagers(), null);
      return context;
    }

    private static PrivateKey privateKey(Path file) throws IOException {
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
          PEMParser pem = new PEMParser(reader)) {
        Object object = pem.readObject();
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        return switch (object) {
          case PrivateKeyInfo info -> converter.getPrivateKey(info);
          case PEMKeyPair pair -> converter.getKeyPair(pair).getPrivate();
          case null, default -> throw new IOException(file
              + ": expected an unencrypted PEM private key");
        };
      }
    }
  }

  /** Prints a JSON answer, or fails with the API's error and a fitting exit code. */
  static void print(CommandSpec spec, HttpResponse<byte[]> response, int expected) {
    String body = new String(response.body(), StandardCharsets.UTF_8);
    if (response.statusCode() == expected) {
      spec.commandLine().getOut().print(body.endsWith("\n") ? body : body + "\n");
      spec.commandLine().getOut().flush();
      return;
    }
    throw failure(response);
  }

  static CommandFailure failure(HttpResponse<byte[]> response) {
    String detail = "";
    try {
      if (Json.parse(new String(response.body(), StandardCharsets.UTF_8))
          instanceof Map<?, ?> error && error.get("error") instanceof String code) {
        detail = ": " + code + (error.get("message") instanceof String m ? " (" + m + ")" : "");
      }
    } catch (MalformedJsonException e) {
      detail = "";
    }
    int status = response.statusCode();
    int exit = status == 401 || status == 403 || status == 409 || status == 404
        ? ExitCodes.REJECTED : status >= 500 ? ExitCodes.IO : ExitCodes.BAD_INPUT;
    return new CommandFailure(exit, "the operator API answered " + status + detail);
  }

  /** {@code certifier operator token}. */
  @Command(name = "token", mixinStandardHelpOptions = true,
      description = {"Make a new operator token: 32 random bytes, base64url, written to --out;"
          + " its SHA-256 (hex) written to --digest-out. Give the service the digest file"
          + " (--operator-token-sha256-file) and the operators the token file; the service"
          + " never sees the token itself. Both files are written owner-only.",
          "Example: certifier operator token --out operator.token"
              + " --digest-out operator.token.sha256"})
  public static final class Token implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "FILE",
        description = "Where to write the token (a secret).")
    Path out;

    @Option(names = "--digest-out", required = true, paramLabel = "FILE",
        description = "Where to write the token's SHA-256 for the service.")
    Path digestOut;

    @Override
    public void run() {
      byte[] random = new byte[32];
      Randomness.secureRandom().nextBytes(random);
      String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      Guard.run(() -> {
        AtomicFiles.write(out, (token + "\n").getBytes(StandardCharsets.US_ASCII));
        AtomicFiles.write(digestOut, (OperatorAuth.digestHex(token) + "\n")
            .getBytes(StandardCharsets.US_ASCII));
      });
      spec.commandLine().getOut().println("token written to " + out + ", its SHA-256 to "
          + digestOut);
    }
  }

  /** {@code certifier operator info}. */
  @Command(name = "info", mixinStandardHelpOptions = true,
      description = "Show the service: domain, policy certificate fingerprint, schema version,"
          + " policy, version, uptime (GET /v1/info).")
  public static final class Info implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    Connection connection;

    @Override
    public void run() {
      Guard.run(() -> print(spec, connection.send("GET", "/info", Optional.empty()), 200));
    }
  }

  /** {@code certifier operator certificates}. */
  @Command(name = "certificates", mixinStandardHelpOptions = true,
      description = "List issued certificates with their revocation status"
          + " (GET /v1/certificates), or show one with --serial.")
  public static final class ListCertificates implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    Connection connection;

    @Option(names = "--serial", description = "Show this certificate only (with its DER).")
    BigInteger serial;

    @Option(names = "--from", defaultValue = "0",
        description = "List from this serial on (default: ${DEFAULT-VALUE}).")
    BigInteger from;

    @Option(names = "--max", defaultValue = "100",
        description = "At most this many, 1 to 1000 (default: ${DEFAULT-VALUE}).")
    int max;

    @Override
    public void run() {
      String path = serial != null ? "/certificates/" + serial
          : "/certificates?from=" + from + "&max=" + max;
      Guard.run(() -> print(spec, connection.send("GET", path, Optional.empty()), 200));
    }
  }

  /** {@code certifier operator revoke}. */
  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = {"Revoke one certificate by serial, or every certificate of a measured"
          + " program by measurement (which also refuses its future certification)"
          + " (POST /v1/revocations). Exit 1 if it was revoked already.",
          "Example: certifier operator revoke --url https://certifier.internal:8124"
              + " --token-file operator.token --measurement 9f2b...8154"
              + " --reason key-compromise"})
  public static final class Revoke implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    Connection connection;

    static final class Target {
      @Option(names = "--serial", required = true, description = "A certificate serial.")
      BigInteger serial;

      @Option(names = "--measurement", required = true, paramLabel = "HEX",
          description = "A program's measurement, hex.")
      String measurement;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--reason", required = true,
        description = "unspecified, key-compromise, affiliation-changed, superseded,"
            + " cessation-of-operation or privilege-withdrawn.")
    String reason;

    @Override
    public void run() {
      if (RevocationReason.ofCode(reason.toLowerCase(Locale.ROOT)).isEmpty()) {
        throw new CommandFailure(ExitCodes.USAGE, "unknown reason \"" + reason + "\"; use one"
            + " of: " + RevocationReason.codes());
      }
      Map<String, Object> body = new LinkedHashMap<>();
      if (target.serial != null) {
        body.put("serial", target.serial);
      } else {
        body.put("measurement", target.measurement);
      }
      body.put("reason", reason.toLowerCase(Locale.ROOT));
      Guard.run(() -> print(spec, connection.send("POST", "/revocations",
          Optional.of(Json.write(body))), 201));
    }
  }

  /** {@code certifier operator crl}. */
  @Command(name = "crl", mixinStandardHelpOptions = true,
      description = "Fetch the domain's signed CRL (GET /v1/crl, DER) and write it to --out;"
          + " check it with `openssl crl -inform DER -in F -CAfile policy_cert.pem`.")
  public static final class Crl implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    Connection connection;

    @Option(names = "--out", required = true, paramLabel = "FILE",
        description = "Where to write the CRL (DER).")
    Path out;

    @Override
    public void run() {
      Guard.run(() -> {
        HttpResponse<byte[]> response = connection.send("GET", "/crl", Optional.empty());
        if (response.statusCode() != 200) {
          throw failure(response);
        }
        AtomicFiles.write(out, response.body());
        spec.commandLine().getOut().println("CRL written to " + out + " ("
            + response.body().length + " bytes)");
      });
    }
  }
}
