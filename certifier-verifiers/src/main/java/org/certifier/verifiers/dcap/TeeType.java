package org.certifier.verifiers.dcap;

import java.util.Optional;

/** The TEE_TYPE of a quote header: which kind of report body the quote carries. */
public enum TeeType {
  /** An SGX enclave; the body is an SGX REPORT_BODY. */
  SGX(QuoteLayout.TEE_TYPE_SGX),
  /** A TDX trust domain; the body is a TD report body. */
  TDX(QuoteLayout.TEE_TYPE_TDX);

  private final int fieldValue;

  TeeType(int fieldValue) {
    this.fieldValue = fieldValue;
  }

  /** The value of the TEE_TYPE field. */
  public int fieldValue() {
    return fieldValue;
  }

  static Optional<TeeType> fromFieldValue(long value) {
    for (TeeType t : values()) {
      if (t.fieldValue == value) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
