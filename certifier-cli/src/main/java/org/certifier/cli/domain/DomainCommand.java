package org.certifier.cli.domain;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.certifier.cli.CommandFailure;
import org.certifier.cli.ExitCodes;
import org.certifier.crypto.KeyAlgorithm;
import org.certifier.policy.Verb;
import org.certifier.proto.key_message;
import org.certifier.proto.signed_claim_message;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code certifier domain}: create a security domain and write its policy. */
@Command(name = "domain", mixinStandardHelpOptions = true,
    description = "Create a security domain's keys and write its signed policy.",
    subcommands = {DomainCommand.Create.class, DomainCommand.Trust.class,
        DomainCommand.Measure.class})
public final class DomainCommand {

  /** {@code certifier domain create}. */
  @Command(name = "create", mixinStandardHelpOptions = true,
      description = {"Create a domain: the policy key and its self-signed certificate, and for"
          + " the simulated enclave a platform key, an attest key and the platform's"
          + " endorsement of the attest key (file names as the reference's provisioning)."})
  public static final class Create implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", required = true, description = "Directory for the domain's files.")
    Path dir;

    @Option(names = "--domain", required = true, description = "Domain name, e.g. datica-test.")
    String domain;

    @Option(names = "--authority", defaultValue = "policyAuthority",
        description = "Policy authority name in the certificate's O (default: ${DEFAULT-VALUE}).")
    String authority;

    @Option(names = "--key-type", defaultValue = "rsa-2048",
        description = "Policy key algorithm: rsa-2048, rsa-3072, rsa-4096 (default: "
            + "${DEFAULT-VALUE}).")
    String keyType;

    @Option(names = "--no-simulated-platform", negatable = true, defaultValue = "true",
        description = "Also make the simulated enclave's platform and attest keys (default).")
    boolean simulatedPlatform;

    @Override
    public void run() {
      PrintWriter out = spec.commandLine().getOut();
      DomainLayout layout = new DomainLayout(dir, domain);
      Instant now = Instant.now();
      try {
        KeyAlgorithm algorithm = KeyAlgorithm.fromLabel(keyType);
        if (!algorithm.isRsa()) {
          throw new CommandFailure(ExitCodes.BAD_INPUT, "policy keys must be RSA: the reference"
              + " service signs and verifies with RSA only (§4.10)");
        }
        Files.createDirectories(dir);
        DomainFiles.createPolicyKey(algorithm, "policyKey", domain + "/" + authority,
            layout.policyKey(), layout.policyCert(), now);
        out.println("policy key:         " + layout.policyKey());
        out.println("policy certificate: " + layout.policyCert());
        if (simulatedPlatform) {
          key_message platform = DomainFiles.createKey(KeyAlgorithm.RSA_2048, "platformKey",
              layout.platformKey());
          key_message attest = DomainFiles.createKey(KeyAlgorithm.RSA_2048, "attestKey",
              layout.attestKey());
          signed_claim_message endorsement = DomainFiles.keyStatement(platform, attest,
              Verb.IS_TRUSTED_FOR_ATTESTATION, now, Duration.ofDays(375));
          org.certifier.files.AtomicFiles.write(layout.endorsement(), endorsement.toByteArray());
          out.println("platform key:       " + layout.platformKey());
          out.println("attest key:         " + layout.attestKey());
          out.println("endorsement:        " + layout.endorsement());
        }
      } catch (GeneralSecurityException e) {
        throw new CommandFailure(ExitCodes.BAD_INPUT, e.getMessage(), e);
      } catch (IOException e) {
        throw new CommandFailure(ExitCodes.IO, e.getMessage(), e);
      }
    }
  }

  /** {@code certifier domain trust}. */
  @Command(name = "trust", mixinStandardHelpOptions = true,
      description = {"Write the domain's signed policy (policy.bin): the simulated platform key"
          + " is trusted for attestation and each given measurement is trusted."})
  public static final class Trust implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", required = true, description = "The domain's directory.")
    Path dir;

    @Option(names = "--domain", required = true, description = "Domain name.")
    String domain;

    @Option(names = "--measurement-file", description = "A measurement file (raw bytes).")
    List<Path> measurementFiles = new ArrayList<>();

    @Option(names = "--measurement", description = "A measurement in hex.")
    List<String> measurements = new ArrayList<>();

    @Option(names = "--valid-days", defaultValue = "375",
        description = "How long the statements hold (default: ${DEFAULT-VALUE} days).")
    long validDays;

    @Option(names = "--output", description = "Policy file (default: <dir>/policy.bin).")
    Path output;

    @Override
    public void run() {
      DomainLayout layout = new DomainLayout(dir, domain);
      Instant now = Instant.now();
      Duration validity = Duration.ofDays(validDays);
      try {
        key_message policyKey = DomainFiles.readKey(layout.policyKey());
        List<signed_claim_message> claims = new ArrayList<>();
        claims.add(DomainFiles.keyStatement(policyKey, DomainFiles.readKey(layout.platformKey()),
            Verb.IS_TRUSTED_FOR_ATTESTATION, now, validity));
        List<byte[]> all = new ArrayList<>();
        for (Path f : measurementFiles) {
          all.add(Files.readAllBytes(f));
        }
        for (String hex : measurements) {
          try {
            all.add(HexFormat.of().parseHex(hex));
          } catch (IllegalArgumentException e) {
            throw new CommandFailure(ExitCodes.BAD_INPUT, "not a hex measurement: " + hex);
          }
        }
        if (all.isEmpty()) {
          throw new CommandFailure(ExitCodes.USAGE, "give at least one --measurement-file or"
              + " --measurement");
        }
        for (byte[] m : all) {
          claims.add(DomainFiles.measurementStatement(policyKey, m, now, validity));
        }
        Path target = output != null ? output : layout.policy();
        DomainFiles.writePolicy(claims, target);
        spec.commandLine().getOut().println("policy with " + claims.size() + " statements: "
            + target);
      } catch (GeneralSecurityException e) {
        throw new CommandFailure(ExitCodes.BAD_INPUT, e.getMessage(), e);
      } catch (IOException e) {
        throw new CommandFailure(ExitCodes.IO, e.getMessage(), e);
      }
    }
  }

  /** {@code certifier domain measure}. */
  @Command(name = "measure", mixinStandardHelpOptions = true,
      description = {"Measure a program as the reference's measurement_utility does: SHA-256"
          + " over the files in order. Prints the hex; --output writes the raw 32 bytes."})
  public static final class Measure implements Runnable {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Parameters(arity = "1..*", paramLabel = "FILE",
        description = "The program (and any further files measured with it).")
    List<Path> files;

    @Option(names = "--output", description = "Write the measurement here (raw bytes).")
    Path output;

    @Override
    public void run() {
      try {
        byte[] m = DomainFiles.measure(files);
        if (output != null) {
          org.certifier.files.AtomicFiles.write(output, m);
        }
        spec.commandLine().getOut().println(HexFormat.of().formatHex(m));
      } catch (IOException e) {
        throw new CommandFailure(ExitCodes.IO, e.getMessage(), e);
      }
    }
  }
}
