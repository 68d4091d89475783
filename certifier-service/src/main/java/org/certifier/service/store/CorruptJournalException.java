package org.certifier.service.store;

/**
 * The embedded store's journal and database disagree, or the journal is damaged where the
 * database cannot vouch for what it held: going on could lose records whose answers were sent,
 * so the store refuses to open (docs/operations.md, "The journal").
 */
public final class CorruptJournalException extends StoreException {
  private static final long serialVersionUID = 1L;

  public CorruptJournalException(String message) {
    super(message);
  }
}
