package org.certifier.cli.policy;

import com.google.protobuf.ByteString;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.certifier.claims.SignedClaims;
import org.certifier.cli.CommandFailure;
import org.certifier.cli.ExitCodes;
import org.certifier.cli.Guard;
import org.certifier.cli.InputException;
import org.certifier.cli.domain.DomainFiles;
import org.certifier.crypto.KeyMessages;
import org.certifier.cli.inspect.ClaimFacts;
import org.certifier.cli.inspect.Inspector;
import org.certifier.cli.output.FormatOption;
import org.certifier.files.AtomicFiles;
import org.certifier.policy.Clauses;
import org.certifier.policy.Entities;
import org.certifier.policy.Statements;
import org.certifier.proto.buffer_sequence;
import org.certifier.proto.entity_message;
import org.certifier.proto.key_message;
import org.certifier.proto.signed_claim_message;
import org.certifier.proto.signed_claim_sequence;
import org.certifier.protocol.MalformedMessageException;
import org.certifier.protocol.Messages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code certifier policy compile|show|package}: the domain's signed policy (policy.bin), from
 * a readable file, shown readably, or packaged from signed claims as the reference's
 * package_claims does (§5.1, §5.2 step 5).
 */
@Command(name = "policy", mixinStandardHelpOptions = true,
    description = "Write, package and show a domain's signed policy (policy.bin).",
    subcommands = {PolicyCommand.Compile.class, PolicyCommand.Show.class,
        PolicyCommand.Package.class})
public final class PolicyCommand {

  /** {@code certifier policy compile}. */
  @Command(name = "compile", mixinStandardHelpOptions = true,
      description = {"Compile a readable policy file (YAML or JSON, see docs/policy-file.md)"
          + " into the signed policy: one claim \"policyKey says ...\" per statement, signed"
          + " by the policy key, as a signed_claim_sequence.",
          "Example: certifier policy compile policy.yaml --output policy.bin"})
  public static final class Compile implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "POLICY.yaml", description = "The readable policy file.")
    Path source;

    @Option(names = "--output", defaultValue = "policy.bin", paramLabel = "FILE",
        description = "The signed policy to write (default: ${DEFAULT-VALUE}).")
    Path output;

    @Override
    public void run() {
      Guard.run(() -> {
        PolicyFile.Compiled compiled = PolicyFile.read(source, Instant.now());
        key_message policyKey = compiled.policyKey();
        // The speaker in the reference's encoding, as make_indirect_vse_clause writes it.
        entity_message speaker = Entities.key(KeyMessages.referencePublicKey(policyKey));
        List<signed_claim_message> claims = new ArrayList<>();
        for (PolicyFile.Statement s : compiled.statements()) {
          claims.add(SignedClaims.sign(Clauses.says(speaker, s.said()), policyKey,
              s.notBefore(), s.notAfter(), ""));
        }
        DomainFiles.writePolicy(claims, output);
        PrintWriter out = spec.commandLine().getOut();
        out.println(output + ": " + claims.size() + " statements signed by "
            + Statements.describe(speaker));
        for (PolicyFile.Statement s : compiled.statements()) {
          out.println("  " + Statements.describe(s.said()) + "  (valid " + s.notBefore()
              + " to " + s.notAfter() + ")");
        }
        out.flush();
      });
    }
  }

  /** {@code certifier policy show}. */
  @Command(name = "show", mixinStandardHelpOptions = true,
      description = {"Show every statement of a signed policy with its validity and"
          + " signature. With --policy-cert, also whether the policy key signed each one; the"
          + " exit code is then 1 if any statement is not signed by it.",
          "Example: certifier policy show policy.bin --policy-cert policy_cert_file.datica-test"})
  public static final class Show implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "POLICY", description = "The signed policy (policy.bin).")
    Path policy;

    @Option(names = {"--policy-cert", "--policy_cert_file"}, paramLabel = "FILE",
        description = "The domain's policy certificate (DER or PEM).")
    Path policyCert;

    @Mixin
    FormatOption format;

    @Override
    public void run() {
      Guard.run(() -> {
        byte[] bytes = Files.readAllBytes(policy);
        key_message policyKey = policyCert == null ? null
            : DomainFiles.certificateKey(policyCert);
        try {
          format.print(Inspector.policy(bytes, policyKey, Instant.now()),
              spec.commandLine().getOut());
        } catch (InputException e) {
          throw new InputException(policy + ": " + e.getMessage(), e);
        }
        if (policyKey == null) {
          return;
        }
        long unsigned = Messages.parse(signed_claim_sequence.parser(), bytes, "policy")
            .getClaimsList().stream().filter(c -> !ClaimFacts.signedBy(c, policyKey)).count();
        if (unsigned > 0) {
          throw new CommandFailure(ExitCodes.REJECTED, unsigned + " statement(s) are not"
              + " signed by the policy key of " + policyCert);
        }
      });
    }
  }

  /** {@code certifier policy package}. */
  @Command(name = "package", mixinStandardHelpOptions = true,
      description = {"Package signed claims into a policy file, as package_claims: a"
          + " buffer_sequence of the files' bytes, which is byte-identical to a"
          + " signed_claim_sequence (§1.3).",
          "Example: certifier policy package --input signed_claim_1.bin,signed_claim_2.bin"
              + " --output policy.bin"})
  public static final class Package implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--input", required = true, split = ",", paramLabel = "FILE",
        description = "Signed claim files, comma separated, in order.")
    List<Path> inputs = new ArrayList<>();

    @Option(names = "--output", required = true, paramLabel = "FILE",
        description = "The policy file to write.")
    Path output;

    @Override
    public void run() {
      Guard.run(() -> {
        buffer_sequence.Builder blocks = buffer_sequence.newBuilder();
        List<String> described = new ArrayList<>();
        for (Path in : inputs) {
          byte[] bytes = Files.readAllBytes(in);
          described.add(describeClaim(in, bytes));
          blocks.addBlock(ByteString.copyFrom(bytes));
        }
        AtomicFiles.write(output, blocks.build().toByteArray());
        PrintWriter out = spec.commandLine().getOut();
        out.println(output + ": " + inputs.size() + " signed claims");
        described.forEach(d -> out.println("  " + d));
        out.flush();
      });
    }

    /** Only signed claims go into a policy; anything else is refused with its file name. */
    private static String describeClaim(Path file, byte[] bytes) throws InputException {
      try {
        signed_claim_message c = Messages.parse(signed_claim_message.parser(), bytes,
            "signed claim");
        if (!c.hasSerializedClaimMessage() || !c.hasSignature() || !c.hasSigningKey()) {
          throw new InputException(file + ": not a signed claim (no claim, key or signature)");
        }
        return String.valueOf(ClaimFacts.of(c, null, Instant.now()).get("statement"));
      } catch (MalformedMessageException e) {
        throw new InputException(file + ": not a signed claim (" + e.getMessage() + ")", e);
      }
    }
  }
}
