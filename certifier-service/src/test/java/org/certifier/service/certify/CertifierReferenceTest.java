package org.certifier.service.certify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.certifier.crypto.Certificates;
import org.certifier.crypto.KeyMessages;
import org.certifier.evidence.Failure;
import org.certifier.proto.attestation_user_data;
import org.certifier.proto.signed_report;
import org.certifier.proto.trust_request_message;
import org.certifier.proto.vse_attestation_report_info;
import org.certifier.protocol.Messages;
import org.certifier.service.DomainKeys;
import org.certifier.service.ReferenceDomain;
import org.certifier.testing.TestVectors;
import org.junit.jupiter.api.Test;

/** Our Certifier fed the reference's own provisioning files and captured requests. */
class CertifierReferenceTest {

  @Test
  void capturedRequestIsAdmittedWithTheReferenceProfile() throws Exception {
    DomainKeys keys = ReferenceDomain.keys();
    Certifier certifier = ReferenceDomain.certifier(keys);
    trust_request_message request = ReferenceDomain.request("trust_request.pb");

    Decision decision = certifier.certify(request,
        Optional.of(InetAddress.getByName("127.0.0.1")));

    Decision.Admitted admitted = assertInstanceOf(Decision.Admitted.class, decision,
        decision.toString());
    X509Certificate ours = Certificates.parseDer(admitted.artifact());
    X509Certificate reference = Certificates.parseDer(
        TestVectors.reference("wire/admission_cert.der"));
    ours.verify(keys.certificate().getPublicKey());

    assertArrayEquals(reference.getSubjectX500Principal().getEncoded(),
        ours.getSubjectX500Principal().getEncoded(), "subject O=Measured-..., CN=CertifierUsers");
    assertArrayEquals(reference.getIssuerX500Principal().getEncoded(),
        ours.getIssuerX500Principal().getEncoded(), "issuer = policy certificate subject");
    assertEquals(reference.getSigAlgName(), ours.getSigAlgName());
    assertEquals(reference.getVersion(), ours.getVersion());
    assertEquals(reference.getPublicKey(), ours.getPublicKey(), "certifies the app's auth key");
    assertEquals(reference.getCriticalExtensionOIDs(), ours.getCriticalExtensionOIDs());
    assertEquals(reference.getNonCriticalExtensionOIDs(), ours.getNonCriticalExtensionOIDs());
    for (String oid : List.of("2.5.29.15", "2.5.29.37", "2.5.29.19", "2.5.29.17")) {
      assertArrayEquals(reference.getExtensionValue(oid), ours.getExtensionValue(oid), oid);
    }
    assertEquals(java.time.Duration.ofDays(365), java.time.Duration.between(
        ours.getNotBefore().toInstant(), ours.getNotAfter().toInstant()));
    assertEquals(Optional.of(admitted.serial().orElseThrow()),
        Optional.of(ours.getSerialNumber()));
    assertEquals("Measured-9f2be451d6089d7ae4c72a79b042d993f49de901ddca775c26afd15746fb8154",
        Certificates.subjectAttribute(ours, "O").orElseThrow());
    assertTrue(admitted.proof().contains("is-trusted-for-authentication"), admitted.proof());
  }

  @Test
  void tamperedRequestIsRejectedForItsSignature() throws Exception {
    DomainKeys keys = ReferenceDomain.keys();
    Decision decision = ReferenceDomain.certifier(keys).certify(
        ReferenceDomain.request("trust_request.tampered.pb"), Optional.empty());
    Decision.Rejected rejected = assertInstanceOf(Decision.Rejected.class, decision);
    assertEquals(Failure.BAD_SIGNATURE, rejected.failure(), rejected.reason());
  }

  @Test
  void attestationPurposeYieldsAPlatformRuleSignedByThePolicyKey() throws Exception {
    DomainKeys keys = ReferenceDomain.keys();
    trust_request_message request = ReferenceDomain.request("trust_request.pb")
        .toBuilder().setPurpose("attestation").build();
    Decision.Admitted admitted = assertInstanceOf(Decision.Admitted.class,
        ReferenceDomain.certifier(keys).certify(request, Optional.empty()));
    org.certifier.proto.signed_claim_message rule = Messages.parse(
        org.certifier.proto.signed_claim_message.parser(), admitted.artifact(), "rule");
    org.certifier.proto.vse_clause clause = org.certifier.claims.SignedClaims.verify(rule,
        keys.publicKey(), ReferenceDomain.PINNED);
    assertEquals("is-trusted-for-attestation", clause.getClause().getVerb());
    signed_report report = Messages.parse(signed_report.parser(),
        request.getSupport().getFactAssertion(1).getSerializedEvidence(), "report");
    attestation_user_data ud = Messages.parse(attestation_user_data.parser(),
        Messages.parse(vse_attestation_report_info.parser(), report.getReport(), "info")
            .getUserData(), "ud");
    assertEquals(KeyMessages.toPublicKey(ud.getEnclaveKey()),
        KeyMessages.toPublicKey(clause.getClause().getSubject().getKey()));
  }

  @Test
  void unknownPurposeIsRefused() throws Exception {
    DomainKeys keys = ReferenceDomain.keys();
    trust_request_message request = ReferenceDomain.request("trust_request.pb")
        .toBuilder().setPurpose("key-provision").build();
    Decision.Rejected rejected = assertInstanceOf(Decision.Rejected.class,
        ReferenceDomain.certifier(keys).certify(request, Optional.empty()));
    assertEquals(Failure.WRONG_PURPOSE, rejected.failure());
  }

  @Test
  void unknownEvidenceTypeIsRefused() throws Exception {
    DomainKeys keys = ReferenceDomain.keys();
    trust_request_message request = ReferenceDomain.request("trust_request.pb")
        .toBuilder().setSubmittedEvidenceType("oe-evidence").build();
    Decision.Rejected rejected = assertInstanceOf(Decision.Rejected.class,
        ReferenceDomain.certifier(keys).certify(request, Optional.empty()));
    assertEquals(Failure.UNSUPPORTED_EVIDENCE_TYPE, rejected.failure());
  }
}
