package org.certifier.cli.policy;

import com.google.protobuf.ByteString;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.certifier.claims.SignedClaims;
import org.certifier.claims.SignedPolicy;
import org.certifier.claims.VersionedPolicy;
import org.certifier.cli.CommandFailure;
import org.certifier.cli.ExitCodes;
import org.certifier.cli.Guard;
import org.certifier.cli.InputException;
import org.certifier.cli.domain.DomainFiles;
import org.certifier.crypto.KeyMessages;
import org.certifier.cli.inspect.ClaimFacts;
import org.certifier.cli.inspect.Inspector;
import org.certifier.cli.output.Facts;
import org.certifier.cli.output.FormatOption;
import org.certifier.cli.service.ServiceCommand;
import org.certifier.evidence.VerificationException;
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
import org.certifier.service.PolicyPublisher;
import org.certifier.service.store.Database;
import org.certifier.service.store.JdbcServiceStore;
import org.certifier.service.store.PolicyRollbackException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code certifier policy compile|show|package|sign|publish}: the domain's signed policy
 * (policy.bin), from a readable file, shown readably, or packaged from signed claims as the
 * reference's package_claims does (§5.1, §5.2 step 5); and policy updates: a versioned, signed
 * artefact around it, published to the store the service replicas poll.
 */
@Command(name = "policy", mixinStandardHelpOptions = true,
    description = "Write, package and show a domain's signed policy (policy.bin).",
    subcommands = {PolicyCommand.Compile.class, PolicyCommand.Show.class,
        PolicyCommand.Package.class, PolicyCommand.Sign.class, PolicyCommand.Publish.class})
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
        Optional<VersionedPolicy.Envelope> envelope = Optional.empty();
        if (VersionedPolicy.isEnvelope(bytes)) {
          envelope = Optional.of(VersionedPolicy.read(bytes));
          bytes = envelope.get().policy();
        }
        Facts facts;
        try {
          facts = Inspector.policy(bytes, policyKey, Instant.now());
        } catch (InputException e) {
          throw new InputException(policy + ": " + e.getMessage(), e);
        }
        String badEnvelope = null;
        if (envelope.isPresent()) {
          Facts version = envelopeFacts(envelope.get(), Files.readAllBytes(policy));
          if (policyKey != null) {
            try {
              VersionedPolicy.verify(Files.readAllBytes(policy), policyKey, Instant.now());
              version.put("verifies", "yes, under the policy key");
            } catch (VerificationException e) {
              badEnvelope = e.getMessage();
              version.put("verifies", "NO (" + e.failure().code() + "): " + e.getMessage());
            }
          }
          facts = new Facts().putAll(version).putAll(facts);
        }
        format.print(facts, spec.commandLine().getOut());
        if (policyKey == null) {
          return;
        }
        if (badEnvelope != null) {
          throw new CommandFailure(ExitCodes.REJECTED, policy + " does not verify under the"
              + " policy key of " + policyCert + ": " + badEnvelope);
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

  /** The envelope's own fields, shown above the statements it carries. */
  private static Facts envelopeFacts(VersionedPolicy.Envelope envelope, byte[] artefact) {
    return new Facts().put("policy-version", envelope.version())
        .put("issued-at", envelope.issuedAt().toString())
        .put("previous-sha256", envelope.previousSha256().orElse("none"))
        .put("certificate-lifetime", envelope.certificateLifetime().map(Duration::toString)
            .orElse("none (the service's own setting)"))
        .put("sha256", HexFormat.of().formatHex(VersionedPolicy.sha256(artefact)));
  }

  /** {@code certifier policy sign}. */
  @Command(name = "sign", mixinStandardHelpOptions = true,
      description = {"Make a policy update: wrap a signed policy (policy.bin) in a versioned"
          + " envelope signed by the policy key (docs/policy-file.md, \"Versioned policy"
          + " artefacts\"). Every statement of the policy must be signed by that key and valid"
          + " now. Versions only go up: the service never replaces a policy with a lower"
          + " version. With --certificate-lifetime, the service issues admission certificates"
          + " for at most that long while this version is in force.",
          "Example: certifier policy sign policy.bin --policy-version 2 --policy-key-file"
              + " policy_key_file.datica-test --previous policy.v1.bin"
              + " --certificate-lifetime PT1H --output policy.v2.bin"})
  public static final class Sign implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "POLICY", description = "The signed policy (policy.bin).")
    Path policy;

    @Option(names = "--policy-version", required = true, paramLabel = "N",
        description = "The policy version, 1 or more, above every version published before.")
    long version;

    @Option(names = {"--policy-key-file", "--policy_key_file"}, required = true,
        paramLabel = "FILE", description = "The domain's private policy key (key_message).")
    Path policyKeyFile;

    @Option(names = "--previous", paramLabel = "FILE",
        description = "Optional: the versioned policy this one replaces; its SHA-256 is"
            + " named in the envelope, and publishing checks it is the newest published.")
    Path previous;

    @Option(names = "--certificate-lifetime", paramLabel = "DURATION",
        description = "Optional: the longest validity of admission certificates issued under"
            + " this version, as an ISO-8601 duration in whole seconds, e.g. PT1H or PT10M;"
            + " the service issues for the shorter of this and its own --certificate-lifetime.")
    Duration certificateLifetime;

    @Option(names = "--output", required = true, paramLabel = "FILE",
        description = "The versioned policy to write.")
    Path output;

    @Override
    public void run() {
      if (version < 1) {
        throw new CommandFailure(ExitCodes.USAGE, "--policy-version must be 1 or more");
      }
      if (certificateLifetime != null) {
        try {
          VersionedPolicy.checkCertificateLifetime(certificateLifetime);
        } catch (IllegalArgumentException e) {
          throw new CommandFailure(ExitCodes.USAGE, "--certificate-lifetime: " + e.getMessage());
        }
      }
      Guard.run(() -> {
        byte[] bytes = Files.readAllBytes(policy);
        if (VersionedPolicy.isEnvelope(bytes)) {
          throw new InputException(policy + " is already a versioned policy; sign the"
              + " policy.bin it carries");
        }
        key_message policyKey = DomainFiles.readKey(policyKeyFile);
        Instant now = Instant.now();
        SignedPolicy checked;
        try {
          checked = SignedPolicy.parse(bytes, KeyMessages.publicPart(policyKey), now);
        } catch (VerificationException e) {
          throw new InputException(policy + " would be refused by the service: "
              + e.getMessage(), e);
        }
        Optional<byte[]> previousSha256 = previous == null ? Optional.empty()
            : Optional.of(VersionedPolicy.sha256(Files.readAllBytes(previous)));
        Optional<Duration> lifetime = Optional.ofNullable(certificateLifetime);
        byte[] artefact = VersionedPolicy.sign(version, now, previousSha256, lifetime, bytes,
            policyKey);
        AtomicFiles.write(output, artefact);
        PrintWriter out = spec.commandLine().getOut();
        out.println(output + ": policy version " + version + ", " + checked.size()
            + " statements, " + lifetime.map(l -> "certificate lifetime at most " + l + ", ")
                .orElse("")
            + "SHA-256 " + HexFormat.of().formatHex(VersionedPolicy.sha256(artefact)));
        out.flush();
      });
    }
  }

  /** {@code certifier policy publish}. */
  @Command(name = "publish", mixinStandardHelpOptions = true,
      description = {"Publish a versioned policy (from policy sign) to the service's store;"
          + " every replica switches to it within its poll interval. Refused (exit code 1)"
          + " unless it verifies under the policy certificate's key now, its version is above"
          + " every version published before, and a previous version it names is the newest"
          + " published. The embedded database can only be opened while the service is"
          + " stopped; database credentials come from the environment, as for the service.",
          "Example: certifier policy publish policy.v2.bin --policy-cert-file"
              + " policy_cert_file.datica-test --database-url"
              + " jdbc:postgresql://db.internal:5432/certifier"})
  public static final class Publish implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ARTEFACT", description = "The versioned policy.")
    Path artefact;

    @Option(names = {"--policy-cert-file", "--policy_cert_file"}, required = true,
        paramLabel = "FILE", description = "The domain's policy certificate (DER or PEM).")
    Path policyCertFile;

    @Option(names = "--state-dir", defaultValue = "certifier-state", paramLabel = "DIR",
        description = "The embedded database's directory, when no --database-url is given"
            + " (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--database-url", paramLabel = "JDBC-URL",
        description = "The shared database of the replicas (credentials from the environment,"
            + " as for certifier service).")
    String databaseUrl;

    @Override
    public void run() {
      Database database = databaseUrl == null ? Database.embedded(stateDir)
          : ServiceCommand.database(databaseUrl);
      Guard.run(() -> {
        byte[] bytes = Files.readAllBytes(artefact);
        X509Certificate policyCert = DomainFiles.readCertificate(policyCertFile);
        VersionedPolicy published;
        try (JdbcServiceStore store = JdbcServiceStore.open(database, policyCert, 1)) {
          published = PolicyPublisher.publish(store, bytes,
              KeyMessages.fromCertificate(policyCert), Clock.systemUTC());
        } catch (VerificationException e) {
          throw new CommandFailure(ExitCodes.REJECTED, artefact + " refused ("
              + e.failure().code() + "): " + e.getMessage(), e);
        } catch (PolicyRollbackException | PolicyPublisher.BrokenChainException e) {
          throw new CommandFailure(ExitCodes.REJECTED, artefact + " refused: " + e.getMessage(),
              e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("published " + published + " to " + database.redactedUrl());
        out.flush();
      });
    }
  }
}
