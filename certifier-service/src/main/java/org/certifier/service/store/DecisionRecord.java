package org.certifier.service.store;

import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * One certification decision as the audit log keeps it. Only fixed codes, digests and values the
 * service itself produced are kept: never free text from the request, which is untrusted and
 * could be large (the request itself is identified by {@code evidenceSha256}).
 *
 * @param decidedAt when the decision was recorded, kept to the millisecond
 * @param failureCode the failure code of a rejection ({@code Failure#code()}); empty if admitted
 * @param evidenceSha256 SHA-256 of the request bytes as received; empty if none could be read
 * @param requester the client's IP address
 * @param purpose admitted only: {@code authentication} or {@code attestation}
 * @param measurement admitted only: the measurement the admitted key speaks for
 * @param serial admitted with a certificate: its serial number
 * @param artifactSha256 admitted only: SHA-256 of the certificate or platform rule sent back
 * @param policySha256 the policy the decision was made under; empty if none was consulted
 * @param proof admitted only: the checked proof, readable
 */
public record DecisionRecord(Instant decidedAt, Optional<String> failureCode,
    Optional<String> evidenceSha256, Optional<String> requester, Optional<String> purpose,
    Optional<String> measurement, Optional<BigInteger> serial, Optional<String> artifactSha256,
    Optional<String> policySha256, Optional<String> proof) {

  public DecisionRecord {
    decidedAt = decidedAt.truncatedTo(ChronoUnit.MILLIS);
    Objects.requireNonNull(failureCode, "failureCode");
    evidenceSha256.ifPresent(h -> Hex.requireSha256(h, "evidence digest"));
    Objects.requireNonNull(requester, "requester");
    measurement.ifPresent(m -> Hex.require(m, "measurement"));
    serial.ifPresent(Hex::requireSerial);
    artifactSha256.ifPresent(h -> Hex.requireSha256(h, "artifact digest"));
    policySha256.ifPresent(h -> Hex.requireSha256(h, "policy digest"));
    boolean admitted = failureCode.isEmpty();
    if (admitted != (purpose.isPresent() && measurement.isPresent()
        && artifactSha256.isPresent() && proof.isPresent() && policySha256.isPresent())) {
      throw new IllegalArgumentException(admitted
          ? "an admission names purpose, measurement, artifact, policy and proof"
          : "a rejection names no purpose, measurement, artifact or proof");
    }
    if (!admitted && serial.isPresent()) {
      throw new IllegalArgumentException("a rejection has no certificate serial");
    }
  }

  public static DecisionRecord admitted(Instant at, Optional<String> evidenceSha256,
      Optional<String> requester, String purpose, String measurement, Optional<BigInteger> serial,
      String artifactSha256, String policySha256, String proof) {
    return new DecisionRecord(at, Optional.empty(), evidenceSha256, requester,
        Optional.of(purpose), Optional.of(measurement), serial, Optional.of(artifactSha256),
        Optional.of(policySha256), Optional.of(proof));
  }

  public static DecisionRecord rejected(Instant at, String failureCode,
      Optional<String> evidenceSha256, Optional<String> requester,
      Optional<String> policySha256) {
    return new DecisionRecord(at, Optional.of(failureCode), evidenceSha256, requester,
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), policySha256,
        Optional.empty());
  }

  public boolean admitted() {
    return failureCode.isEmpty();
  }
}
