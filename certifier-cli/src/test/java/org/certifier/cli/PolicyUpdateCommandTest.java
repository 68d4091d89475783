package org.certifier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.certifier.claims.VersionedPolicy;
import org.certifier.cli.domain.DomainFiles;
import org.certifier.crypto.Certificates;
import org.certifier.crypto.KeyMessages;
import org.certifier.proto.key_message;
import org.certifier.service.store.Database;
import org.certifier.service.store.JdbcServiceStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `certifier policy sign`, `policy show` of a versioned policy, and `policy publish`. */
class PolicyUpdateCommandTest {
  @TempDir
  Path dir;

  @BeforeEach
  void policy() throws Exception {
    for (String f : List.of("policy_key_file.datica-test", "policy_cert_file.datica-test",
        "platform_key_file.bin")) {
      Files.copy(Cli.vector("provisioning/" + f), dir.resolve(f));
    }
    // Compiled now, so that its statements are valid whenever the test runs.
    Files.writeString(dir.resolve("policy.yaml"), """
        policy-key: policy_key_file.datica-test
        trusted-keys:
          - key-file: platform_key_file.bin
        trusted-measurements:
          - 9f2be451d6089d7ae4c72a79b042d993f49de901ddca775c26afd15746fb8154
        """);
    ok(Cli.run("policy", "compile", dir.resolve("policy.yaml"), "--output",
        dir.resolve("policy.bin")));
  }

  private static Cli.Result ok(Cli.Result r) {
    assertEquals(ExitCodes.OK, r.exit(), r.toString());
    return r;
  }

  private Path sign(int version, String... previous) {
    Path out = dir.resolve("policy.v" + version + ".bin");
    List<Object> args = new ArrayList<>(List.of("policy", "sign",
        dir.resolve("policy.bin"), "--policy-version", version, "--policy-key-file",
        dir.resolve("policy_key_file.datica-test"), "--output", out));
    for (String p : previous) {
      args.add("--previous");
      args.add(dir.resolve(p));
    }
    ok(Cli.run(args.toArray()));
    return out;
  }

  private Cli.Result publish(Path artefact) {
    return Cli.run("policy", "publish", artefact, "--policy-cert-file",
        dir.resolve("policy_cert_file.datica-test"), "--state-dir", dir.resolve("state"));
  }

  @Test
  void signShowAndPublishWithRollbackAndChainChecks() throws Exception {
    Path v1 = sign(1);
    Cli.Result shown = ok(Cli.run("policy", "show", v1, "--policy-cert",
        dir.resolve("policy_cert_file.datica-test")));
    assertTrue(shown.out().contains("policy-version: 1"), shown.out());
    assertTrue(shown.out().contains("verifies: yes"), shown.out());
    assertTrue(shown.out().contains("is-trusted-for-attestation"), shown.out());

    ok(publish(v1));
    assertEquals(ExitCodes.REJECTED, publish(v1).exit(), "a version is published once");
    Path v2 = sign(2, "policy.v1.bin");
    ok(publish(v2));
    Path v3 = sign(3, "policy.v1.bin");
    Cli.Result staleChain = publish(v3);
    assertEquals(ExitCodes.REJECTED, staleChain.exit(), staleChain.toString());
    assertTrue(staleChain.err().contains("newest published version is 2"), staleChain.err());

    try (JdbcServiceStore store = JdbcServiceStore.open(Database.embedded(dir.resolve("state")),
        Certificates.parseDer(Files.readAllBytes(dir.resolve("policy_cert_file.datica-test"))),
        1)) {
      assertEquals(2, store.newestPolicyVersion());
      key_message policyKey = KeyMessages.publicPart(
          DomainFiles.readKey(dir.resolve("policy_key_file.datica-test")));
      assertEquals(VersionedPolicy.verify(Files.readAllBytes(v2), policyKey, Instant.now())
          .sha256(), store.policyVersionsAbove(1, 1).get(0).sha256());
    }
  }

  @Test
  void aCertificateLifetimeIsSignedAndShown() throws Exception {
    Path out = dir.resolve("policy.v1.bin");
    Cli.Result signed = ok(Cli.run("policy", "sign", dir.resolve("policy.bin"),
        "--policy-version", 1, "--policy-key-file", dir.resolve("policy_key_file.datica-test"),
        "--certificate-lifetime", "PT1H", "--output", out));
    assertTrue(signed.out().contains("certificate lifetime at most PT1H"), signed.out());
    key_message policyKey = KeyMessages.publicPart(
        DomainFiles.readKey(dir.resolve("policy_key_file.datica-test")));
    assertEquals(Optional.of(Duration.ofHours(1)), VersionedPolicy.verify(
        Files.readAllBytes(out), policyKey, Instant.now()).certificateLifetime());

    Cli.Result shown = ok(Cli.run("policy", "show", out, "--policy-cert",
        dir.resolve("policy_cert_file.datica-test")));
    assertTrue(shown.out().contains("certificate-lifetime: PT1H"), shown.out());
    assertTrue(shown.out().contains("verifies: yes"), shown.out());
    Cli.Result without = ok(Cli.run("policy", "show", sign(2)));
    assertTrue(without.out().contains("certificate-lifetime: none"), without.out());
  }

  @Test
  void aLifetimeTheEnvelopeCannotCarryIsAUsageError() throws Exception {
    for (String bad : List.of("PT0S", "-PT1H", "PT1.5S", "PT1193047H")) {
      Cli.Result r = Cli.run("policy", "sign", dir.resolve("policy.bin"), "--policy-version", 1,
          "--policy-key-file", dir.resolve("policy_key_file.datica-test"),
          "--certificate-lifetime", bad, "--output", dir.resolve("out.bin"));
      assertEquals(ExitCodes.USAGE, r.exit(), bad + ": " + r);
      assertFalse(Files.exists(dir.resolve("out.bin")), "nothing is written");
    }
  }

  @Test
  void aTamperedArtefactIsRefusedByShowAndPublish() throws Exception {
    Path v1 = sign(1);
    byte[] bytes = Files.readAllBytes(v1);
    bytes[bytes.length - 1] ^= 1;
    Path tampered = Files.write(dir.resolve("tampered.bin"), bytes);

    Cli.Result shown = Cli.run("policy", "show", tampered, "--policy-cert",
        dir.resolve("policy_cert_file.datica-test"));
    assertEquals(ExitCodes.REJECTED, shown.exit(), shown.toString());
    assertTrue(shown.out().contains("verifies: NO (bad-signature)"), shown.out());
    Cli.Result published = publish(tampered);
    assertEquals(ExitCodes.REJECTED, published.exit(), published.toString());
    assertTrue(published.err().contains("bad-signature"), published.err());
  }

  @Test
  void onlyAPolicyTheServiceWouldAcceptIsSigned() throws Exception {
    Cli.Result r = Cli.run("policy", "sign", dir.resolve("policy.bin"), "--policy-version", 1,
        "--policy-key-file", dir.resolve("platform_key_file.bin"), "--output",
        dir.resolve("out.bin"));
    assertEquals(ExitCodes.BAD_INPUT, r.exit(), r.toString());
    assertFalse(Files.exists(dir.resolve("out.bin")), "nothing is written");
    Cli.Result zero = Cli.run("policy", "sign", dir.resolve("policy.bin"), "--policy-version", 0,
        "--policy-key-file", dir.resolve("policy_key_file.datica-test"), "--output",
        dir.resolve("out.bin"));
    assertEquals(ExitCodes.USAGE, zero.exit(), zero.toString());
  }
}
