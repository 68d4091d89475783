package org.certifier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;
import org.certifier.service.DomainKeys;
import org.certifier.service.store.Database;
import org.certifier.service.store.DecisionRecord;
import org.certifier.service.store.JdbcServiceStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code certifier audit}: tree heads, exports and proofs from a store the reference domain's
 * service would leave behind, then verified offline from the files alone.
 */
class AuditCommandTest {
  @TempDir
  Path dir;
  private Path state;
  private String key;
  private String cert;

  @BeforeEach
  void store() throws Exception {
    state = dir.resolve("state");
    key = Cli.vector("provisioning/policy_key_file.datica-test").toString();
    cert = Cli.vector("provisioning/policy_cert_file.datica-test").toString();
    append(5);
  }

  /** Records {@code count} more decisions, as the service would, with the service stopped. */
  private void append(int count) throws Exception {
    DomainKeys keys = DomainKeys.load(Path.of(key), Path.of(cert));
    try (JdbcServiceStore store = JdbcServiceStore.open(Database.embedded(state),
        keys.certificate(), 2)) {
      for (int i = 0; i < count; i++) {
        store.record(DecisionRecord.rejected(Instant.parse("2026-11-22T12:00:00Z"),
            "unknown-measurement", Optional.of("b".repeat(64)), Optional.of("10.0.0.7"),
            Optional.of("a".repeat(64))), Optional.empty());
      }
    }
  }

  private Cli.Result audit(Object... args) {
    Object[] all = new Object[args.length + 1];
    all[0] = "audit";
    System.arraycopy(args, 0, all, 1, args.length);
    return Cli.run(all);
  }

  private Path treeHead(String name) {
    Path file = dir.resolve(name);
    Cli.Result r = audit("tree-head", "--state-dir", state, "--policy-key-file", key,
        "--policy-cert-file", cert, "--out", file);
    assertEquals(ExitCodes.OK, r.exit(), r.toString());
    return file;
  }

  @Test
  void headsProofsAndExportsVerifyOffline() throws Exception {
    Path h1 = treeHead("h1");
    assertTrue(Files.readString(h1).startsWith("certifier-audit-tree-head v1\n"));
    append(6);
    Path h2 = treeHead("h2");

    Path proof = dir.resolve("proof");
    Cli.Result prove = audit("prove", "--state-dir", state, "--policy-cert-file", cert,
        "--entry", 3, "--out", proof);
    assertEquals(ExitCodes.OK, prove.exit(), prove.toString());
    Cli.Result included = audit("verify-inclusion", "--proof", proof, "--tree-head", h2,
        "--policy-cert", cert);
    assertEquals(ExitCodes.OK, included.exit(), included.toString());
    assertTrue(included.out().contains("verdict: verified"), included.out());
    assertTrue(included.out().contains("outcome: rejected: unknown-measurement"), included.out());

    Cli.Result otherHead = audit("verify-inclusion", "--proof", proof, "--tree-head", h1,
        "--policy-cert", cert, "--format", "json");
    assertEquals(ExitCodes.REJECTED, otherHead.exit(), otherHead.toString());
    assertTrue(otherHead.out().contains("\"failure\": \"size-mismatch\""), otherHead.out());

    Path consistency = dir.resolve("consistency");
    assertEquals(ExitCodes.OK, audit("consistency", "--state-dir", state, "--policy-cert-file",
        cert, "--old-size", 5, "--out", consistency).exit());
    Cli.Result consistent = audit("verify-consistency", "--old", h1, "--new", h2, "--proof",
        consistency, "--policy-cert", cert);
    assertEquals(ExitCodes.OK, consistent.exit(), consistent.toString());
    Cli.Result swapped = audit("verify-consistency", "--old", h2, "--new", h1, "--proof",
        consistency, "--policy-cert", cert);
    assertEquals(ExitCodes.REJECTED, swapped.exit(), swapped.toString());

    Path export = dir.resolve("export");
    assertEquals(ExitCodes.OK, audit("export", "--state-dir", state, "--policy-cert-file", cert,
        "--out", export).exit());
    Cli.Result log = audit("verify-log", "--export", export, "--tree-head", h2, "--tree-head",
        h1, "--policy-cert", cert);
    assertEquals(ExitCodes.OK, log.exit(), log.toString());
    assertTrue(log.out().contains("entries: 11"), log.out());
  }

  @Test
  void aTamperedRowIsReportedWithItsFailureCode() throws Exception {
    Path h1 = treeHead("h1");
    try (Connection c = DriverManager.getConnection(Database.embedded(state).url(), "", "");
        Statement s = c.createStatement()) {
      assertEquals(1, s.executeUpdate(
          "UPDATE audit_log SET failure_code = 'expired' WHERE seq = 2"));
    }
    Path export = dir.resolve("export");
    assertEquals(ExitCodes.OK, audit("export", "--state-dir", state, "--policy-cert-file", cert,
        "--out", export).exit());
    Cli.Result r = audit("verify-log", "--export", export, "--tree-head", h1, "--policy-cert",
        cert);
    assertEquals(ExitCodes.REJECTED, r.exit(), r.toString());
    assertTrue(r.out().contains("failure: entry-altered"), r.out());
    assertTrue(r.err().contains("entry 2"), r.err());
  }

  @Test
  void unreadableFilesAndUnknownSizesAreInputAndUsageErrors() throws Exception {
    Path h1 = treeHead("h1");
    Path garbage = dir.resolve("garbage");
    Files.writeString(garbage, "certifier-audit-inclusion-proof v1\nentry zz\n");
    Cli.Result bad = audit("verify-inclusion", "--proof", garbage, "--tree-head", h1,
        "--policy-cert", cert);
    assertEquals(ExitCodes.BAD_INPUT, bad.exit(), bad.toString());
    assertTrue(bad.err().contains("malformed"), bad.err());

    Cli.Result tooLarge = audit("prove", "--state-dir", state, "--policy-cert-file", cert,
        "--entry", 2, "--tree-size", 99, "--out", dir.resolve("p"));
    assertEquals(ExitCodes.USAGE, tooLarge.exit(), tooLarge.toString());

    Cli.Result noStore = audit("export", "--state-dir", dir.resolve("nothing"),
        "--policy-cert-file", cert, "--out", dir.resolve("e"));
    assertEquals(ExitCodes.IO, noStore.exit(), noStore.toString());
    assertTrue(Files.notExists(dir.resolve("nothing")), "no empty store is created");
  }
}
