package org.certifier.client;

import java.time.Instant;
import java.util.ArrayList;
import org.certifier.client.enclave.Enclave;
import org.certifier.client.enclave.EnclaveException;
import org.certifier.proto.attestation_user_data;
import org.certifier.proto.evidence;
import org.certifier.proto.evidence_package;
import org.certifier.proto.key_message;
import org.certifier.proto.trust_request_message;
import org.certifier.protocol.TimeStrings;

/**
 * Builds the trust request exactly as the reference client does (reference-certifier.md §4.4):
 * the enclave attests "this public key speaks for me", platform evidence first, attestation
 * last, tags {@code requesting-enclave} / {@code providing-enclave}.
 */
public final class TrustRequests {
  private TrustRequests() {}

  /**
   * @param publicKey the public key to be certified (the auth key), with its key name
   * @param purpose {@code authentication} or {@code attestation}
   */
  public static trust_request_message build(Enclave enclave, key_message publicKey,
      String purpose, Instant now) throws EnclaveException {
    attestation_user_data userData = attestation_user_data.newBuilder()
        .setEnclaveType(enclave.enclaveType())
        .setTime(TimeStrings.format(now))
        .setEnclaveKey(publicKey)
        .build();
    ArrayList<evidence> facts = new ArrayList<>(enclave.platformEvidence());
    facts.add(enclave.attest(userData.toByteArray()));
    return trust_request_message.newBuilder()
        .setRequestingEnclaveTag("requesting-enclave")
        .setProvidingEnclaveTag("providing-enclave")
        .setSubmittedEvidenceType(enclave.submittedEvidenceType())
        .setPurpose(purpose)
        .setSupport(evidence_package.newBuilder()
            .setProverType("vse-verifier")
            .setEnclaveType(enclave.enclaveType())
            .addAllFactAssertion(facts))
        .build();
  }
}
