package org.certifier.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.certifier.claims.SignedClaims;
import org.certifier.claims.SignedPolicy;
import org.certifier.crypto.Certificates;
import org.certifier.crypto.KeyMessages;
import org.certifier.proto.key_message;
import org.certifier.proto.signed_claim_message;
import org.certifier.proto.vse_clause;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `certifier claim sign` and `certifier policy package` (§5.1, §5.2 step 5). */
class ClaimCommandTest {
  @TempDir
  Path dir;

  private static final Path POLICY_KEY = Cli.vector("provisioning/policy_key_file.datica-test");

  @Test
  void signsTheReferenceClauseSoThatThePolicyKeyVerifiesIt() throws Exception {
    Instant before = Instant.now().minusSeconds(1);
    Cli.Result r = Cli.run("claim", "sign", "--vse_file",
        Cli.vector("provisioning/vse_policy2.bin"), "--private_key_file", POLICY_KEY,
        "--duration", "9000", "--output", dir.resolve("signed_claim_2.bin"));
    assertEquals(ExitCodes.OK, r.exit(), r.toString());
    signed_claim_message claim = signed_claim_message.parseFrom(
        Files.readAllBytes(dir.resolve("signed_claim_2.bin")));
    SignedClaims.Checked checked = SignedClaims.check(claim, policyKey(), Instant.now());
    assertEquals(vse_clause.parseFrom(Files.readAllBytes(
        Cli.vector("provisioning/vse_policy2.bin"))), checked.clause());
    assertTrue(!checked.notBefore().isBefore(before.minusSeconds(1)));
    assertEquals(Duration.ofHours(9000), Duration.between(checked.notBefore(),
        checked.notAfter()));
    assertEquals("rsa-2048-sha256-pkcs-sign", claim.getSigningAlgorithm());
  }

  @Test
  void ourClaimsPackagedAreAPolicyTheServiceAccepts() throws Exception {
    for (int i = 1; i <= 2; i++) {
      assertEquals(ExitCodes.OK, Cli.run("claim", "sign", "--clause",
          Cli.vector("provisioning/vse_policy" + i + ".bin"), "--private-key-file", POLICY_KEY,
          "--duration", "24", "--descriptor", "test", "--output", dir.resolve("c" + i))
          .exit());
    }
    Cli.Result r = Cli.run("policy", "package", "--input", dir.resolve("c1") + ","
        + dir.resolve("c2"), "--output", dir.resolve("policy.bin"));
    assertEquals(ExitCodes.OK, r.exit(), r.toString());
    SignedPolicy policy = SignedPolicy.parse(Files.readAllBytes(dir.resolve("policy.bin")),
        policyKey(), Instant.now());
    assertEquals(2, policy.size());
  }

  @Test
  void packagingTheReferenceClaimsReproducesItsPolicyFile() throws Exception {
    Cli.Result r = Cli.run("policy", "package", "--input",
        Cli.vector("provisioning/signed_claim_1.bin") + ","
            + Cli.vector("provisioning/signed_claim_2.bin"),
        "--output", dir.resolve("policy.bin"));
    assertEquals(ExitCodes.OK, r.exit(), r.toString());
    assertArrayEquals(Files.readAllBytes(Cli.vector("provisioning/policy.bin")),
        Files.readAllBytes(dir.resolve("policy.bin")));
  }

  @Test
  void refusesAClauseThatIsNotSaidByTheSigningKey() {
    Cli.Result r = Cli.run("claim", "sign", "--clause", Cli.vector("provisioning/vse_policy1.bin"),
        "--private-key-file", Cli.vector("provisioning/platform_key_file.bin"),
        "--duration", "24", "--output", dir.resolve("c"));
    assertEquals(ExitCodes.BAD_INPUT, r.exit(), r.toString());
    assertTrue(r.err().contains("must be \"KEY says ...\" with KEY the signing key"),
        r.toString());
    r = Cli.run("claim", "sign", "--clause", Cli.vector("provisioning/ts1.bin"),
        "--private-key-file", POLICY_KEY, "--duration", "24", "--output", dir.resolve("c"));
    assertEquals(ExitCodes.BAD_INPUT, r.exit(), r.toString());
    r = Cli.run("claim", "sign", "--clause", Cli.vector("provisioning/vse_policy1.bin"),
        "--private-key-file", POLICY_KEY, "--duration", "-1", "--output", dir.resolve("c"));
    assertEquals(ExitCodes.USAGE, r.exit(), r.toString());
  }

  @Test
  void packagingRefusesFilesThatAreNotSignedClaims() {
    Cli.Result r = Cli.run("policy", "package", "--input", Cli.vector("provisioning/ts1.bin"),
        "--output", dir.resolve("policy.bin"));
    assertEquals(ExitCodes.BAD_INPUT, r.exit(), r.toString());
    assertTrue(r.err().contains("ts1.bin: not a signed claim"), r.toString());
  }

  private static key_message policyKey() throws Exception {
    return KeyMessages.fromCertificate(Certificates.parseDer(Files.readAllBytes(
        Cli.vector("provisioning/policy_cert_file.datica-test"))));
  }
}
