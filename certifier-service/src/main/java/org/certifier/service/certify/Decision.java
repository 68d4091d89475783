package org.certifier.service.certify;

import java.math.BigInteger;
import java.util.Optional;
import org.certifier.evidence.Failure;

/** The outcome of one certification request. */
public sealed interface Decision {

  /**
   * Admitted: {@code artifact} is the DER admission certificate (purpose authentication) or the
   * serialized platform rule (purpose attestation); {@code policySha256} names the policy the
   * proof was made under ({@link org.certifier.claims.SignedPolicy#sha256()}).
   */
  record Admitted(byte[] artifact, Optional<BigInteger> serial, byte[] measurement,
      String purpose, String proof, String policySha256) implements Decision {}

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
