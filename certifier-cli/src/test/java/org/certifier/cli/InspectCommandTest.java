package org.certifier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.certifier.proto.key_message;
import org.certifier.proto.policy_store_message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** `certifier inspect` on every file of the reference capture, and on garbage. */
class InspectCommandTest {
  @TempDir
  Path dir;

  private static final String M = "9f2be451d6089d7ae4c72a79b042d993f49de901ddca775c26afd15746fb8154";
  private static final String CLAIM = "type: signed_claim_message";
  private static final String KEY = "type: key_message";
  private static final String CLAUSE = "type: vse_clause";
  private static final String CERT = "type: X.509 certificate";
  private static final String POLICY = "type: policy: signed_claim_sequence";
  private static final String BLOB = "type: protected_blob_message";
  private static final String FRAMED = "type: framed message";

  /** Every vector file with its detected type and facts the output must show. */
  static Stream<Arguments> vectors() {
    return Stream.of(
        file("provisioning/attest_key_file.bin", KEY, "name: attestKey",
            "key-type: rsa-2048-private", "private-key: present (not shown)",
            "private-key-matches: yes", "fingerprint: sha256:"),
        file("provisioning/platform_key_file.bin", KEY, "name: platformKey"),
        file("provisioning/policy_key_file.datica-test", KEY, "name: policyKey",
            "subject: CN=policyKey, O=datica/datica-test/policyAuthority"),
        file("provisioning/example_app.measurement", "type: measurement",
            "measurement: " + M),
        file("provisioning/platform_attest_endorsement.bin", CLAIM,
            "statement: Key[rsa, platformKey, bcdf8b9a", "says Key[rsa, attestKey, c21bfae0",
            "signature: verified", "speaker-is-signer: yes"),
        file("provisioning/signed_claim_1.bin", CLAIM, "claim-format: vse-clause",
            "says Key[rsa, platformKey, bcdf8b9a", "signature: verified",
            "not-after: 2027-12-01T05:13:43.00000Z", "signer: Key[rsa, policyKey, b8eed4bf"),
        file("provisioning/signed_claim_2.bin", CLAIM,
            "says Measurement[" + M + "] is-trusted", "signature: verified",
            "algorithm: rsa-2048-sha256-pkcs-sign"),
        file("provisioning/policy.bin", POLICY, "claims: 2",
            "says Measurement[" + M + "] is-trusted", "signature: verified"),
        file("provisioning/policy_cert.pem", CERT, "encoding: PEM", "self-signed: yes",
            "basic-constraints: CA", "serial: 1 (0x1)"),
        file("provisioning/policy_cert_file.datica-test", CERT, "encoding: DER",
            "subject: CN=policyKey, O=datica/datica-test/policyAuthority",
            "key-usage: digitalSignature, keyCertSign, cRLSign"),
        file("provisioning/ts1.bin", CLAUSE,
            "statement: Key[rsa, platformKey, bcdf8b9a", "is-trusted-for-attestation",
            "shape: unary", "well-formed: yes"),
        file("provisioning/ts2.bin", CLAUSE, "statement: Measurement[" + M + "] is-trusted"),
        file("provisioning/tsc1.bin", CLAUSE, "statement: Key[rsa, attestKey, c21bfae0"),
        file("provisioning/vse_policy1.bin", CLAUSE, "shape: indirect",
            "statement: Key[rsa, policyKey, b8eed4bf"),
        file("provisioning/vse_policy2.bin", CLAUSE, "says Measurement[" + M + "] is-trusted"),
        file("provisioning/vse_policy3.bin", CLAUSE, "statement: Key[rsa, platformKey"),
        file("wire/admission_cert.der", CERT, "O=Measured-" + M, "CN=CertifierUsers",
            "measurement: " + M, "serial: 13 (0xd)", "IP:127.0.0.1",
            "extended-key-usage: clientAuth, serverAuth", "self-signed: no"),
        file("wire/admission_cert.pem", CERT, "O=Measured-" + M, "encoding: PEM"),
        file("wire/evidence_package.pb", "type: evidence_package",
            "prover-type: vse-verifier", "evidence-type: signed-claim",
            "evidence-type: signed-vse-attestation-report", "measurement: " + M,
            "enclave-key: Key[rsa, auth-key, a3bf4804",
            "speaks-for Measurement[" + M + "]"),
        file("wire/trust_request.pb", "type: trust_request_message",
            "submitted-evidence-type: vse-attestation-package", "purpose: authentication",
            "signature: verified", "says Key[rsa, auth-key, a3bf4804"),
        file("wire/trust_request.framed.bin", FRAMED, "length: 2680",
            "type: trust_request_message"),
        file("wire/trust_request.tampered.pb", "type: trust_request_message",
            "signature: does NOT verify"),
        file("wire/trust_request.tampered.framed.bin", FRAMED, "signature: does NOT verify"),
        file("wire/trust_response.pb", "type: trust_response_message", "status: succeeded",
            "admission-certificate:", "O=Measured-" + M),
        file("wire/trust_response.framed.bin", FRAMED, "length: 946", "status: succeeded"),
        file("wire/trust_response.failed.pb", "type: trust_response_message",
            "status: failed", "artifact: none"),
        file("wire/trust_response.failed.framed.bin", FRAMED, "length: 47", "status: failed"),
        file("app-store/app1.policy_store.certified.bin", BLOB, "encrypted-key:",
            "encrypted-data:"),
        file("app-store/app2.policy_store.certified.bin", BLOB),
        file("app-store/app3.policy_store.after-cold-init.bin", BLOB),
        file("app-store/app3.policy_store.after-get-certified.bin", BLOB),
        file("app-store/app3.policy_store.after-cold-init.plain.pb",
            "type: policy_store_message", "tag: auth-key", "private-key: present (not shown)",
            "secret-key: present, 64 bytes (not shown)", "is-certified: no"),
        file("app-store/app3.policy_store.after-get-certified.plain.pb",
            "type: policy_store_message", "value: rsa-2048", "is-certified: yes",
            "admission-certificate:", "measurement: " + M),
        file("app-store/app3.after-cold-init.all-certifiers.certifiers_message.pb",
            "type: certifiers_message", "domain: datica-test", "service: 127.0.0.1:8125",
            "is-certified: no"),
        file("app-store/app3.after-get-certified.all-certifiers.certifiers_message.pb",
            "type: certifiers_message", "is-certified: yes", "O=Measured-" + M));
  }

  private static Arguments file(String path, String... facts) {
    return Arguments.of(path, List.of(facts));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void showsTheTypeAndKeyFactsOfEveryVectorFile(String path, List<String> facts) {
    Cli.Result r = Cli.run("inspect", Cli.vector(path));
    assertEquals(ExitCodes.OK, r.exit(), r.toString());
    String[] lines = r.out().split("\n");
    assertTrue(lines[1].startsWith(facts.get(0)), r.toString());
    for (String fact : facts) {
      assertTrue(r.out().contains(fact), "missing \"" + fact + "\" in\n" + r.out());
    }
  }

  @Test
  void everyVectorFileIsCoveredByTheTable() throws IOException {
    List<String> listed = vectors().map(a -> (String) a.get()[0]).toList();
    Path root = Cli.vector("README.md").getParent();
    for (String sub : List.of("provisioning", "wire", "app-store")) {
      try (Stream<Path> files = Files.list(root.resolve(sub))) {
        files.forEach(f -> assertTrue(listed.contains(sub + "/" + f.getFileName()),
            "no inspect expectation for " + f));
      }
    }
  }

  @Test
  void neverPrintsPrivateKeyMaterial() throws Exception {
    for (String path : List.of("provisioning/policy_key_file.datica-test",
        "provisioning/platform_key_file.bin", "provisioning/attest_key_file.bin")) {
      key_message key = key_message.parseFrom(Files.readAllBytes(Cli.vector(path)));
      assertSecretsAbsent(key, Cli.run("inspect", Cli.vector(path)).out());
      assertSecretsAbsent(key, Cli.run("inspect", Cli.vector(path), "--format", "json").out());
    }
    policy_store_message store = policy_store_message.parseFrom(Files.readAllBytes(
        Cli.vector("app-store/app3.policy_store.after-get-certified.plain.pb")));
    String out = Cli.run("inspect",
        Cli.vector("app-store/app3.policy_store.after-get-certified.plain.pb"), "--format",
        "json").out();
    for (var e : store.getEntriesList()) {
      if (e.getType().equals("key")) {
        key_message key = key_message.parseFrom(e.getValue());
        assertSecretsAbsent(key, out);
        if (key.hasSecretKeyBits()) {
          assertFalse(out.contains(hex(key.getSecretKeyBits().toByteArray()).substring(0, 16)));
        }
      }
    }
  }

  private static void assertSecretsAbsent(key_message key, String out) {
    var rsa = key.getRsaKey();
    for (var secret : List.of(rsa.getPrivateExponent(), rsa.getPrivateP(), rsa.getPrivateQ(),
        rsa.getPrivateDp(), rsa.getPrivateDq(), rsa.getPrivateIqmp())) {
      if (!secret.isEmpty()) {
        // Any 8-byte window would betray the number; check the prefix and the whole.
        assertFalse(out.contains(hex(secret.toByteArray()).substring(0, 16)), out);
      }
    }
  }

  @Test
  void jsonOutputIsJson() {
    Cli.Result r = Cli.run("inspect", Cli.vector("wire/trust_request.pb"), "--format", "json");
    assertEquals(ExitCodes.OK, r.exit(), r.toString());
    Object parsed = new Load(LoadSettings.builder().build()).loadFromString(r.out());
    Map<?, ?> top = (Map<?, ?>) parsed;
    assertEquals("trust_request_message", top.get("type"));
    Map<?, ?> evidence = (Map<?, ?>) top.get("evidence");
    assertEquals(2, ((List<?>) evidence.get("items")).size());
  }

  @Test
  void asForcesAKindAndSaysWhyItDoesNotFit() {
    Cli.Result r = Cli.run("inspect", Cli.vector("provisioning/ts1.bin"), "--as", "key");
    assertEquals(ExitCodes.BAD_INPUT, r.exit(), r.toString());
    assertTrue(r.err().contains("not a key_message"), r.toString());
    r = Cli.run("inspect", Cli.vector("provisioning/policy.bin"), "--as", "signed-claim");
    assertEquals(ExitCodes.BAD_INPUT, r.exit(), r.toString());
    r = Cli.run("inspect", Cli.vector("provisioning/signed_claim_1.bin"), "--as", "policy");
    assertEquals(ExitCodes.BAD_INPUT, r.exit(), r.toString());
    assertEquals(ExitCodes.USAGE, Cli.run("inspect", Cli.vector("provisioning/ts1.bin"),
        "--as", "nonsense").exit());
  }

  @Test
  void garbageIsBadInputWithAClearMessage() throws IOException {
    byte[] random = new byte[100];
    new Random(42).nextBytes(random);
    Files.write(dir.resolve("random.bin"), random);
    Files.writeString(dir.resolve("text.txt"), "this is not a certifier file\n");
    Files.write(dir.resolve("empty"), new byte[0]);
    for (String name : List.of("random.bin", "text.txt", "empty")) {
      Cli.Result r = Cli.run("inspect", dir.resolve(name));
      assertEquals(ExitCodes.BAD_INPUT, r.exit(), r.toString());
      assertTrue(r.err().startsWith("certifier: " + dir.resolve(name) + ": "), r.toString());
      assertFalse(r.err().contains("Exception"), r.toString());
      assertEquals("", r.out());
    }
    assertEquals(ExitCodes.IO, Cli.run("inspect", dir.resolve("missing")).exit());
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
