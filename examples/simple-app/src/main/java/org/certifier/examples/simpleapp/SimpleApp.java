package org.certifier.examples.simpleapp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.certifier.client.TrustManager;
import org.certifier.client.TrustManagerException;
import org.certifier.client.channel.SecureChannel;
import org.certifier.client.channel.SecureChannelServer;
import org.certifier.client.enclave.EnclaveException;
import org.certifier.client.enclave.SimulatedEnclave;
import org.certifier.crypto.Certificates;

/**
 * The reference's simple_app (reference-certifier.md §5.2) written against the Java client
 * library: the same operations and flags, so the same run scripts drive either.
 *
 * <pre>
 * simple-app --operation=cold-init        --data-dir=app1/ --policy-cert-file=F [--domain-name=N]
 * simple-app --operation=get-certified    --data-dir=app1/ [--policy-host=H --policy-port=P]
 * simple-app --operation=run-app-as-server --data-dir=app2/ [--server-app-port=8124]
 * simple-app --operation=run-app-as-client --data-dir=app1/ [--server-app-host=H]
 * </pre>
 *
 * The data directory holds the simulated enclave's provisioning files and the sealed store.
 */
public final class SimpleApp {
  private static final String CLIENT_MESSAGE = "Hi from your secret client\n";
  private static final String SERVER_MESSAGE = "Hi from your secret server\n";

  private SimpleApp() {}

  public static void main(String[] args) {
    try {
      System.exit(run(parse(args)));
    } catch (IllegalArgumentException e) {
      System.err.println("simple-app: " + e.getMessage());
      System.exit(2);
    }
  }

  static int run(Map<String, String> flags) {
    String operation = required(flags, "operation");
    Path dataDir = Path.of(required(flags, "data-dir"));
    String domain = flags.getOrDefault("domain-name", "datica-test");
    Path store = dataDir.resolve(flags.getOrDefault("policy-store-file", "policy_store." + domain));
    try {
      SimulatedEnclave enclave = SimulatedEnclave.fromDirectory(dataDir, Clock.systemUTC());
      TrustManager tm = TrustManager.open(enclave, store);
      switch (operation) {
        case "cold-init" -> {
          tm.initializeKeys(flags.getOrDefault("public-key-alg", "rsa-2048"),
              flags.getOrDefault("symmetric-key-alg", "aes-256-cbc-hmac-sha256"), true);
          tm.addDomain(domain, readCert(Path.of(required(flags, "policy-cert-file"))),
              flags.getOrDefault("policy-host", "localhost"),
              Integer.parseInt(flags.getOrDefault("policy-port", "8123")));
          System.out.println("cold-init: keys created, domain " + domain + " registered");
        }
        case "get-certified" -> {
          X509Certificate cert = tm.certify(domain);
          System.out.println("certified: " + cert.getSubjectX500Principal().getName()
              + " serial " + cert.getSerialNumber());
        }
        case "run-app-as-server" -> serve(tm, domain, flags);
        case "run-app-as-client" -> {
          try (SecureChannel ch = tm.connect(domain,
              flags.getOrDefault("server-app-host", "localhost"),
              Integer.parseInt(flags.getOrDefault("server-app-port", "8124")))) {
            ch.write(CLIENT_MESSAGE.getBytes(StandardCharsets.UTF_8));
            String reply = new String(ch.read(), StandardCharsets.UTF_8);
            System.out.println("client: peer " + ch.peerId() + " said: " + reply.strip());
          }
        }
        default -> throw new IllegalArgumentException("unknown --operation=" + operation);
      }
      return 0;
    } catch (TrustManagerException e) {
      System.err.println("simple-app: " + e.getMessage()
          + e.failure().map(f -> " [" + f.code() + "]").orElse(""));
      return e.failure().isPresent() ? 1 : 3;
    } catch (EnclaveException | IOException e) {
      System.err.println("simple-app: " + e.getMessage());
      return 4;
    }
  }

  private static void serve(TrustManager tm, String domain, Map<String, String> flags)
      throws TrustManagerException, IOException {
    int port = Integer.parseInt(flags.getOrDefault("server-app-port", "8124"));
    int connections = Integer.parseInt(flags.getOrDefault("connections", "1"));
    try (SecureChannelServer server = tm.listen(domain,
        flags.getOrDefault("server-app-host", "localhost"), port)) {
      // Announce the actual port (port 0 picks one) so scripts and tests can connect.
      System.out.println("server: listening on port " + server.port());
      System.out.flush();
      for (int i = 0; i < connections; i++) {
        try (SecureChannel ch = server.accept()) {
          String got = new String(ch.read(), StandardCharsets.UTF_8);
          System.out.println("server: peer " + ch.peerId() + " said: " + got.strip());
          ch.write(SERVER_MESSAGE.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
          // One failed peer (e.g. a certificate from another domain) must not stop the server.
          System.out.println("server: refused a connection: " + e.getMessage());
        }
      }
    }
  }

  private static X509Certificate readCert(Path file) throws IOException {
    try {
      return Certificates.parseDerOrPem(Files.readAllBytes(file));
    } catch (GeneralSecurityException e) {
      throw new IOException("not a certificate: " + file, e);
    }
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> flags = new HashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("arguments are --name=value, got " + arg);
      }
      int eq = arg.indexOf('=');
      flags.put(arg.substring(2, eq).replace('_', '-'), arg.substring(eq + 1));
    }
    return flags;
  }

  private static String required(Map<String, String> flags, String name) {
    String value = flags.get(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("--" + name + "= is required");
    }
    return value;
  }
}
