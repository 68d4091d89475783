package org.certifier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.util.Optional;
import org.certifier.service.CertifierService;
import org.certifier.service.operator.OperatorApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code certifier operator ...} against a running service with its operator API. */
class OperatorCommandTest {
  private static final String MEASUREMENT =
      "9f2be451d6089d7ae4c72a79b042d993f49de901ddca775c26afd15746fb8154";

  @TempDir
  Path dir;

  @Test
  void aTokenDrivesTheApiFromTheCommandLine() throws Exception {
    Path token = dir.resolve("operator.token");
    Path digest = dir.resolve("operator.token.sha256");
    Cli.Result made = Cli.run("operator", "token", "--out", token, "--digest-out", digest);
    assertEquals(0, made.exit(), made.toString());
    String tokenText = Files.readString(token).strip();
    assertEquals(43, tokenText.length(), "32 bytes, base64url");
    assertTrue(Files.readString(digest).strip().matches("[0-9a-f]{64}"));
    assertTrue(!Files.readString(digest).contains(tokenText));

    CertifierService.Config config = CertifierService.Config.of(
            Cli.vector("provisioning/policy_key_file.datica-test"),
            Cli.vector("provisioning/policy_cert_file.datica-test"),
            Cli.vector("provisioning/policy.bin"))
        .withAddress("127.0.0.1", 0).withStateDir(dir.resolve("state"))
        .withClock(Clock.fixed(java.time.Instant.parse("2026-11-22T12:00:00Z"),
            java.time.ZoneOffset.UTC));
    try (CertifierService service = CertifierService.start(config,
        Optional.of(OperatorApi.Config.on("127.0.0.1", 0).withToken(digest)))) {
      String url = "http://127.0.0.1:" + service.operatorPort().getAsInt();

      Cli.Result info = Cli.run("operator", "info", "--url", url, "--token-file", token);
      assertEquals(0, info.exit(), info.toString());
      assertTrue(info.out().contains("\"policyCertificateSha256\""), info.out());

      Cli.Result revoked = Cli.run("operator", "revoke", "--url", url, "--token-file", token,
          "--measurement", MEASUREMENT, "--reason", "key-compromise");
      assertEquals(0, revoked.exit(), revoked.toString());
      assertTrue(revoked.out().contains(MEASUREMENT), revoked.out());
      Cli.Result again = Cli.run("operator", "revoke", "--url", url, "--token-file", token,
          "--measurement", MEASUREMENT, "--reason", "key-compromise");
      assertEquals(ExitCodes.REJECTED, again.exit(), again.toString());
      assertTrue(again.err().contains("409: already-revoked"), again.err());
      assertEquals(ExitCodes.USAGE, Cli.run("operator", "revoke", "--url", url,
          "--token-file", token, "--serial", "1000", "--reason", "because").exit());

      Cli.Result listed = Cli.run("operator", "certificates", "--url", url, "--token-file",
          token);
      assertEquals(0, listed.exit(), listed.toString());
      assertTrue(listed.out().contains("\"certificates\":[]"), listed.out());

      Path crlFile = dir.resolve("domain.crl");
      Cli.Result crl = Cli.run("operator", "crl", "--url", url, "--out", crlFile);
      assertEquals(0, crl.exit(), crl.toString());
      X509CRL parsed = (X509CRL) CertificateFactory.getInstance("X.509")
          .generateCRL(new ByteArrayInputStream(Files.readAllBytes(crlFile)));
      parsed.verify(service.keys().certificate().getPublicKey());
      assertNotNull(parsed.getNextUpdate());

      Path wrong = dir.resolve("wrong.token");
      Files.writeString(wrong, "not-the-token\n", StandardCharsets.US_ASCII);
      Cli.Result refused = Cli.run("operator", "info", "--url", url, "--token-file", wrong);
      assertEquals(ExitCodes.REJECTED, refused.exit(), refused.toString());
      assertTrue(refused.err().contains("403: forbidden"), refused.err());
    }
  }
}
