package org.certifier.verifiers.sevsnp;

import java.util.Optional;

/**
 * Which key signed an attestation report: the SIGNING_KEY field, bits 4:2 of the word at 0x48
 * (ABI spec 56860, ATTESTATION_REPORT structure). Values 2 to 6 are reserved.
 */
public enum SigningKey {
  /** The Versioned Chip Endorsement Key: unique to the chip and its TCB, signed by the ASK. */
  VCEK(0),
  /** The Versioned Loaded Endorsement Key: issued to a cloud provider, signed by the ASVK. */
  VLEK(1),
  /** The firmware did not sign the report. */
  NONE(7);

  private final int fieldValue;

  SigningKey(int fieldValue) {
    this.fieldValue = fieldValue;
  }

  static Optional<SigningKey> fromFieldValue(int value) {
    for (SigningKey k : values()) {
      if (k.fieldValue == value) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
