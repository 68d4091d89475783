package org.certifier.policy;

import static org.certifier.policy.Fixtures.says;
import static org.certifier.policy.Fixtures.speaksFor;
import static org.certifier.policy.Fixtures.unary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.proto.entity_message;
import org.certifier.proto.platform;
import org.certifier.proto.proof;
import org.certifier.proto.proof_step;
import org.certifier.proto.vse_clause;
import org.junit.jupiter.api.Test;

/** The proof shapes of §3.7 built by search, and failures that explain themselves. */
class ProverTest {
  private static final entity_message POLICY = Fixtures.key("policyKey", 1);
  private static final entity_message AUTH = Fixtures.key("auth-key", 2);
  private static final vse_clause AXIOM = unary(POLICY, Verb.IS_TRUSTED);

  /** Proves, checks with the ProofChecker and returns the rule numbers used. */
  private static Set<Integer> provesAndChecks(vse_clause goal, List<vse_clause> statements)
      throws VerificationException {
    proof p = Prover.prove(goal, statements);
    ProofChecker.check(goal, p, statements);
    Set<Integer> rules = new HashSet<>();
    for (proof_step s : p.getStepsList()) {
      rules.add(s.getRuleApplied());
    }
    return rules;
  }

  private static VerificationException fails(vse_clause goal, List<vse_clause> statements) {
    return assertThrows(VerificationException.class, () -> Prover.prove(goal, statements));
  }

  // --- SEV-SNP (§3.7.4): ARK -> ASK -> VCEK, environment, platform template -----------------

  private static final entity_message ARK = Entities.key(Fixtures.rsa("ARK-Milan", 11, 4096));
  private static final entity_message ASK = Entities.key(Fixtures.rsa("SEV-Milan", 12, 4096));
  /** The VCEK as Go extracts it from the certificate (49-byte coordinates). */
  private static final entity_message VCEK_GO = Entities.key(Fixtures.ecc("VCEK", 13, true));
  /** The same VCEK as C++ encodes it (minimal coordinates). */
  private static final entity_message VCEK_CPP = Entities.key(Fixtures.ecc("VCEK", 13, false));
  private static final byte[] LAUNCH_DIGEST = Fixtures.bytes(14, 48);

  private static entity_message sevEnvironment(platform observed) {
    return Fixtures.environment(observed, LAUNCH_DIGEST);
  }

  /** What the service establishes for an SEV request: policy first, then the evidence. */
  private static List<vse_clause> sev(platform observed, platform template) {
    entity_message env = sevEnvironment(observed);
    List<vse_clause> s = new ArrayList<>();
    s.add(AXIOM);
    s.add(says(POLICY, unary(ARK, Verb.IS_TRUSTED_FOR_ATTESTATION)));
    s.add(says(POLICY, unary(Entities.measurement(LAUNCH_DIGEST), Verb.IS_TRUSTED)));
    if (template != null) {
      s.add(says(POLICY, unary(Entities.platform(template), Verb.HAS_TRUSTED_PLATFORM_PROPERTY)));
    }
    s.add(says(ARK, unary(ARK, Verb.IS_TRUSTED_FOR_ATTESTATION)));
    s.add(says(ARK, unary(ASK, Verb.IS_TRUSTED_FOR_ATTESTATION)));
    s.add(says(ASK, unary(VCEK_GO, Verb.IS_TRUSTED_FOR_ATTESTATION)));
    s.add(says(VCEK_CPP, unary(env, Verb.IS_ENVIRONMENT)));
    s.add(says(VCEK_CPP, speaksFor(AUTH, env)));
    return s;
  }

  private static final vse_clause AUTHENTICATED = unary(AUTH, Verb.IS_TRUSTED_FOR_AUTHENTICATION);

  @Test
  void sevProvesThroughThePlatformRules() throws VerificationException {
    Set<Integer> rules = provesAndChecks(AUTHENTICATED,
        sev(Fixtures.observedSev(200), Fixtures.sevTemplate(115)));
    assertTrue(rules.containsAll(List.of(1, 3, 5, 6, 8, 9, 10)), rules.toString());
  }

  @Test
  void sevProvesForAttestationWhichGoCannot() throws VerificationException {
    // Go applies rule 6 to "Env is-trusted" there and always fails (§3.7.4); rule 7 works.
    Set<Integer> rules = provesAndChecks(unary(AUTH, Verb.IS_TRUSTED_FOR_ATTESTATION),
        sev(Fixtures.observedSev(200), Fixtures.sevTemplate(115)));
    assertTrue(rules.contains(7));
  }

  @Test
  void sevTcbBelowTheMinimumIsAPlatformMismatch() {
    VerificationException e = fails(AUTHENTICATED,
        sev(Fixtures.observedSev(68), Fixtures.sevTemplate(115)));
    assertEquals(Failure.PLATFORM_PROPERTY_MISMATCH, e.failure());
    assertTrue(e.getMessage().startsWith("cannot establish environment[platform[amd-sev-snp, "
        + "no key, debug: no, key-share: no, migrate: no, api-major: 1, api-minor: 55, "
        + "tcb-version: 68], measurement: "), e.getMessage());
    assertTrue(e.getMessage().contains("environment-platform-is-trusted: "
        + "tcb-version 68 < 115 required (needed for environment["), e.getMessage());
  }

  @Test
  void sevDebugPlatformIsRefusedForDebugging() {
    platform debug = Fixtures.platform("amd-sev-snp", Fixtures.string("debug", "yes"),
        Fixtures.integer("api-major", "=", 1), Fixtures.integer("tcb-version", "=", 200));
    VerificationException e = fails(AUTHENTICATED, sev(debug, Fixtures.sevTemplate(115)));
    assertEquals(Failure.DEBUG_NOT_ALLOWED, e.failure());
    assertTrue(e.getMessage().contains("debug: observed yes, policy requires no"));
    // Debugging plus another unmet property is an ordinary mismatch.
    platform debugAndOld = Fixtures.platform("amd-sev-snp", Fixtures.string("debug", "yes"),
        Fixtures.integer("api-major", "=", 1), Fixtures.integer("tcb-version", "=", 68));
    assertEquals(Failure.PLATFORM_PROPERTY_MISMATCH,
        fails(AUTHENTICATED, sev(debugAndOld, Fixtures.sevTemplate(115))).failure());
  }

  @Test
  void aTcbStatusNoTemplateAcceptsIsNotAccepted() {
    platform outOfDate = Fixtures.platform("amd-sev-snp", Fixtures.string("debug", "no"),
        Fixtures.integer("api-major", "=", 1), Fixtures.integer("tcb-version", "=", 200),
        Fixtures.string("tcb-status", "OutOfDate"));
    VerificationException e = fails(AUTHENTICATED, sev(outOfDate, Fixtures.sevTemplate(115)));
    assertEquals(Failure.TCB_STATUS_NOT_ACCEPTED, e.failure());
    assertTrue(e.getMessage().contains("accepts only UpToDate"), e.getMessage());
  }

  @Test
  void sevWithoutAnyPlatformTemplate() {
    VerificationException e = fails(AUTHENTICATED, sev(Fixtures.observedSev(200), null));
    assertEquals(Failure.PLATFORM_PROPERTY_MISMATCH, e.failure());
    assertTrue(e.getMessage().contains("no policy statement trusts platforms of type "
        + "amd-sev-snp"), e.getMessage());
  }

  @Test
  void sevChoosesTheTemplateThatFits() throws VerificationException {
    // Go takes the first platform statement of the policy (§3.7.4); the search tries all.
    List<vse_clause> s = sev(Fixtures.observedSev(200), Fixtures.sevTemplate(300));
    s.add(says(POLICY, unary(Entities.platform(Fixtures.sevTemplate(150)),
        Verb.HAS_TRUSTED_PLATFORM_PROPERTY)));
    provesAndChecks(AUTHENTICATED, s);
  }

  @Test
  void sevUnknownLaunchDigest() {
    List<vse_clause> s = sev(Fixtures.observedSev(200), Fixtures.sevTemplate(115));
    s.remove(2);
    VerificationException e = fails(AUTHENTICATED, s);
    assertEquals(Failure.UNKNOWN_MEASUREMENT, e.failure());
    assertTrue(e.getMessage().startsWith("cannot establish Measurement["), e.getMessage());
  }

  @Test
  void sevBrokenChainNamesTheUntrustedKey() {
    List<vse_clause> s = sev(Fixtures.observedSev(200), Fixtures.sevTemplate(115));
    s.removeIf(c -> c.getClause().getSubject().getKey().getKeyName().equals("SEV-Milan"));
    VerificationException e = fails(AUTHENTICATED, s);
    assertEquals(Failure.UNTRUSTED_SIGNER, e.failure());
    assertTrue(e.getMessage().startsWith("cannot establish Key[rsa, SEV-Milan, "),
        e.getMessage());
    assertTrue(e.getMessage().contains("needed for Key[ecc-P-384, VCEK, "), e.getMessage());
  }

  // --- TPM (§3.7.3), Keystone / Islet (§3.7.6), Gramine (§3.7.5) -----------------------------

  @Test
  void tpmProvesWithRegisters() throws VerificationException {
    entity_message quoteKey = Fixtures.key("quoteKey", 21);
    byte[] pcrDigest = Fixtures.bytes(22, 32);
    entity_message pcrs = Entities.measurement(pcrDigest, new byte[] {7});
    List<vse_clause> s = List.of(AXIOM,
        says(POLICY, unary(pcrs, Verb.IS_TRUSTED)),
        says(POLICY, unary(quoteKey, Verb.IS_TRUSTED_FOR_ATTESTATION)),
        says(quoteKey, speaksFor(AUTH, pcrs)));
    assertEquals(Set.of(1, 3, 6), provesAndChecks(AUTHENTICATED, s));
  }

  @Test
  void tpmRegistersMustMatchThePolicy() {
    entity_message quoteKey = Fixtures.key("quoteKey", 21);
    byte[] pcrDigest = Fixtures.bytes(22, 32);
    List<vse_clause> s = List.of(AXIOM,
        says(POLICY, unary(Entities.measurement(pcrDigest, new byte[] {7}), Verb.IS_TRUSTED)),
        says(POLICY, unary(quoteKey, Verb.IS_TRUSTED_FOR_ATTESTATION)),
        says(quoteKey, speaksFor(AUTH, Entities.measurement(pcrDigest, new byte[] {7, 8}))));
    VerificationException e = fails(AUTHENTICATED, s);
    assertEquals(Failure.UNKNOWN_MEASUREMENT, e.failure());
    assertTrue(e.getMessage().contains("using (7, 8) is-trusted: the policy trusts these bytes "
        + "only as Measurement["), e.getMessage());
  }

  @Test
  void keystoneProves() throws VerificationException {
    entity_message authority = Fixtures.key("KeystoneAuthority", 31);
    entity_message m = Fixtures.measurement(32);
    List<vse_clause> s = List.of(AXIOM,
        says(POLICY, unary(m, Verb.IS_TRUSTED)),
        says(POLICY, unary(authority, Verb.IS_TRUSTED_FOR_ATTESTATION)),
        says(authority, speaksFor(AUTH, m)));
    assertEquals(Set.of(1, 3, 6), provesAndChecks(AUTHENTICATED, s));
    assertEquals(Set.of(3, 6, 7),
        provesAndChecks(unary(AUTH, Verb.IS_TRUSTED_FOR_ATTESTATION), s));
  }

  @Test
  void gramineProvesFromAnUnsignedBinding() throws VerificationException {
    entity_message m = Fixtures.measurement(41);
    List<vse_clause> s = List.of(AXIOM, says(POLICY, unary(m, Verb.IS_TRUSTED)),
        speaksFor(AUTH, m));
    assertEquals(Set.of(1, 3), provesAndChecks(AUTHENTICATED, s));
  }

  @Test
  void applicationEnclaveProvesThroughTheServiceKey() throws VerificationException {
    entity_message appServicePolicy = Fixtures.key("appServicePolicyKey", 51);
    entity_message serviceKey = Fixtures.key("service-attest-key", 52);
    entity_message m = Fixtures.measurement(53);
    List<vse_clause> s = List.of(AXIOM,
        says(POLICY, unary(appServicePolicy, Verb.IS_TRUSTED_FOR_ATTESTATION)),
        says(POLICY, unary(m, Verb.IS_TRUSTED)),
        says(appServicePolicy, unary(serviceKey, Verb.IS_TRUSTED_FOR_ATTESTATION)),
        says(serviceKey, speaksFor(AUTH, m)));
    assertEquals(Set.of(1, 3, 5, 6), provesAndChecks(AUTHENTICATED, s));
  }

  @Test
  void keyProvisionUsesRule11() throws VerificationException {
    entity_message m = Fixtures.measurement(61);
    List<vse_clause> s = List.of(AXIOM, says(POLICY, unary(m, Verb.IS_TRUSTED)),
        speaksFor(AUTH, m));
    assertEquals(Set.of(3, 11),
        provesAndChecks(unary(AUTH, Verb.IS_TRUSTED_FOR_KEY_PROVISION), s));
  }

  @Test
  void keyProvisionIsNotForEnvironments() {
    // Rule 11 takes measurements only (Go); an SEV key cannot get key-provision trust.
    VerificationException e = fails(unary(AUTH, Verb.IS_TRUSTED_FOR_KEY_PROVISION),
        sev(Fixtures.observedSev(200), Fixtures.sevTemplate(115)));
    assertEquals(Failure.PROOF_FAILED, e.failure());
  }

  // --- search behaviour ---------------------------------------------------------------------

  @Test
  void nestedAssertionsAreFollowed() throws VerificationException {
    entity_message platformKey = Fixtures.key("platformKey", 71);
    entity_message attestKey = Fixtures.key("attestKey", 72);
    entity_message m = Fixtures.measurement(73);
    List<vse_clause> s = List.of(AXIOM, says(POLICY, unary(m, Verb.IS_TRUSTED)),
        says(POLICY, says(platformKey, unary(attestKey, Verb.IS_TRUSTED_FOR_ATTESTATION))),
        says(POLICY, unary(platformKey, Verb.IS_TRUSTED_FOR_ATTESTATION)),
        says(attestKey, speaksFor(AUTH, m)));
    provesAndChecks(AUTHENTICATED, s);
  }

  @Test
  void cyclesWithoutARootFailAndTerminate() {
    entity_message a = Fixtures.key("a", 81);
    entity_message b = Fixtures.key("b", 82);
    entity_message m = Fixtures.measurement(83);
    List<vse_clause> s = List.of(AXIOM, says(POLICY, unary(m, Verb.IS_TRUSTED)),
        says(a, unary(b, Verb.IS_TRUSTED_FOR_ATTESTATION)),
        says(b, unary(a, Verb.IS_TRUSTED_FOR_ATTESTATION)),
        says(b, speaksFor(AUTH, m)));
    VerificationException e = fails(AUTHENTICATED, s);
    assertEquals(Failure.UNTRUSTED_SIGNER, e.failure());
    assertTrue(e.getMessage().startsWith("cannot establish Key[rsa, a, "), e.getMessage());
  }

  @Test
  void cyclesWithARootProve() throws VerificationException {
    entity_message a = Fixtures.key("a", 81);
    entity_message b = Fixtures.key("b", 82);
    entity_message m = Fixtures.measurement(83);
    List<vse_clause> s = List.of(AXIOM, says(POLICY, unary(m, Verb.IS_TRUSTED)),
        says(a, unary(b, Verb.IS_TRUSTED_FOR_ATTESTATION)),
        says(b, unary(a, Verb.IS_TRUSTED_FOR_ATTESTATION)),
        says(POLICY, unary(a, Verb.IS_TRUSTED_FOR_ATTESTATION)),
        says(b, speaksFor(AUTH, m)));
    provesAndChecks(AUTHENTICATED, s);
  }

  @Test
  void longDelegationChainsProve() throws VerificationException {
    entity_message m = Fixtures.measurement(91);
    List<vse_clause> s = new ArrayList<>(List.of(AXIOM, says(POLICY, unary(m, Verb.IS_TRUSTED))));
    entity_message previous = Fixtures.key("k0", 1000);
    s.add(says(POLICY, unary(previous, Verb.IS_TRUSTED_FOR_ATTESTATION)));
    for (int i = 1; i < 200; i++) {
      entity_message next = Fixtures.key("k" + i, 1000 + i);
      s.add(says(previous, unary(next, Verb.IS_TRUSTED_FOR_ATTESTATION)));
      previous = next;
    }
    s.add(says(previous, speaksFor(AUTH, m)));
    proof p = Prover.prove(AUTHENTICATED, s);
    ProofChecker.check(AUTHENTICATED, p, s);
    assertEquals(203, p.getStepsCount());
  }

  @Test
  void aGoalAmongTheGivenStatementsIsRefused() {
    // Even when it is also derivable: a given goal means something asserts it without proof.
    entity_message m = Fixtures.measurement(101);
    vse_clause goal = unary(m, Verb.IS_TRUSTED);
    for (List<vse_clause> s : List.of(List.of(AXIOM, goal),
        List.of(goal, AXIOM, says(POLICY, goal)))) {
      VerificationException e = fails(goal, s);
      assertEquals(Failure.PROOF_FAILED, e.failure());
      assertTrue(e.getMessage().endsWith("a goal must be derived, not given"), e.getMessage());
    }
  }

  @Test
  void malformedStatementsAreRefused() {
    vse_clause bad = unary(Fixtures.measurement(1), Verb.IS_TRUSTED).toBuilder()
        .setVerb("is-trustworthy").build();
    VerificationException e = fails(AUTHENTICATED, List.of(AXIOM, bad));
    assertEquals(Failure.MALFORMED_EVIDENCE, e.failure());
    assertTrue(e.getMessage().startsWith("established statement 1: malformed statement"));
    assertEquals(Failure.MALFORMED_EVIDENCE, fails(bad, List.of(AXIOM)).failure());
  }

  @Test
  void noBindingIsAProofFailure() {
    VerificationException e = fails(AUTHENTICATED, List.of(AXIOM));
    assertEquals(Failure.PROOF_FAILED, e.failure());
    assertTrue(e.getMessage().contains("no trusted attestation binds this key"),
        e.getMessage());
  }

  @Test
  void tenThousandMeasurementsStillProve() throws VerificationException {
    List<vse_clause> s = new ArrayList<>();
    s.add(AXIOM);
    for (int i = 0; i < 10_000; i++) {
      s.add(says(POLICY, unary(Entities.measurement(Fixtures.bytes(200_000 + i, 32)),
          Verb.IS_TRUSTED)));
    }
    entity_message attestKey = Fixtures.key("attestKey", 7);
    entity_message m = Entities.measurement(Fixtures.bytes(200_000 + 9_876, 32));
    s.add(says(POLICY, unary(attestKey, Verb.IS_TRUSTED_FOR_ATTESTATION)));
    s.add(says(attestKey, speaksFor(AUTH, m)));
    long start = System.nanoTime();
    proof p = Prover.prove(AUTHENTICATED, s);
    long proved = System.nanoTime();
    ProofChecker.check(AUTHENTICATED, p, s);
    long checked = System.nanoTime();
    System.out.printf("10,000 measurements: prove %d ms, check %d ms%n",
        (proved - start) / 1_000_000, (checked - proved) / 1_000_000);
    assertEquals(4, p.getStepsCount());
  }
}
