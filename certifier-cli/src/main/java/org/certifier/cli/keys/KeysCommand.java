package org.certifier.cli.keys;

import java.nio.file.Path;
import org.certifier.cli.CommandFailure;
import org.certifier.cli.ExitCodes;
import org.certifier.cli.Guard;
import org.certifier.cli.domain.DomainFiles;
import org.certifier.cli.inspect.KeyFacts;
import org.certifier.crypto.CryptoException;
import org.certifier.crypto.KeyAlgorithm;
import org.certifier.proto.key_message;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code certifier keys generate}: cert_utility --operation=generate-key (§5.1). */
@Command(name = "keys", mixinStandardHelpOptions = true,
    description = "Make key files (serialized key_message, private).",
    subcommands = {KeysCommand.Generate.class})
public final class KeysCommand {

  /** {@code certifier keys generate}. */
  @Command(name = "generate", mixinStandardHelpOptions = true,
      description = {"Generate a private key file, as cert_utility --operation=generate-key."
          + " Prints the key's public fingerprint, never the key.",
          "Example: certifier keys generate --type rsa-2048 --name platformKey"
              + " --output platform_key_file.bin"})
  public static final class Generate implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = {"--type", "--key_type"}, required = true,
        description = "rsa-2048, rsa-3072, rsa-4096, ecc-256 or ecc-384.")
    String type;

    @Option(names = {"--name", "--key_name"}, required = true,
        description = "The key's name (key_name), e.g. platformKey.")
    String name;

    @Option(names = {"--output", "--key_output_file"}, required = true, paramLabel = "FILE",
        description = "The key file to write.")
    Path output;

    @Override
    public void run() {
      KeyAlgorithm algorithm;
      try {
        algorithm = KeyAlgorithm.fromLabel(type);
      } catch (CryptoException e) {
        throw new CommandFailure(ExitCodes.USAGE, e.getMessage(), e);
      }
      // rsa-1024 exists in the reference's tables but is too weak for anything we sign.
      if (algorithm == KeyAlgorithm.RSA_1024) {
        throw new CommandFailure(ExitCodes.USAGE, "rsa-1024 keys are too weak; use rsa-2048 or"
            + " larger");
      }
      Guard.run(() -> {
        key_message key = DomainFiles.createKey(algorithm, name, output);
        spec.commandLine().getOut().println(output + ": " + key.getKeyType() + " \"" + name
            + "\", public key fingerprint " + KeyFacts.fingerprint(key));
        spec.commandLine().getOut().flush();
      });
    }
  }
}
