package org.certifier.client.enclave;

/** The enclave could not attest, seal or unseal; the message says which and why. */
public final class EnclaveException extends Exception {
  private static final long serialVersionUID = 1L;

  public EnclaveException(String message) {
    super(message);
  }

  public EnclaveException(String message, Throwable cause) {
    super(message, cause);
  }
}
