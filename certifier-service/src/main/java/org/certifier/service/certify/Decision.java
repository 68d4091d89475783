package org.certifier.service.certify;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;
import org.certifier.evidence.Failure;

/** The outcome of one certification request. */
public sealed interface Decision {

  /**
   * Admitted: {@code artifact} is the DER admission certificate (purpose authentication) or the
   * serialized platform rule (purpose attestation); {@code certificate} holds what the
   * issuance log keeps of an admission certificate, so it need not be parsed back;
   * {@code policySha256} names the policy the proof was made under
   * ({@link org.certifier.claims.SignedPolicy#sha256()}).
   */
  record Admitted(byte[] artifact, Optional<Certificate> certificate, byte[] measurement,
      String purpose, String proof, String policySha256) implements Decision {

    /** The admission certificate's serial number; empty for a platform rule. */
    public Optional<BigInteger> serial() {
      return certificate.map(Certificate::serial);
    }
  }

  /**
   * The terms of an issued admission certificate as written into it: validity in whole
   * seconds, the subject's SubjectPublicKeyInfo (DER).
   */
  record Certificate(BigInteger serial, Instant notBefore, Instant notAfter,
      byte[] subjectPublicKeyInfo) {}

  /**
   * Refused for {@code failure}; {@code reason} is for the operator's log, not the requester.
   * {@code policySha256} names the policy in force when the request was decided; it is empty
   * for requests refused before any policy was consulted (an unreadable frame).
   */
  record Rejected(Failure failure, String reason, Optional<String> policySha256)
      implements Decision {
    public Rejected(Failure failure, String reason) {
      this(failure, reason, Optional.empty());
    }
  }
}
