package org.certifier.service.store;

import java.util.Optional;

/**
 * An audit row exactly as the database holds it, for an auditor: its sequence number, the leaf
 * hash stored with it, and the entry its columns form, or why they form none. Unlike
 * {@link ServiceStore#auditLog}, nothing is checked: an altered row is reported, not refused.
 */
public record AuditRow(long seq, String storedLeafHash, Optional<AuditEntry> entry,
    Optional<String> defect) {
  public AuditRow {
    if (entry.isPresent() == defect.isPresent()) {
      throw new IllegalArgumentException("a row forms an entry or has a defect, not both");
    }
  }
}
