package org.certifier.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import java.util.stream.Stream;
import org.certifier.proto.attestation_user_data;
import org.certifier.proto.buffer_sequence;
import org.certifier.proto.certifiers_message;
import org.certifier.proto.claim_message;
import org.certifier.proto.evidence;
import org.certifier.proto.evidence_package;
import org.certifier.proto.key_message;
import org.certifier.proto.policy_store_entry;
import org.certifier.proto.policy_store_message;
import org.certifier.proto.protected_blob_message;
import org.certifier.proto.signed_claim_message;
import org.certifier.proto.signed_claim_sequence;
import org.certifier.proto.signed_report;
import org.certifier.proto.trust_request_message;
import org.certifier.proto.trust_response_message;
import org.certifier.proto.vse_attestation_report_info;
import org.certifier.proto.vse_clause;
import org.certifier.testing.TestVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every protobuf file of the reference capture parses with our generated classes and serializes
 * back to the identical bytes, including the messages nested as bytes inside them.
 */
class ReferenceVectorsRoundTripTest {

  static Stream<Arguments> files() {
    return Stream.of(
        Arguments.of("provisioning/attest_key_file.bin", key_message.parser()),
        Arguments.of("provisioning/platform_key_file.bin", key_message.parser()),
        Arguments.of("provisioning/policy_key_file.datica-test", key_message.parser()),
        Arguments.of("provisioning/platform_attest_endorsement.bin", signed_claim_message.parser()),
        Arguments.of("provisioning/signed_claim_1.bin", signed_claim_message.parser()),
        Arguments.of("provisioning/signed_claim_2.bin", signed_claim_message.parser()),
        Arguments.of("provisioning/policy.bin", buffer_sequence.parser()),
        Arguments.of("provisioning/policy.bin", signed_claim_sequence.parser()),
        Arguments.of("provisioning/ts1.bin", vse_clause.parser()),
        Arguments.of("provisioning/ts2.bin", vse_clause.parser()),
        Arguments.of("provisioning/tsc1.bin", vse_clause.parser()),
        Arguments.of("provisioning/vse_policy1.bin", vse_clause.parser()),
        Arguments.of("provisioning/vse_policy2.bin", vse_clause.parser()),
        Arguments.of("provisioning/vse_policy3.bin", vse_clause.parser()),
        Arguments.of("wire/evidence_package.pb", evidence_package.parser()),
        Arguments.of("wire/trust_request.pb", trust_request_message.parser()),
        Arguments.of("wire/trust_request.tampered.pb", trust_request_message.parser()),
        Arguments.of("wire/trust_response.pb", trust_response_message.parser()),
        Arguments.of("wire/trust_response.failed.pb", trust_response_message.parser()),
        Arguments.of("app-store/app1.policy_store.certified.bin", protected_blob_message.parser()),
        Arguments.of("app-store/app2.policy_store.certified.bin", protected_blob_message.parser()),
        Arguments.of("app-store/app3.policy_store.after-cold-init.bin",
            protected_blob_message.parser()),
        Arguments.of("app-store/app3.policy_store.after-get-certified.bin",
            protected_blob_message.parser()),
        Arguments.of("app-store/app3.policy_store.after-cold-init.plain.pb",
            policy_store_message.parser()),
        Arguments.of("app-store/app3.policy_store.after-get-certified.plain.pb",
            policy_store_message.parser()),
        Arguments.of("app-store/app3.after-cold-init.all-certifiers.certifiers_message.pb",
            certifiers_message.parser()),
        Arguments.of("app-store/app3.after-get-certified.all-certifiers.certifiers_message.pb",
            certifiers_message.parser()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void reserializesIdentically(String file, Parser<? extends MessageLite> parser)
      throws MalformedMessageException {
    byte[] bytes = TestVectors.reference(file);
    MessageLite message = Messages.parse(parser, bytes, file);
    assertArrayEquals(bytes, message.toByteArray(), file);
  }

  @Test
  void nestedMessagesOfTheRequestReserializeIdentically() throws MalformedMessageException {
    trust_request_message request = Messages.parse(trust_request_message.parser(),
        TestVectors.reference("wire/trust_request.pb"), "request");
    assertEquals("vse-attestation-package", request.getSubmittedEvidenceType());
    assertEquals("authentication", request.getPurpose());
    assertArrayEquals(TestVectors.reference("wire/evidence_package.pb"),
        request.getSupport().toByteArray());

    evidence claim = request.getSupport().getFactAssertion(0);
    assertEquals("signed-claim", claim.getEvidenceType());
    signed_claim_message endorsement = roundTrip(signed_claim_message.parser(),
        claim.getSerializedEvidence());
    assertArrayEquals(TestVectors.reference("provisioning/platform_attest_endorsement.bin"),
        endorsement.toByteArray());
    claim_message inner = roundTrip(claim_message.parser(),
        endorsement.getSerializedClaimMessage());
    roundTrip(vse_clause.parser(), inner.getSerializedClaim());

    evidence report = request.getSupport().getFactAssertion(1);
    assertEquals("signed-vse-attestation-report", report.getEvidenceType());
    signed_report signed = roundTrip(signed_report.parser(), report.getSerializedEvidence());
    vse_attestation_report_info info = roundTrip(vse_attestation_report_info.parser(),
        signed.getReport());
    assertArrayEquals(TestVectors.reference("provisioning/example_app.measurement"),
        info.getVerifiedMeasurement().toByteArray());
    attestation_user_data userData = roundTrip(attestation_user_data.parser(),
        info.getUserData());
    assertEquals("auth-key", userData.getEnclaveKey().getKeyName());
  }

  @Test
  void policyBlocksAreTheSignedClaimFiles() throws MalformedMessageException {
    buffer_sequence policy = Messages.parse(buffer_sequence.parser(),
        TestVectors.reference("provisioning/policy.bin"), "policy");
    assertEquals(2, policy.getBlockCount());
    assertArrayEquals(TestVectors.reference("provisioning/signed_claim_1.bin"),
        policy.getBlock(0).toByteArray());
    assertArrayEquals(TestVectors.reference("provisioning/signed_claim_2.bin"),
        policy.getBlock(1).toByteArray());
    for (ByteString block : policy.getBlockList()) {
      signed_claim_message claim = roundTrip(signed_claim_message.parser(), block);
      claim_message inner = roundTrip(claim_message.parser(), claim.getSerializedClaimMessage());
      assertEquals("vse-clause", inner.getClaimFormat());
      roundTrip(vse_clause.parser(), inner.getSerializedClaim());
    }
  }

  @Test
  void storeEntriesReserializeIdentically() throws MalformedMessageException {
    policy_store_message store = Messages.parse(policy_store_message.parser(),
        TestVectors.reference("app-store/app3.policy_store.after-get-certified.plain.pb"),
        "store");
    assertEquals(500, store.getMaxEnts());
    boolean sawCertifiers = false;
    for (policy_store_entry entry : store.getEntriesList()) {
      switch (entry.getType()) {
        case "key" -> roundTrip(key_message.parser(), entry.getValue());
        case "certifiers_message" -> {
          sawCertifiers = true;
          assertArrayEquals(TestVectors.reference(
              "app-store/app3.after-get-certified.all-certifiers.certifiers_message.pb"),
              entry.getValue().toByteArray());
        }
        default -> assertEquals("string", entry.getType());
      }
    }
    assertTrue(sawCertifiers);
  }

  @Test
  void garbageIsAClearErrorNotACrash() {
    byte[] garbage = {(byte) 0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f, 1, 2};
    MalformedMessageException e = assertThrows(MalformedMessageException.class,
        () -> Messages.parse(trust_request_message.parser(), garbage, "trust request"));
    assertTrue(e.getMessage().startsWith("trust request: not a valid message"), e.getMessage());
  }

  @Test
  void deeplyNestedClausesAreRefused() {
    vse_clause clause = vse_clause.newBuilder().setVerb("is-trusted").build();
    for (int i = 0; i < 200; i++) {
      clause = vse_clause.newBuilder().setVerb("says").setClause(clause).build();
    }
    byte[] bytes = clause.toByteArray();
    assertThrows(MalformedMessageException.class,
        () -> Messages.parse(vse_clause.parser(), bytes, "clause"));
  }

  private static <T extends MessageLite> T roundTrip(Parser<T> parser, ByteString bytes)
      throws MalformedMessageException {
    T message = Messages.parse(parser, bytes, "nested");
    assertArrayEquals(bytes.toByteArray(), message.toByteArray());
    return message;
  }
}
