package org.certifier.service.certify;

import java.math.BigInteger;
import java.util.Optional;
import org.certifier.evidence.Failure;

/** The outcome of one certification request. */
public sealed interface Decision {

  /**
   * Admitted: {@code artifact} is the DER admission certificate (purpose authentication) or the
   * serialized platform rule (purpose attestation).
   */
  record Admitted(byte[] artifact, Optional<BigInteger> serial, byte[] measurement,
      String purpose, String proof) implements Decision {}

  /** Refused for {@code failure}; {@code reason} is for the operator's log, not the requester. */
  record Rejected(Failure failure, String reason) implements Decision {}
}
