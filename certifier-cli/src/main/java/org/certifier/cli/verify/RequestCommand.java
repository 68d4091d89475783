package org.certifier.cli.verify;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.certifier.cli.CommandFailure;
import org.certifier.cli.ExitCodes;
import org.certifier.cli.Guard;
import org.certifier.cli.Inputs;
import org.certifier.cli.domain.DomainFiles;
import org.certifier.cli.output.Facts;
import org.certifier.cli.output.FormatOption;
import org.certifier.cli.service.CollateralOptions;
import org.certifier.claims.VersionedPolicy;
import org.certifier.evidence.VerificationException;
import org.certifier.policy.Entities;
import org.certifier.policy.Statements;
import org.certifier.proto.entity_message;
import org.certifier.proto.key_message;
import org.certifier.proto.trust_request_message;
import org.certifier.proto.vse_clause;
import org.certifier.protocol.Framing;
import org.certifier.protocol.Messages;
import org.certifier.service.CertifierService;
import org.certifier.service.certify.Appraiser;
import org.certifier.service.certify.Revocations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code certifier verify request}: a whole trust request decided offline against the domain's
 * signed policy by the service's own {@link Appraiser} and verifiers
 * ({@link CertifierService#verifiers}), without issuing anything. What the service would log in
 * its development profile for a refusal is what this prints.
 */
@Command(name = "request", mixinStandardHelpOptions = true,
    description = {"Decide a trust request (trust_request_message, raw or framed as on the"
        + " wire) offline, exactly as the Certifier Service would: the purpose, the evidence"
        + " (SEV-SNP against AMD's pinned roots, TDX and SGX against Intel's with the collateral"
        + " named here, the simulated enclave), the policy statements that concern it, the proof"
        + " of 'enclave key is-trusted-for-<purpose>' and its re-check, and the key type a"
        + " certificate can carry. Nothing is issued. Prints the evidence, the measurement, the"
        + " platform, the statements proved and the proof step by step, or the failure code and"
        + " what could not be established, and why.",
        "Not consulted offline: the service's revocations (they live in its store).",
        "Exit code 0 accepted, 1 rejected (with the failure code), 2 usage error, 3 unreadable"
            + " input (a request that does not parse, a policy that does not verify under the"
            + " policy certificate at --at), 4 missing file.",
        "Example: certifier verify request --request trust_request.pb --policy policy.bin"
            + " --policy-cert policy_cert_file.datica-test --at 2026-11-22T12:00:00Z"})
public final class RequestCommand implements Runnable {
  private static final int FRAME_HEADER = 4;

  @Spec
  CommandSpec spec;

  @Mixin
  FormatOption format;

  @Mixin
  CollateralOptions collateral;

  @Option(names = "--request", required = true, paramLabel = "FILE",
      description = "The trust_request_message: the protobuf, or framed (4-byte little-endian"
          + " length first) as a client sends it.")
  Path request;

  @Option(names = {"--policy", "--policy-file"}, required = true, paramLabel = "FILE",
      description = "The signed policy: the reference's policy.bin or a versioned policy.")
  Path policy;

  @Option(names = {"--policy-cert", "--policy-cert-file", "--policy_cert_file"},
      required = true, paramLabel = "FILE",
      description = "The domain's policy certificate (DER or PEM); its key must have signed the"
          + " policy.")
  Path policyCert;

  @Option(names = "--at", paramLabel = "INSTANT",
      description = "Decision time, e.g. 2026-11-22T12:00:00Z (default: now). The policy's"
          + " statements, the evidence and its collateral must be valid then.")
  String at;

  @Override
  public void run() {
    Guard.run(() -> {
      Instant when = Inputs.instant("--at", at);
      trust_request_message trustRequest = Messages.parse(trust_request_message.parser(),
          unframed(Files.readAllBytes(request)), "trust request " + request);
      key_message policyKey = DomainFiles.certificateKey(policyCert);
      VersionedPolicy domainPolicy = policy(Files.readAllBytes(policy), policyKey, when);
      Appraiser appraiser = new Appraiser(CertifierService.verifiers(
          collateral.settings().source(Clock.fixed(when, ZoneOffset.UTC))), Revocations.none());

      Facts facts = new Facts();
      facts.put("request", request.toString());
      facts.put("evidence-type", trustRequest.getSubmittedEvidenceType());
      facts.put("enclave-type", trustRequest.getSupport().getEnclaveType());
      facts.put("purpose", trustRequest.getPurpose());
      facts.put("decided-at", when.toString());
      facts.put("policy", domainPolicy.toString());
      facts.put("revocations", "not consulted (the service's store is not read offline)");
      try {
        Appraiser.Evidence evidence = appraiser.verify(trustRequest, when);
        describe(evidence, trustRequest.getSupport().getEnclaveType(), facts);
        Appraiser.Appraisal decided = appraiser.prove(evidence, domainPolicy.policy(), when);
        facts.put("measurement", decided.measurementHex());
        statements(facts.list("policy-statements-used"), decided.policyStatements());
        facts.put("proved", Statements.describe(decided.goal()));
        facts.list("proof").addAll(List.of(decided.proofText().split("\n")));
        facts.put("verdict", "accepted");
        format.print(facts, spec.commandLine().getOut());
      } catch (VerificationException e) {
        facts.put("verdict", "rejected");
        facts.put("failure", e.failure().code());
        facts.put("reason", String.valueOf(e.getMessage()));
        format.print(facts, spec.commandLine().getOut());
        throw new CommandFailure(ExitCodes.REJECTED, "rejected: " + e.failure().code() + ": "
            + e.getMessage());
      }
    });
  }

  /**
   * The request's protobuf: the file itself, or its body if the first four bytes are the
   * little-endian length of the rest (the reference's sized-socket framing, §2.1).
   */
  private static byte[] unframed(byte[] bytes) throws IOException {
    if (bytes.length <= FRAME_HEADER) {
      return bytes;
    }
    long length = (bytes[0] & 0xffL) | (bytes[1] & 0xffL) << 8 | (bytes[2] & 0xffL) << 16
        | (bytes[3] & 0xffL) << 24;
    if (length != bytes.length - FRAME_HEADER || length > Framing.MAX_FRAME) {
      return bytes;
    }
    return Framing.read(new ByteArrayInputStream(bytes), Framing.MAX_FRAME);
  }

  /** The policy, which must verify under the policy certificate's key at {@code when}. */
  private VersionedPolicy policy(byte[] bytes, key_message policyKey, Instant when) {
    try {
      return VersionedPolicy.load(bytes, policyKey, when);
    } catch (VerificationException e) {
      throw new CommandFailure(ExitCodes.BAD_INPUT, "--policy " + policy + " does not verify"
          + " under the key of --policy-cert " + policyCert + " at " + when + " ("
          + e.failure().code() + "): " + e.getMessage(), e);
    }
  }

  /** What the verified evidence establishes, before any policy is applied. */
  private static void describe(Appraiser.Evidence evidence, String enclaveType, Facts facts) {
    facts.put("enclave-key", Statements.describe(evidence.verified().enclaveKey()));
    Set<String> platforms = new LinkedHashSet<>();
    for (vse_clause c : evidence.verified().statements()) {
      platforms(c, platforms);
    }
    if (platforms.isEmpty()) {
      facts.put("platform", enclaveType + " (the evidence states no platform properties)");
    } else {
      facts.list("platform").addAll(platforms);
    }
    statements(facts.list("evidence-statements"), evidence.verified().statements());
  }

  private static void statements(List<Object> into, List<vse_clause> statements) {
    for (vse_clause c : statements) {
      into.add(Statements.describe(c));
    }
  }

  /** Every platform a statement names, alone or in an environment, readably. */
  private static void platforms(vse_clause clause, Set<String> into) {
    List<entity_message> entities = new ArrayList<>();
    if (clause.hasSubject()) {
      entities.add(clause.getSubject());
    }
    if (clause.hasObject()) {
      entities.add(clause.getObject());
    }
    for (entity_message e : entities) {
      if (Entities.PLATFORM.equals(e.getEntityType())) {
        into.add(Statements.describe(e));
      } else if (Entities.ENVIRONMENT.equals(e.getEntityType())
          && e.getEnvironmentEnt().hasThePlatform()) {
        into.add(Statements.describe(Entities.platform(e.getEnvironmentEnt().getThePlatform())));
      }
    }
    if (clause.hasClause()) {
      platforms(clause.getClause(), into);
    }
  }
}
