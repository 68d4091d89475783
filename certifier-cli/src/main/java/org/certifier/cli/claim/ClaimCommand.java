package org.certifier.cli.claim;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.certifier.claims.SignedClaims;
import org.certifier.cli.CommandFailure;
import org.certifier.cli.ExitCodes;
import org.certifier.cli.Guard;
import org.certifier.cli.InputException;
import org.certifier.cli.clause.EntityFiles;
import org.certifier.cli.domain.DomainFiles;
import org.certifier.crypto.KeyMessages;
import org.certifier.files.AtomicFiles;
import org.certifier.policy.Clauses;
import org.certifier.policy.Equality;
import org.certifier.policy.Statements;
import org.certifier.policy.Verb;
import org.certifier.proto.key_message;
import org.certifier.proto.signed_claim_message;
import org.certifier.proto.vse_clause;
import org.certifier.protocol.TimeStrings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code certifier claim sign}: the reference's make_signed_claim_from_vse_clause (§5.1). */
@Command(name = "claim", mixinStandardHelpOptions = true,
    description = "Sign statements: turn a \"KEY says ...\" clause into a signed claim.",
    subcommands = {ClaimCommand.Sign.class})
public final class ClaimCommand {

  /** {@code certifier claim sign}. */
  @Command(name = "sign", mixinStandardHelpOptions = true,
      description = {"Sign a clause \"KEY says ...\" with KEY's private key file, valid from"
          + " now for --duration hours: a signed_claim_message (claim format vse-clause), as"
          + " make_signed_claim_from_vse_clause writes it. The signature uses"
          + " rsa-2048-sha256-pkcs-sign for every RSA key, the label the reference service"
          + " verifies (§4.10).",
          "Example: certifier claim sign --clause vse_policy1.bin --private-key-file"
              + " policy_key_file.datica-test --duration 9000 --output signed_claim_1.bin"})
  public static final class Sign implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = {"--clause", "--vse-file", "--vse_file"}, required = true,
        paramLabel = "FILE", description = "The clause to sign: KEY says ...")
    Path clause;

    @Option(names = {"--private-key-file", "--private_key_file"}, required = true,
        paramLabel = "FILE", description = "KEY's private key file.")
    Path privateKeyFile;

    @Option(names = "--duration", required = true, paramLabel = "HOURS",
        description = "How long the claim holds, in hours (9000 is about a year).")
    double hours;

    @Option(names = "--descriptor", defaultValue = "",
        description = "Free text stored as claim_descriptor (default: empty).")
    String descriptor;

    @Option(names = "--output", required = true, paramLabel = "FILE",
        description = "The signed claim file to write.")
    Path output;

    @Override
    public void run() {
      // The reference adds hours field by field with overflow bugs (§1.6); we add exactly.
      if (!(hours > 0) || hours > 100 * 365 * 24) {
        throw new CommandFailure(ExitCodes.USAGE, "--duration must be between 0 and 876000"
            + " hours, got " + hours);
      }
      Duration validity = Duration.ofSeconds(Math.round(hours * 3600));
      Guard.run(() -> {
        key_message signer = DomainFiles.readMessage(key_message.parser(), privateKeyFile,
            "key file");
        vse_clause said = EntityFiles.clause(clause);
        Clauses.validate(said);
        // A claim whose speaker is not its signer is refused by every reader (§3.7.1), so
        // catch the mix-up here rather than in the service log.
        if (!Verb.SAYS.label().equals(said.getVerb())
            || !Equality.sameKey(said.getSubject().getKey(), KeyMessages.publicPart(signer))) {
          throw new InputException(clause + ": a signed claim must be \"KEY says ...\" with KEY"
              + " the signing key; this clause is \"" + Statements.describe(said)
              + "\" and the key file holds " + Statements.describe(signer));
        }
        Instant now = Instant.now();
        signed_claim_message signed = SignedClaims.sign(said, signer, now, now.plus(validity),
            descriptor);
        AtomicFiles.write(output, signed.toByteArray());
        spec.commandLine().getOut().println(output + ": " + Statements.describe(said)
            + " (valid " + TimeStrings.format(now).strip() + " to "
            + TimeStrings.format(now.plus(validity)).strip() + ")");
        spec.commandLine().getOut().flush();
      });
    }
  }
}
