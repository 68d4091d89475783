package org.certifier.service.store;

/**
 * A policy version was offered that is not above the newest one ever published: publishing it
 * would let an old policy (perhaps one that still trusted a withdrawn program) come back.
 */
public final class PolicyRollbackException extends StoreException {
  private static final long serialVersionUID = 1L;
  private final long newest;

  public PolicyRollbackException(long offered, long newest) {
    super("policy version " + offered + " refused: version " + newest
        + " is already published, and versions only go up");
    this.newest = newest;
  }

  /** The newest version published so far. */
  public long newest() {
    return newest;
  }
}
