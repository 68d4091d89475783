/**
 * Answers "can anyone prove what the service decided, and that the record was not changed?":
 * the Merkle tree over the audit log with signed tree heads, inclusion and consistency proofs
 * ({@link org.certifier.service.audit.AuditLog}), the files an auditor keeps, and their offline
 * verification ({@link org.certifier.service.audit.AuditVerifier}).
 */
package org.certifier.service.audit;
