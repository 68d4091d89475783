package org.certifier.fuzz;

import java.util.List;
import org.certifier.crypto.CryptoException;
import org.certifier.crypto.KeyMessages;
import org.certifier.proto.key_message;
import org.certifier.protocol.MalformedMessageException;
import org.certifier.protocol.Messages;

/** Key files and keys inside messages: parse, then convert to JCA keys (strict checks). */
public final class KeyMessageTarget {
  static final List<String> SEEDS = List.of(
      "certifier-reference/provisioning/attest_key_file.bin",
      "certifier-reference/provisioning/platform_key_file.bin",
      "certifier-reference/provisioning/policy_key_file.datica-test");

  private KeyMessageTarget() {}

  public static void fuzzerTestOneInput(byte[] data) {
    try {
      key_message key = Messages.parse(key_message.parser(), data, "key");
      KeyMessages.toPublicKey(key);
      KeyMessages.toPrivateKey(key);
    } catch (MalformedMessageException | CryptoException expected) {
      // Unknown types, wrong sizes, points off the curve: refused with a message.
    }
  }
}
