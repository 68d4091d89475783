package org.certifier.cli.clause;

import java.io.IOException;
import java.nio.file.Path;
import org.certifier.cli.CommandFailure;
import org.certifier.cli.ExitCodes;
import org.certifier.cli.Guard;
import org.certifier.cli.InputException;
import org.certifier.crypto.CryptoException;
import org.certifier.evidence.VerificationException;
import org.certifier.files.AtomicFiles;
import org.certifier.policy.Clauses;
import org.certifier.policy.Statements;
import org.certifier.policy.Verb;
import org.certifier.proto.entity_message;
import org.certifier.proto.vse_clause;
import org.certifier.protocol.MalformedMessageException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code certifier clause unary|simple|says}: the reference's make_unary_vse_clause,
 * make_simple_vse_clause and make_indirect_vse_clause (§5.1), with the same inputs and the same
 * output bytes, so the provisioning steps of §5.2 can be followed one for one. The reference's
 * underscore spellings of the options are accepted too.
 */
@Command(name = "clause", mixinStandardHelpOptions = true,
    description = "Make one statement (a vse_clause file), as the reference's"
        + " make_*_vse_clause utilities.",
    subcommands = {ClauseCommand.Unary.class, ClauseCommand.Simple.class,
        ClauseCommand.Says.class})
public final class ClauseCommand {

  /** The subject of a statement: exactly one of the reference's five subject options. */
  static final class SubjectOptions {
    @Option(names = {"--key-subject", "--key_subject"}, paramLabel = "FILE",
        description = "A key file; its PUBLIC key is the subject.")
    Path key;

    @Option(names = {"--cert-subject", "--cert_subject"}, paramLabel = "FILE",
        description = "A certificate (DER or PEM); its key is the subject, named by its CN.")
    Path cert;

    @Option(names = {"--measurement-subject", "--measurement_subject"}, paramLabel = "FILE",
        description = "A measurement file (raw bytes).")
    Path measurement;

    @Option(names = {"--platform-subject", "--platform_subject"}, paramLabel = "FILE",
        description = "A platform file (certifier platform make).")
    Path platform;

    @Option(names = {"--environment-subject", "--environment_subject"}, paramLabel = "FILE",
        description = "An environment file (certifier environment make).")
    Path environment;

    entity_message entity(String config) throws IOException, MalformedMessageException,
        CryptoException, InputException {
      if (config != null && measurement == null) {
        throw new CommandFailure(ExitCodes.USAGE,
            "--config names registers of a --measurement-subject");
      }
      return entityOf(key, cert, measurement, platform, environment,
          config == null ? null : EntityFiles.registers(config));
    }
  }

  /** The object of a {@code speaks-for} statement. */
  static final class ObjectOptions {
    @Option(names = {"--key-object", "--key_object"}, paramLabel = "FILE",
        description = "A key file; its PUBLIC key is the object.")
    Path key;

    @Option(names = {"--cert-object", "--cert_object"}, paramLabel = "FILE",
        description = "A certificate (DER or PEM); its key is the object.")
    Path cert;

    @Option(names = {"--measurement-object", "--measurement_object"}, paramLabel = "FILE",
        description = "A measurement file (raw bytes).")
    Path measurement;

    @Option(names = {"--platform-object", "--platform_object"}, paramLabel = "FILE",
        description = "A platform file.")
    Path platform;

    @Option(names = {"--environment-object", "--environment_object"}, paramLabel = "FILE",
        description = "An environment file.")
    Path environment;

    entity_message entity() throws IOException, MalformedMessageException, CryptoException,
        InputException {
      return entityOf(key, cert, measurement, platform, environment, null);
    }
  }

  /** {@code certifier clause unary}: make_unary_vse_clause. */
  @Command(name = "unary", mixinStandardHelpOptions = true,
      description = {"Make \"SUBJECT VERB\", e.g. \"Key[platformKey]"
          + " is-trusted-for-attestation\" or \"Measurement[...] is-trusted\".",
          "Example: certifier clause unary --key-subject platform_key_file.bin"
              + " --verb is-trusted-for-attestation --output ts1.bin"})
  public static final class Unary implements Runnable {
    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "Subject (exactly one):%n")
    SubjectOptions subject;

    @Option(names = "--config", paramLabel = "REGISTERS",
        description = "TPM registers of a measurement subject, e.g. \"7,8\".")
    String config;

    @Option(names = "--verb", required = true, description = "is-trusted,"
        + " is-trusted-for-attestation, is-trusted-for-authentication, is-environment,"
        + " has-trusted-platform-property, ... (any verb without an object).")
    String verb;

    @Option(names = "--output", required = true, paramLabel = "FILE",
        description = "The clause file to write.")
    Path output;

    @Override
    public void run() {
      Verb v = verb(verb);
      if (v == Verb.SAYS || v == Verb.SPEAKS_FOR) {
        throw new CommandFailure(ExitCodes.USAGE, "\"" + verb + "\" is not a unary verb; use"
            + " \"clause " + (v == Verb.SAYS ? "says" : "simple") + "\"");
      }
      Guard.run(() -> write(spec, Clauses.unary(subject.entity(config), v), output));
    }
  }

  /** {@code certifier clause simple}: make_simple_vse_clause. */
  @Command(name = "simple", mixinStandardHelpOptions = true,
      description = {"Make \"SUBJECT speaks-for OBJECT\", e.g. \"Key[auth]"
          + " speaks-for Measurement[...]\".",
          "Example: certifier clause simple --key-subject auth_key.bin --verb speaks-for"
              + " --measurement-object example_app.measurement --output sf.bin"})
  public static final class Simple implements Runnable {
    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "Subject (exactly one):%n")
    SubjectOptions subject;

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "Object (exactly one):%n")
    ObjectOptions object;

    @Option(names = "--config", paramLabel = "REGISTERS",
        description = "TPM registers of a measurement subject, e.g. \"7,8\".")
    String config;

    @Option(names = "--verb", defaultValue = "speaks-for",
        description = "The verb; the language has one with an object (default:"
            + " ${DEFAULT-VALUE}).")
    String verb;

    @Option(names = "--output", required = true, paramLabel = "FILE",
        description = "The clause file to write.")
    Path output;

    @Override
    public void run() {
      if (verb(verb) != Verb.SPEAKS_FOR) {
        throw new CommandFailure(ExitCodes.USAGE, "a statement with an object needs the verb"
            + " speaks-for, not \"" + verb + "\"");
      }
      Guard.run(() -> write(spec,
          Clauses.simple(subject.entity(config), Verb.SPEAKS_FOR, object.entity()), output));
    }
  }

  /** {@code certifier clause says}: make_indirect_vse_clause. */
  @Command(name = "says", mixinStandardHelpOptions = true,
      description = {"Make \"KEY says CLAUSE\", e.g. \"Key[policyKey] says Key[platformKey]"
          + " is-trusted-for-attestation\". Sign it with \"certifier claim sign\".",
          "Example: certifier clause says --key-subject policy_key_file.datica-test"
              + " --verb says --clause ts1.bin --output vse_policy1.bin"})
  public static final class Says implements Runnable {
    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "Speaker (exactly one):%n")
    Speaker speaker;

    @Option(names = "--verb", defaultValue = "says",
        description = "Must be says (accepted for the reference's command lines).")
    String verb;

    @Option(names = "--clause", required = true, paramLabel = "FILE",
        description = "The clause said (a clause file).")
    Path clause;

    @Option(names = "--output", required = true, paramLabel = "FILE",
        description = "The clause file to write.")
    Path output;

    @Override
    public void run() {
      if (verb(verb) != Verb.SAYS) {
        throw new CommandFailure(ExitCodes.USAGE, "an indirect statement needs the verb says,"
            + " not \"" + verb + "\"");
      }
      Guard.run(() -> write(spec, Clauses.says(speaker.entity(), EntityFiles.clause(clause)),
          output));
    }
  }

  /** Only keys say things (they sign), so the speaker is a key file or a certificate. */
  static final class Speaker {
    @Option(names = {"--key-subject", "--key_subject"}, paramLabel = "FILE",
        description = "A key file, e.g. the policy key; its PUBLIC key speaks.")
    Path key;

    @Option(names = {"--cert-subject", "--cert_subject"}, paramLabel = "FILE",
        description = "A certificate (DER or PEM); its key speaks.")
    Path cert;

    entity_message entity() throws IOException, MalformedMessageException, CryptoException,
        InputException {
      return entityOf(key, cert, null, null, null, null);
    }
  }

  static Verb verb(String label) {
    return Verb.fromLabel(label).orElseThrow(() -> new CommandFailure(ExitCodes.USAGE,
        "unknown verb \"" + label + "\""));
  }

  /** Checks the statement as every reader will, writes it and shows it. */
  static void write(CommandSpec spec, vse_clause clause, Path output)
      throws VerificationException, IOException {
    Clauses.validate(clause);
    AtomicFiles.write(output, clause.toByteArray());
    spec.commandLine().getOut().println(output + ": " + Statements.describe(clause));
    spec.commandLine().getOut().flush();
  }

  /** Turns whichever one entity option was given into the entity. */
  private static entity_message entityOf(Path key, Path cert, Path measurement, Path platform,
      Path environment, byte[] registers) throws IOException, MalformedMessageException,
      CryptoException, InputException {
    if (key != null) {
      return EntityFiles.key(key);
    }
    if (cert != null) {
      return EntityFiles.certificate(cert);
    }
    if (measurement != null) {
      return EntityFiles.measurement(measurement, registers);
    }
    if (platform != null) {
      return EntityFiles.platform(platform);
    }
    return EntityFiles.environment(environment);
  }
}
