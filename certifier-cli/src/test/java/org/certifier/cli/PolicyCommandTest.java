package org.certifier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.certifier.claims.SignedPolicy;
import org.certifier.crypto.Certificates;
import org.certifier.crypto.KeyMessages;
import org.certifier.policy.Statements;
import org.certifier.proto.key_message;
import org.certifier.proto.vse_clause;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** `certifier policy compile` and `policy show` with the readable policy file. */
class PolicyCommandTest {
  @TempDir
  Path dir;

  private static final String M = "9f2be451d6089d7ae4c72a79b042d993f49de901ddca775c26afd15746fb8154";

  @BeforeEach
  void provisioning() throws IOException {
    for (String f : List.of("policy_key_file.datica-test", "policy_cert_file.datica-test",
        "platform_key_file.bin", "example_app.measurement")) {
      Files.copy(Cli.vector("provisioning/" + f), dir.resolve(f));
    }
    // Stand-ins for the example's AMD root and extra clause: any certificate, any clause.
    Files.copy(Cli.vector("wire/admission_cert.der"), dir.resolve("ark_cert.der"));
    Files.copy(Cli.vector("provisioning/tsc1.bin"), dir.resolve("extra_clause.bin"));
  }

  @Test
  void theDocumentedExampleCompilesToAPolicyTheServiceAccepts() throws Exception {
    Files.writeString(dir.resolve("policy.yaml"), documentedExample());
    Cli.Result r = Cli.run("policy", "compile", dir.resolve("policy.yaml"), "--output",
        dir.resolve("policy.bin"));
    assertEquals(ExitCodes.OK, r.exit(), r.toString());
    SignedPolicy policy = SignedPolicy.parse(Files.readAllBytes(dir.resolve("policy.bin")),
        policyKey(), Instant.now());
    List<String> said = policy.clauses().stream()
        .map(c -> Statements.describe(c.getClause())).toList();
    assertEquals(8, said.size(), said.toString());
    assertTrue(said.get(0).startsWith("Key[rsa, platformKey, bcdf8b9a")
        && said.get(0).endsWith("is-trusted-for-attestation"), said.get(0));
    assertTrue(said.get(1).startsWith("Key[rsa, CertifierUsers, a3bf4804"), said.get(1));
    assertEquals("Measurement[" + M + "] is-trusted", said.get(2));
    assertTrue(said.get(4).endsWith("using (7, 8) is-trusted"), said.get(4));
    assertEquals("platform[amd-sev-snp, no key, debug: no, migrate: no, api-major: >= 0,"
        + " api-minor: >= 0, tcb-version: 216172782113816853] has-trusted-platform-property",
        said.get(5));
    assertTrue(said.get(6).matches("Key\\[rsa, platformKey, .*\\] says Measurement\\[" + M
        + "\\] is-trusted"), said.get(6));
    assertEquals(Statements.describe(vse_clause.parseFrom(
        Files.readAllBytes(dir.resolve("extra_clause.bin")))), said.get(7));
    // The measurement with its own validity ends mid-2027, the others after the default.
    assertTrue(r.out().contains("to 2027-06-30T00:00:00Z)"), r.toString());
  }

  @Test
  void showVerifiesEveryStatementAgainstThePolicyCertificate() throws Exception {
    Files.writeString(dir.resolve("policy.yaml"), documentedExample());
    assertEquals(ExitCodes.OK, Cli.run("policy", "compile", dir.resolve("policy.yaml"),
        "--output", dir.resolve("policy.bin")).exit());
    Cli.Result r = Cli.run("policy", "show", dir.resolve("policy.bin"), "--policy-cert",
        dir.resolve("policy_cert_file.datica-test"));
    assertEquals(ExitCodes.OK, r.exit(), r.toString());
    assertEquals(8, r.out().split("signed-by-policy-key: yes", -1).length - 1, r.out());
    assertTrue(r.out().contains("claims: 8"), r.out());
    // Another certificate: nothing is signed by its key, and the answer is "no" (exit 1).
    r = Cli.run("policy", "show", dir.resolve("policy.bin"), "--policy-cert",
        dir.resolve("ark_cert.der"), "--format", "json");
    assertEquals(ExitCodes.REJECTED, r.exit(), r.toString());
    Map<?, ?> json = (Map<?, ?>) new Load(LoadSettings.builder().build())
        .loadFromString(r.out());
    for (Object s : (List<?>) json.get("statements")) {
      assertEquals(false, ((Map<?, ?>) s).get("signed-by-policy-key"));
      assertEquals("verified", ((Map<?, ?>) s).get("signature"));
    }
    // The reference's own policy shows the same way.
    r = Cli.run("policy", "show", Cli.vector("provisioning/policy.bin"), "--policy-cert",
        Cli.vector("provisioning/policy_cert.pem"));
    assertEquals(ExitCodes.OK, r.exit(), r.toString());
    assertTrue(r.out().contains("says Measurement[" + M + "] is-trusted"), r.out());
    assertEquals(ExitCodes.BAD_INPUT, Cli.run("policy", "show",
        Cli.vector("provisioning/ts1.bin")).exit());
  }

  @Test
  void jsonWorksAsWell() throws Exception {
    Files.writeString(dir.resolve("policy.json"), """
        {"policy-key": "policy_key_file.datica-test",
         "validity": {"not-after": "2030-01-01"},
         "trusted-keys": [{"key-file": "platform_key_file.bin"}],
         "trusted-measurements": ["%s"]}
        """.formatted(M));
    Cli.Result r = Cli.run("policy", "compile", dir.resolve("policy.json"), "--output",
        dir.resolve("p.bin"));
    assertEquals(ExitCodes.OK, r.exit(), r.toString());
    assertEquals(2, SignedPolicy.parse(Files.readAllBytes(dir.resolve("p.bin")), policyKey(),
        Instant.now()).size());
  }

  @Test
  void intelPlatformsWithAcceptedTcbStatusesAndAdvisories() throws Exception {
    Files.writeString(dir.resolve("policy.yaml"), """
        policy-key: policy_key_file.datica-test
        platforms:
          - type: intel-tdx
            properties:
              - {name: tcb-status, comparator: in, value: [UpToDate, SWHardeningNeeded]}
              - {name: advisory-ids, comparator: in, value: [INTEL-SA-00615]}
              - {name: tee-tcb-svn-0, comparator: ge, value: 6}
          - type: sgx
            properties:
              - {name: tcb-status, comparator: in, value: UpToDate}
              - {name: debug, value: "no"}
        """);
    Cli.Result r = Cli.run("policy", "compile", dir.resolve("policy.yaml"), "--output",
        dir.resolve("policy.bin"));
    assertEquals(ExitCodes.OK, r.exit(), r.toString());
    List<String> said = SignedPolicy.parse(Files.readAllBytes(dir.resolve("policy.bin")),
        policyKey(), Instant.now()).clauses().stream()
        .map(c -> Statements.describe(c.getClause())).toList();
    assertEquals(List.of("platform[intel-tdx, no key, tcb-status: in UpToDate,SWHardeningNeeded,"
        + " advisory-ids: in INTEL-SA-00615, tee-tcb-svn-0: >= 6]"
        + " has-trusted-platform-property", "platform[sgx, no key, tcb-status: in UpToDate,"
        + " debug: no] has-trusted-platform-property"), said);
  }

  @Test
  void inTakesNonEmptyTextsOnly() throws IOException {
    String platforms = "policy-key: policy_key_file.datica-test\nplatforms:\n"
        + "  - type: intel-tdx\n    properties:\n";
    expectError(platforms + "      - {name: qe-svn, comparator: in, value: 8}\n",
        "platforms[0].properties[0].comparator: in compares text values only");
    expectError(platforms + "      - {name: tcb-status, comparator: in, value: []}\n",
        "platforms[0].properties[0].value: in needs at least one value");
    expectError(platforms + "      - {name: tcb-status, comparator: in, value: [\"a,b\"]}\n",
        "platforms[0].properties[0].value[0]: each value of in is non-empty text");
  }

  @Test
  void mistakesNameTheLineAndFieldAndWriteNothing() throws IOException {
    String key = "policy-key: policy_key_file.datica-test\n";
    expectError(key + "trusted-measurement: [aa]\n",
        "policy.yaml:2: unknown field \"trusted-measurement\"");
    expectError(key + "trusted-measurements:\n  - 12ab\n  - xyz\n",
        "policy.yaml:4: trusted-measurements[1]: not hex");
    expectError(key + "trusted-measurements: [abc]\n", "trusted-measurements[0]: not hex");
    expectError(key + "trusted-measurements: {hex: aa}\n",
        "policy.yaml:2: trusted-measurements: expected a list, got a mapping");
    expectError(key + "validity: {days: ten}\ntrusted-measurements: [aa]\n",
        "policy.yaml:2: validity.days: expected a number, got text");
    expectError(key + "validity: {days: 3, not-after: 2030-01-01}\ntrusted-measurements: [aa]\n",
        "give days or not-after, not both");
    expectError(key + "trusted-keys:\n  - key-file: nope.bin\n",
        "policy.yaml:3: trusted-keys[0].key-file: no such file: ");
    expectError(key + "trusted-keys:\n  - key-file: example_app.measurement\n",
        "trusted-keys[0].key-file: key file ");
    expectError(key + "trusted-keys:\n  - {key-file: platform_key_file.bin, verb: says}\n",
        "trusted-keys[0].verb: a trusted key's verb is");
    expectError(key + "platforms:\n  - type: amd-sev-snp\n    properties:\n"
        + "      - {name: debug, comparator: ge, value: \"no\"}\n",
        "policy.yaml:5: platforms[0].properties[0].comparator: text values can only be"
            + " compared with eq");
    expectError(key + "platforms:\n  - type: amd-sev-snp\n    properties:\n"
        + "      - {name: tcb, value: 0x123456789abcdef01}\n",
        "platforms[0].properties[0].value: \"0x123456789abcdef01\" is not an unsigned 64-bit");
    expectError(key + "platforms:\n  - properties: []\n", "platforms[0]: missing field \"type\"");
    expectError(key + "clauses:\n  - subject: {measurement: aa}\n    verb: says\n"
        + "    clause: {subject: {measurement: aa}, verb: is-trusted}\n",
        "clauses[0].subject: only a key can say something");
    expectError(key + "clauses:\n  - subject: {key-file: platform_key_file.bin}\n"
        + "    verb: speaks-for\n", "clauses[0]: \"speaks-for\" needs an object");
    expectError("policy-key: example_app.measurement\ntrusted-measurements: [aa]\n",
        "policy.yaml:1: policy-key: key file");
    expectError("policy-key: policy_key_file.datica-test\npolicy-cert: ark_cert.der\n"
        + "trusted-measurements: [aa]\n", "policy-cert: the certificate is not the policy key's");
    expectError(key, "policy.yaml:1: the policy has no statements");
    expectError(key + "trusted-measurements: [aa\n", "policy.yaml:3: not valid YAML or JSON");
    expectError("", "the policy file is empty");
    expectError("- just\n- a list\n", "policy.yaml:1: expected a mapping");
  }

  private void expectError(String yaml, String message) throws IOException {
    Files.writeString(dir.resolve("policy.yaml"), yaml);
    Cli.Result r = Cli.run("policy", "compile", dir.resolve("policy.yaml"), "--output",
        dir.resolve("out.bin"));
    assertEquals(ExitCodes.BAD_INPUT, r.exit(), yaml + r);
    assertTrue(r.err().contains(message), "expected \"" + message + "\" for\n" + yaml + r);
    assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.toString());
    assertFalse(Files.exists(dir.resolve("out.bin")));
  }

  /** The first YAML block of "Complete example" in docs/policy-file.md, so the doc stays true. */
  private static String documentedExample() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "policy-file.md"));
    int section = doc.indexOf("## Complete example");
    int start = doc.indexOf("```yaml\n", section) + "```yaml\n".length();
    return doc.substring(start, doc.indexOf("```", start));
  }

  private static key_message policyKey() throws Exception {
    return KeyMessages.fromCertificate(Certificates.parseDer(Files.readAllBytes(
        Cli.vector("provisioning/policy_cert_file.datica-test"))));
  }
}
