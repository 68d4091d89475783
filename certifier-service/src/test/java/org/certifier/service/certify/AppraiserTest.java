package org.certifier.service.certify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.certifier.claims.SignedClaims;
import org.certifier.claims.SignedPolicy;
import org.certifier.client.TrustRequests;
import org.certifier.client.enclave.SevSnpEnclave;
import org.certifier.crypto.KeyAlgorithm;
import org.certifier.crypto.KeyMessages;
import org.certifier.crypto.Randomness;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.policy.Clauses;
import org.certifier.policy.Entities;
import org.certifier.policy.Verb;
import org.certifier.proto.key_message;
import org.certifier.proto.platform;
import org.certifier.proto.properties;
import org.certifier.proto.property;
import org.certifier.proto.signed_claim_sequence;
import org.certifier.proto.trust_request_message;
import org.certifier.proto.vse_clause;
import org.certifier.service.CertifierService;
import org.certifier.service.DomainKeys;
import org.certifier.service.ReferenceDomain;
import org.certifier.testing.amd.FakeAmdSp;
import org.certifier.verifiers.sevsnp.AmdRoots;
import org.certifier.verifiers.sevsnp.SevEvidenceVerifier;
import org.certifier.verifiers.sevsnp.SnpProduct;
import org.certifier.verifiers.vse.VseVerifier;
import org.junit.jupiter.api.Test;

/**
 * The decision the service and {@code certifier verify request} share: the same answer as the
 * Certifier, and SEV-SNP evidence from the fake AMD chip accepted when its roots are trusted
 * (tests only) and refused for its root by the service's production verifiers.
 */
class AppraiserTest {
  private static final Instant NOW = FakeAmdSp.TIME;
  private static final byte[] MEASUREMENT = sha384("the appraised program");

  @Test
  void theReferenceRequestIsAppraisedAsTheCertifierAdmitsIt() throws Exception {
    DomainKeys keys = ReferenceDomain.keys();
    trust_request_message request = ReferenceDomain.request("trust_request.pb");
    Appraiser.Appraisal appraised = new Appraiser(List.of(new VseVerifier()), Revocations.none())
        .appraise(request, ReferenceDomain.policy(keys), ReferenceDomain.PINNED);
    Decision.Admitted admitted = assertInstanceOf(Decision.Admitted.class,
        ReferenceDomain.certifier(keys).certify(request, Optional.empty()));

    assertArrayEquals(admitted.measurement(), appraised.measurement());
    assertEquals(admitted.proof(), appraised.proofText());
    assertEquals("vse-attestation-package", appraised.evidence().evidenceType());
    assertEquals(2, appraised.policyStatements().size());
  }

  @Test
  void aRevokedMeasurementIsRefusedAfterTheProof() throws Exception {
    DomainKeys keys = ReferenceDomain.keys();
    Appraiser appraiser = new Appraiser(List.of(new VseVerifier()),
        hex -> Optional.of("withdrawn " + hex.substring(0, 4)));
    VerificationException e = assertThrows(VerificationException.class, () -> appraiser.appraise(
        ReferenceDomain.request("trust_request.pb"), ReferenceDomain.policy(keys),
        ReferenceDomain.PINNED));
    assertEquals(Failure.REVOKED, e.failure());
  }

  @Test
  void sevSnpEvidenceIsAcceptedUnderTestRootsWithTheProofThroughThePlatformRules()
      throws Exception {
    FakeAmdSp sp = FakeAmdSp.milan();
    Sev sev = new Sev(sp);
    AmdRoots fakeRoots = AmdRoots.insecureForTesting(List.of(new AmdRoots.ProductRoots(
        SnpProduct.MILAN, sp.ark(), sp.ask(), sp.asvk())));

    Appraiser.Appraisal appraised = new Appraiser(List.of(new VseVerifier(),
        new SevEvidenceVerifier(fakeRoots)), Revocations.none())
        .appraise(sev.request(), sev.policy(), NOW);

    assertArrayEquals(MEASUREMENT, appraised.measurement());
    assertEquals("sev-platform-package", appraised.evidence().evidenceType());
    assertTrue(appraised.proofText().contains("environment-platform-is-trusted"),
        appraised.proofText());
  }

  @Test
  void theServicesProductionVerifiersRefuseTheFakeChipForItsRoot() throws Exception {
    Sev sev = new Sev(FakeAmdSp.milan());
    Appraiser production = new Appraiser(CertifierService.verifiers(Optional.empty()),
        Revocations.none());

    VerificationException e = assertThrows(VerificationException.class,
        () -> production.appraise(sev.request(), sev.policy(), NOW));
    assertEquals(Failure.UNTRUSTED_ROOT, e.failure(), e.getMessage());
  }

  /**
   * A domain whose policy trusts the fake chip's ARK, the program, and an SEV-SNP platform
   * without debugging; and a request from the program on that chip.
   */
  private static final class Sev {
    private final FakeAmdSp sp;
    private final key_message policyKey;

    Sev(FakeAmdSp sp) throws Exception {
      this.sp = sp;
      KeyPair pair = KeyMessages.generate(KeyAlgorithm.RSA_2048, Randomness.secureRandom());
      this.policyKey = KeyMessages.fromKeyPair(pair, "policyKey");
    }

    SignedPolicy policy() throws Exception {
      platform template = platform.newBuilder().setPlatformType("amd-sev-snp")
          .setProps(properties.newBuilder().addProps(property.newBuilder()
              .setPropertyName("debug").setValueType("string").setComparator("=")
              .setStringValue("no")))
          .build();
      signed_claim_sequence.Builder file = signed_claim_sequence.newBuilder();
      for (vse_clause said : List.of(
          Clauses.unary(Entities.key(KeyMessages.fromPublicKey(sp.ark().getPublicKey(),
              "ARK-Milan")), Verb.IS_TRUSTED_FOR_ATTESTATION),
          Clauses.unary(Entities.measurement(MEASUREMENT), Verb.IS_TRUSTED),
          Clauses.unary(Entities.platform(template), Verb.HAS_TRUSTED_PLATFORM_PROPERTY))) {
        file.addClaims(SignedClaims.sign(Clauses.says(Entities.key(
            KeyMessages.publicPart(policyKey)), said), policyKey, NOW.minus(Duration.ofDays(1)),
            NOW.plus(Duration.ofDays(30)), "appraiser test"));
      }
      return SignedPolicy.parse(file.build().toByteArray(), KeyMessages.publicPart(policyKey),
          NOW);
    }

    trust_request_message request() throws Exception {
      SevSnpEnclave enclave = SevSnpEnclave.builder()
          .reportRoot(sp.configfsTsm(g -> g.measurement(MEASUREMENT), true).reportRoot())
          .derivedSealingKey(new byte[SevSnpEnclave.DERIVED_KEY_SIZE]).build();
      key_message authKey = KeyMessages.publicPart(KeyMessages.fromKeyPair(
          KeyMessages.generate(KeyAlgorithm.RSA_2048, Randomness.secureRandom()), "auth-key"));
      return TrustRequests.build(enclave, authKey, Certifier.PURPOSE_AUTHENTICATION, NOW);
    }
  }

  private static byte[] sha384(String text) {
    try {
      return MessageDigest.getInstance("SHA-384").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
