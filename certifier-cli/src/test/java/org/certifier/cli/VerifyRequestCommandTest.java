package org.certifier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.certifier.claims.SignedClaims;
import org.certifier.client.TrustRequests;
import org.certifier.client.enclave.SevSnpEnclave;
import org.certifier.crypto.KeyAlgorithm;
import org.certifier.crypto.KeyMessages;
import org.certifier.crypto.Randomness;
import org.certifier.policy.Clauses;
import org.certifier.policy.Entities;
import org.certifier.policy.Verb;
import org.certifier.proto.key_message;
import org.certifier.proto.signed_claim_sequence;
import org.certifier.proto.trust_request_message;
import org.certifier.proto.vse_clause;
import org.certifier.service.issue.CertificateFactory;
import org.certifier.testing.amd.FakeAmdSp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code certifier verify request}: the reference capture decided against the reference policy
 * at a time inside its validity, as the service decided it; and each refusal with its code.
 */
class VerifyRequestCommandTest {
  private static final String PINNED = "2026-11-22T12:00:00Z";
  private static final String MEASUREMENT =
      "9f2be451d6089d7ae4c72a79b042d993f49de901ddca775c26afd15746fb8154";

  @TempDir
  Path dir;

  private static Cli.Result verify(Object request, Object policy, Object... more) {
    Object[] args = {"verify", "request", "--request", request, "--policy", policy,
        "--policy-cert", Cli.vector("provisioning/policy_cert_file.datica-test"), "--at", PINNED};
    Object[] all = Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return Cli.run(all);
  }

  private static Path referencePolicy() {
    return Cli.vector("provisioning/policy.bin");
  }

  @Test
  void theReferenceRequestIsAcceptedWithItsProof() {
    Cli.Result r = verify(Cli.vector("wire/trust_request.pb"), referencePolicy());
    assertEquals(ExitCodes.OK, r.exit(), r.toString());
    assertTrue(r.out().contains("evidence-type: vse-attestation-package"), r.out());
    assertTrue(r.out().contains("enclave-type: simulated-enclave"), r.out());
    assertTrue(r.out().contains("measurement: " + MEASUREMENT), r.out());
    assertTrue(r.out().contains("is-trusted-for-authentication"), r.out());
    assertTrue(r.out().contains("\n  - 1. rule "), r.out());
    assertTrue(r.out().contains("revocations: not consulted"), r.out());
    assertTrue(r.out().endsWith("verdict: accepted\n"), r.out());
  }

  @Test
  void theFramedCaptureIsTheSameRequest() {
    Cli.Result r = verify(Cli.vector("wire/trust_request.framed.bin"), referencePolicy(),
        "--format", "json");
    assertEquals(ExitCodes.OK, r.exit(), r.toString());
    assertTrue(r.out().contains("\"measurement\": \"" + MEASUREMENT + "\""), r.out());
    assertTrue(r.out().contains("\"verdict\": \"accepted\""), r.out());
  }

  @Test
  void theTamperedRequestIsRejectedForItsSignature() {
    Cli.Result r = verify(Cli.vector("wire/trust_request.tampered.pb"), referencePolicy());
    assertEquals(ExitCodes.REJECTED, r.exit(), r.toString());
    assertTrue(r.out().contains("failure: bad-signature"), r.out());
    assertTrue(r.err().contains("rejected: bad-signature"), r.err());
  }

  @Test
  void aPolicyThatDoesNotTrustTheProgramRejectsItAndSaysWhy() {
    // Only the first reference statement: the platform key is trusted, the program is not.
    Path onlyPlatform = dir.resolve("policy.platform-only.bin");
    Cli.Result packaged = Cli.run("policy", "package", "--input",
        Cli.vector("provisioning/signed_claim_1.bin"), "--output", onlyPlatform);
    assertEquals(ExitCodes.OK, packaged.exit(), packaged.toString());

    Cli.Result r = verify(Cli.vector("wire/trust_request.pb"), onlyPlatform);

    assertEquals(ExitCodes.REJECTED, r.exit(), r.toString());
    assertTrue(r.out().contains("failure: unknown-measurement"), r.out());
    // The evidence verified; what is missing is the policy's trust in the measurement.
    assertTrue(r.out().contains("evidence-statements:"), r.out());
    assertTrue(r.out().contains("reason: cannot establish Measurement[" + MEASUREMENT
        .substring(0, 4)), r.out());
    assertTrue(r.out().contains("is-trusted-for-authentication)"), r.out());
  }

  @Test
  void aPolicyCertificateThatDidNotSignThePolicyIsAClearError() {
    Cli.Result created = Cli.run("domain", "create", "--dir", dir, "--domain", "other");
    assertEquals(ExitCodes.OK, created.exit(), created.toString());

    Cli.Result r = Cli.run("verify", "request", "--request", Cli.vector("wire/trust_request.pb"),
        "--policy", referencePolicy(), "--policy-cert", dir.resolve("policy_cert_file.other"),
        "--at", PINNED);

    assertEquals(ExitCodes.BAD_INPUT, r.exit(), r.toString());
    assertTrue(r.err().contains("does not verify under the key of --policy-cert"), r.err());
    assertEquals("", r.out());
  }

  @Test
  void aPolicyOutsideItsValidityIsAClearError() {
    Cli.Result r = Cli.run("verify", "request", "--request", Cli.vector("wire/trust_request.pb"),
        "--policy", referencePolicy(), "--policy-cert",
        Cli.vector("provisioning/policy_cert_file.datica-test"), "--at", "2030-01-01T00:00:00Z");
    assertEquals(ExitCodes.BAD_INPUT, r.exit(), r.toString());
    assertTrue(r.err().contains("at 2030-01-01T00:00:00Z"), r.err());
  }

  @Test
  void malformedRequestFilesAreBadInput() throws Exception {
    byte[] request = Files.readAllBytes(Cli.vector("wire/trust_request.pb"));
    Path truncated = Files.write(dir.resolve("truncated.pb"),
        Arrays.copyOf(request, request.length - 100));
    Path text = Files.writeString(dir.resolve("text.pb"), "not a trust request at all\n");
    byte[] framed = Files.readAllBytes(Cli.vector("wire/trust_request.framed.bin"));
    // A frame whose body is cut short is a frame header over the wrong length: not a request.
    Path shortFrame = Files.write(dir.resolve("short.framed"),
        Arrays.copyOf(framed, framed.length - 1));
    for (Path bad : new Path[] {truncated, text, shortFrame}) {
      Cli.Result r = verify(bad, referencePolicy());
      assertEquals(ExitCodes.BAD_INPUT, r.exit(), bad + ": " + r);
      assertTrue(r.err().contains("trust request"), r.err());
    }
  }

  @Test
  void aMissingFileIsAnIoError() {
    Cli.Result r = verify(dir.resolve("absent.pb"), referencePolicy());
    assertEquals(ExitCodes.IO, r.exit(), r.toString());
    assertTrue(r.err().contains("no such file"), r.err());
  }

  /**
   * SEV-SNP evidence made by the fake AMD secure processor, under a policy that trusts the fake
   * ARK: the command decides with the service's production verifiers, which trust AMD's pinned
   * roots only, so the evidence is refused for its root, as the service would refuse it
   * (acceptance with test roots: AppraiserTest in certifier-service).
   */
  @Test
  void sevSnpEvidenceFromTheFakeChipIsRefusedForItsRoot() throws Exception {
    FakeAmdSp sp = FakeAmdSp.milan();
    Instant now = FakeAmdSp.TIME;
    byte[] measurement = MessageDigest.getInstance("SHA-384")
        .digest("a program".getBytes(StandardCharsets.UTF_8));
    KeyPair policyPair = KeyMessages.generate(KeyAlgorithm.RSA_2048, Randomness.secureRandom());
    key_message policyKey = KeyMessages.fromKeyPair(policyPair, "policyKey");
    Path cert = Files.write(dir.resolve("policy_cert"), CertificateFactory.policyCertificate(
        policyPair.getPrivate(), policyPair.getPublic(), "policyKey", "sev/policyAuthority",
        now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30))).getEncoded());
    vse_clause arkTrusted = Clauses.unary(Entities.key(KeyMessages.fromPublicKey(
        sp.ark().getPublicKey(), "ARK-Milan")), Verb.IS_TRUSTED_FOR_ATTESTATION);
    vse_clause programTrusted = Clauses.unary(Entities.measurement(measurement), Verb.IS_TRUSTED);
    signed_claim_sequence.Builder policy = signed_claim_sequence.newBuilder();
    for (vse_clause said : new vse_clause[] {arkTrusted, programTrusted}) {
      policy.addClaims(SignedClaims.sign(Clauses.says(Entities.key(
          KeyMessages.publicPart(policyKey)), said), policyKey, now.minus(Duration.ofDays(1)),
          now.plus(Duration.ofDays(30)), "sev policy"));
    }
    Path policyFile = Files.write(dir.resolve("policy.bin"), policy.build().toByteArray());
    byte[] sealingKey = new byte[SevSnpEnclave.DERIVED_KEY_SIZE];
    SevSnpEnclave enclave = SevSnpEnclave.builder()
        .reportRoot(sp.configfsTsm(g -> g.measurement(measurement), true).reportRoot())
        .derivedSealingKey(sealingKey).build();
    key_message authKey = KeyMessages.publicPart(KeyMessages.fromKeyPair(
        KeyMessages.generate(KeyAlgorithm.RSA_2048, Randomness.secureRandom()), "auth-key"));
    trust_request_message request = TrustRequests.build(enclave, authKey, "authentication", now);
    Path requestFile = Files.write(dir.resolve("sev_request.pb"), request.toByteArray());

    Cli.Result r = Cli.run("verify", "request", "--request", requestFile, "--policy", policyFile,
        "--policy-cert", cert, "--at", now, "--format", "json");

    assertEquals(ExitCodes.REJECTED, r.exit(), r.toString());
    assertTrue(r.out().contains("\"evidence-type\": \"sev-platform-package\""), r.out());
    assertTrue(r.out().contains("\"failure\": \"untrusted-root\""), r.out());
  }
}
