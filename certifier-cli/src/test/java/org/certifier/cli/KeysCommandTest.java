package org.certifier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.certifier.crypto.KeyMessages;
import org.certifier.proto.key_message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `certifier keys generate`: cert_utility --operation=generate-key (§5.1). */
class KeysCommandTest {
  @TempDir
  Path dir;

  @Test
  void generatesUsableKeyFilesAndShowsOnlyTheirFingerprint() throws Exception {
    for (String type : new String[] {"rsa-2048", "ecc-256", "ecc-384"}) {
      Path file = dir.resolve(type);
      Cli.Result r = Cli.run("keys", "generate", "--type", type, "--name", "k-" + type,
          "--output", file);
      assertEquals(ExitCodes.OK, r.exit(), r.toString());
      key_message key = key_message.parseFrom(Files.readAllBytes(file));
      assertEquals(type + "-private", key.getKeyType());
      assertEquals("k-" + type, key.getKeyName());
      KeyMessages.toKeyPair(key);
      assertTrue(r.out().contains("fingerprint sha256:"), r.toString());
      String secret = HexFormat.of().formatHex(type.startsWith("rsa")
          ? key.getRsaKey().getPrivateExponent().toByteArray()
          : key.getEccKey().getPrivateMultiplier().toByteArray());
      assertFalse(r.out().contains(secret));
    }
  }

  @Test
  void refusesUnknownAndWeakTypes() {
    assertEquals(ExitCodes.USAGE, Cli.run("keys", "generate", "--type", "rsa-512", "--name",
        "k", "--output", dir.resolve("k")).exit());
    assertEquals(ExitCodes.USAGE, Cli.run("keys", "generate", "--type", "rsa-1024", "--name",
        "k", "--output", dir.resolve("k")).exit());
    assertFalse(Files.exists(dir.resolve("k")));
  }
}
