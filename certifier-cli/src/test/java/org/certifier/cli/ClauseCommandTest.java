package org.certifier.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.certifier.proto.key_message;
import org.certifier.proto.vse_clause;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `certifier clause`: the reference's make_*_vse_clause, byte for byte (§5.1, §5.2). */
class ClauseCommandTest {
  @TempDir
  Path dir;

  private static final String PROVISIONING = "provisioning/";

  @Test
  void simpleAppPolicyAndEndorsementClausesAreByteIdenticalToTheReference() throws Exception {
    Path platformKey = Cli.vector(PROVISIONING + "platform_key_file.bin");
    Path attestKey = Cli.vector(PROVISIONING + "attest_key_file.bin");
    Path policyKey = Cli.vector(PROVISIONING + "policy_key_file.datica-test");
    Path measurement = Cli.vector(PROVISIONING + "example_app.measurement");
    // §5.2 step 5, with the reference's own spellings where a user of it would type them.
    ok("clause", "unary", "--key_subject=" + platformKey, "--verb=is-trusted-for-attestation",
        "--output=" + dir.resolve("ts1.bin"));
    ok("clause", "says", "--key-subject", policyKey, "--verb", "says",
        "--clause", dir.resolve("ts1.bin"), "--output", dir.resolve("vse_policy1.bin"));
    ok("clause", "unary", "--measurement-subject", measurement, "--verb", "is-trusted",
        "--output", dir.resolve("ts2.bin"));
    ok("clause", "says", "--key-subject", policyKey, "--clause", dir.resolve("ts2.bin"),
        "--output", dir.resolve("vse_policy2.bin"));
    // §5.2 step 6: the platform's endorsement of the attest key.
    ok("clause", "unary", "--key-subject", attestKey, "--verb", "is-trusted-for-attestation",
        "--output", dir.resolve("tsc1.bin"));
    ok("clause", "says", "--key-subject", platformKey, "--verb", "says",
        "--clause", dir.resolve("tsc1.bin"), "--output", dir.resolve("vse_policy3.bin"));
    for (String f : new String[] {"ts1.bin", "ts2.bin", "tsc1.bin", "vse_policy1.bin",
        "vse_policy2.bin", "vse_policy3.bin"}) {
      assertArrayEquals(Files.readAllBytes(Cli.vector(PROVISIONING + f)),
          Files.readAllBytes(dir.resolve(f)), f + " differs from the reference's");
    }
  }

  @Test
  void aPrivateKeyFileBecomesItsPublicKeyAndNoPrivateNumberReachesTheClause() throws Exception {
    Path policyKey = Cli.vector(PROVISIONING + "policy_key_file.datica-test");
    Cli.Result r = ok("clause", "unary", "--key-subject", policyKey, "--verb", "is-trusted",
        "--output", dir.resolve("k.bin"));
    vse_clause c = vse_clause.parseFrom(Files.readAllBytes(dir.resolve("k.bin")));
    assertEquals("rsa-2048-public", c.getSubject().getKey().getKeyType());
    assertFalse(c.getSubject().getKey().getRsaKey().hasPrivateExponent());
    byte[] d = key_message.parseFrom(Files.readAllBytes(policyKey)).getRsaKey()
        .getPrivateExponent().toByteArray();
    String fileHex = HexFormat.of().formatHex(Files.readAllBytes(dir.resolve("k.bin")));
    assertFalse(fileHex.contains(HexFormat.of().formatHex(d)));
    assertTrue(r.out().contains("Key[rsa, policyKey, b8eed4bf"), r.toString());
  }

  @Test
  void configStoresTpmRegistersOneBytePerRegister() throws Exception {
    Files.write(dir.resolve("m"), new byte[] {1, 2, 3});
    Cli.Result r = ok("clause", "unary", "--measurement-subject", dir.resolve("m"),
        "--config", "7, 8", "--verb", "is-trusted", "--output", dir.resolve("c.bin"));
    vse_clause c = vse_clause.parseFrom(Files.readAllBytes(dir.resolve("c.bin")));
    assertArrayEquals(new byte[] {7, 8}, c.getSubject().getRegisters().toByteArray());
    assertTrue(r.out().contains("Measurement[010203] using (7, 8) is-trusted"), r.toString());
  }

  @Test
  void speaksForTakesAnObjectAndCertificatesNameTheirKeyByCn() throws Exception {
    Cli.Result r = ok("clause", "simple",
        "--cert-subject", Cli.vector("wire/admission_cert.pem"),
        "--measurement-object", Cli.vector(PROVISIONING + "example_app.measurement"),
        "--output", dir.resolve("sf.bin"));
    assertTrue(r.out().contains("Key[rsa, CertifierUsers, a3bf4804") && r.out().contains(
        "speaks-for Measurement[9f2be451"), r.toString());
  }

  @Test
  void mistakesAreUsageOrInputErrorsWithAMessage() throws Exception {
    Path m = Cli.vector(PROVISIONING + "example_app.measurement");
    Cli.Result r = Cli.run("clause", "unary", "--measurement-subject", m, "--verb", "trusted",
        "--output", dir.resolve("x"));
    assertEquals(ExitCodes.USAGE, r.exit(), r.toString());
    assertTrue(r.err().contains("unknown verb \"trusted\""), r.toString());
    r = Cli.run("clause", "unary", "--measurement-subject", m, "--key-subject", m,
        "--verb", "is-trusted", "--output", dir.resolve("x"));
    assertEquals(ExitCodes.USAGE, r.exit(), r.toString());
    r = Cli.run("clause", "unary", "--key-subject", m, "--verb", "is-trusted",
        "--output", dir.resolve("x"));
    assertEquals(ExitCodes.BAD_INPUT, r.exit(), r.toString());
    assertTrue(r.err().startsWith("certifier: key file"), r.toString());
    r = Cli.run("clause", "unary", "--key-subject", dir.resolve("missing"), "--verb",
        "is-trusted", "--output", dir.resolve("x"));
    assertEquals(ExitCodes.IO, r.exit(), r.toString());
    assertTrue(r.err().contains("no such file"), r.toString());
    assertFalse(Files.exists(dir.resolve("x")));
  }

  private static Cli.Result ok(Object... args) {
    Cli.Result r = Cli.run(args);
    assertEquals(ExitCodes.OK, r.exit(), r.toString());
    return r;
  }
}
