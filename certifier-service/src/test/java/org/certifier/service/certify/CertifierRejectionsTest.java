package org.certifier.service.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.certifier.claims.SignedClaims;
import org.certifier.client.TrustRequests;
import org.certifier.client.enclave.SimulatedEnclave;
import org.certifier.crypto.KeyAlgorithm;
import org.certifier.crypto.KeyMessages;
import org.certifier.crypto.Randomness;
import org.certifier.evidence.Failure;
import org.certifier.policy.Clauses;
import org.certifier.policy.Entities;
import org.certifier.policy.Verb;
import org.certifier.proto.key_message;
import org.certifier.proto.signed_claim_message;
import org.certifier.proto.trust_request_message;
import org.certifier.service.DomainKeys;
import org.certifier.service.ReferenceDomain;
import org.certifier.testing.TestVectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fresh requests from a simulated enclave against the reference domain: one admitted, and each
 * rejection reason of issue 3 with its own failure code.
 */
class CertifierRejectionsTest {
  private static final Instant NOW = ReferenceDomain.PINNED;
  private static DomainKeys keys;
  private static Certifier certifier;
  private static key_message authKey;
  private static key_message platformKey;
  private static key_message attestKey;

  @BeforeAll
  static void setUp() throws Exception {
    keys = ReferenceDomain.keys();
    certifier = ReferenceDomain.certifier(keys);
    KeyPair pair = KeyMessages.generate(KeyAlgorithm.RSA_2048, Randomness.secureRandom());
    authKey = KeyMessages.publicPart(KeyMessages.fromKeyPair(pair, "auth-key"));
    platformKey = ReferenceDomain.parse(key_message.parser(),
        "provisioning/platform_key_file.bin");
    attestKey = ReferenceDomain.parse(key_message.parser(), "provisioning/attest_key_file.bin");
  }

  private static trust_request_message request(SimulatedEnclave enclave) throws Exception {
    return TrustRequests.build(enclave, authKey, "authentication", NOW);
  }

  private static Failure rejection(trust_request_message request) {
    Decision decision = certifier.certify(request, Optional.empty());
    return assertInstanceOf(Decision.Rejected.class, decision, decision.toString()).failure();
  }

  private static signed_claim_message endorse(key_message platform, key_message attest,
      Instant notBefore, Instant notAfter) throws Exception {
    return SignedClaims.sign(Clauses.says(Entities.key(KeyMessages.publicPart(platform)),
        Clauses.unary(Entities.key(KeyMessages.publicPart(attest)),
            Verb.IS_TRUSTED_FOR_ATTESTATION)), platform, notBefore, notAfter, "");
  }

  private static SimulatedEnclave enclave(key_message attest, byte[] measurement,
      signed_claim_message endorsement, Clock clock) throws Exception {
    return SimulatedEnclave.of(attest, measurement, endorsement, clock);
  }

  private static byte[] trustedMeasurement() {
    return TestVectors.reference("provisioning/example_app.measurement");
  }

  @Test
  void freshRequestFromTheReferencePlatformIsAdmitted() throws Exception {
    Decision decision = certifier.certify(request(ReferenceDomain.enclave(ReferenceDomain.CLOCK)),
        Optional.empty());
    assertInstanceOf(Decision.Admitted.class, decision, decision.toString());
  }

  @Test
  void unknownMeasurement() throws Exception {
    byte[] other = trustedMeasurement();
    other[0] ^= 1;
    assertEquals(Failure.UNKNOWN_MEASUREMENT, rejection(request(enclave(attestKey, other,
        endorse(platformKey, attestKey, NOW.minusSeconds(60), NOW.plusSeconds(3600)),
        ReferenceDomain.CLOCK))));
  }

  @Test
  void evidenceSignedByAPlatformThePolicyDoesNotTrust() throws Exception {
    key_message rogue = KeyMessages.fromKeyPair(
        KeyMessages.generate(KeyAlgorithm.RSA_2048, Randomness.secureRandom()), "platformKey");
    assertEquals(Failure.UNTRUSTED_SIGNER, rejection(request(enclave(attestKey,
        trustedMeasurement(),
        endorse(rogue, attestKey, NOW.minusSeconds(60), NOW.plusSeconds(3600)),
        ReferenceDomain.CLOCK))));
  }

  @Test
  void reportSignedByAnAttestKeyThePlatformNeverEndorsed() throws Exception {
    key_message otherAttest = KeyMessages.fromKeyPair(
        KeyMessages.generate(KeyAlgorithm.RSA_2048, Randomness.secureRandom()), "attestKey");
    assertEquals(Failure.UNTRUSTED_SIGNER, rejection(request(enclave(otherAttest,
        trustedMeasurement(),
        endorse(platformKey, attestKey, NOW.minusSeconds(60), NOW.plusSeconds(3600)),
        ReferenceDomain.CLOCK))));
  }

  @Test
  void expiredEndorsement() throws Exception {
    assertEquals(Failure.EXPIRED, rejection(request(enclave(attestKey, trustedMeasurement(),
        endorse(platformKey, attestKey, NOW.minus(Duration.ofDays(30)),
            NOW.minus(Duration.ofDays(1))), ReferenceDomain.CLOCK))));
  }

  @Test
  void endorsementNotYetValid() throws Exception {
    assertEquals(Failure.NOT_YET_VALID, rejection(request(enclave(attestKey,
        trustedMeasurement(),
        endorse(platformKey, attestKey, NOW.plus(Duration.ofDays(1)),
            NOW.plus(Duration.ofDays(30))), ReferenceDomain.CLOCK))));
  }

  @Test
  void expiredAttestationReport() throws Exception {
    Clock longAgo = Clock.fixed(NOW.minus(Duration.ofDays(400)), ZoneOffset.UTC);
    assertEquals(Failure.EXPIRED, rejection(request(enclave(attestKey, trustedMeasurement(),
        endorse(platformKey, attestKey, NOW.minusSeconds(60), NOW.plusSeconds(3600)),
        longAgo))));
  }

  @Test
  void signedClaimEvidenceWithATamperedSignature() throws Exception {
    signed_claim_message good = endorse(platformKey, attestKey, NOW.minusSeconds(60),
        NOW.plusSeconds(3600));
    byte[] sig = good.getSignature().toByteArray();
    sig[10] ^= 0x40;
    signed_claim_message bad = good.toBuilder()
        .setSignature(com.google.protobuf.ByteString.copyFrom(sig)).build();
    assertEquals(Failure.BAD_SIGNATURE, rejection(request(enclave(attestKey,
        trustedMeasurement(), bad, ReferenceDomain.CLOCK))));
  }

  @Test
  void missingEvidenceIsMalformed() {
    trust_request_message request = ReferenceDomain.request("trust_request.pb").toBuilder()
        .clearSupport().build();
    assertEquals(Failure.MALFORMED_EVIDENCE, rejection(request));
  }

  @Test
  void reportNotLastIsMalformed() {
    trust_request_message ref = ReferenceDomain.request("trust_request.pb");
    trust_request_message swapped = ref.toBuilder().setSupport(ref.getSupport().toBuilder()
        .clearFactAssertion()
        .addFactAssertion(ref.getSupport().getFactAssertion(1))
        .addFactAssertion(ref.getSupport().getFactAssertion(0))).build();
    assertEquals(Failure.MALFORMED_EVIDENCE, rejection(swapped));
  }
}
