package org.certifier.client.enclave;

import java.util.List;
import org.certifier.proto.evidence;

/**
 * The trusted execution environment a program runs in, as the client library needs it: who it
 * is (measurement), how it proves that (attestation plus the platform's own evidence), and how
 * it keeps secrets at rest (sealing). One implementation per platform; the rest of the library
 * is the same everywhere (reference-certifier.md §4.3, §4.4).
 */
public interface Enclave {
  /** The reference's enclave type name, e.g. {@code simulated-enclave}. */
  String enclaveType();

  /** The trust request's {@code submitted_evidence_type} for this platform (§1.5). */
  String submittedEvidenceType();

  /** Evidence sent before the attestation, in the order the service expects (§4.4 step 1). */
  List<evidence> platformEvidence() throws EnclaveException;

  /** Attests {@code whatToSay} (a serialized attestation_user_data); the last evidence item. */
  evidence attest(byte[] whatToSay) throws EnclaveException;

  /** Encrypts data so that only this enclave (same measurement, same platform) can unseal it. */
  byte[] seal(byte[] data) throws EnclaveException;

  /** Reverses {@link #seal}; fails if the blob was sealed elsewhere or altered. */
  byte[] unseal(byte[] sealed) throws EnclaveException;

  /** The program's measurement as the platform reports it. */
  byte[] measurement();
}
