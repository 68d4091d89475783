package org.certifier.service.store;

/**
 * The store belongs to another security domain. Using it would mix two domains' serial numbers
 * and logs, so the service refuses to start on it.
 */
public final class WrongDomainException extends StoreException {
  private static final long serialVersionUID = 1L;

  public WrongDomainException(String message) {
    super(message);
  }
}
