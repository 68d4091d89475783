/**
 * Answers "is this entry in the log, and is today's log an extension of yesterday's?": the
 * Merkle tree of RFC 6962 / RFC 9162 (hashes, inclusion and consistency proofs, their
 * generation and verification) and signed tree heads. Pure computation, no I/O: where the
 * hashes come from (a database, a file) is the caller's business.
 */
package org.certifier.transparency;
