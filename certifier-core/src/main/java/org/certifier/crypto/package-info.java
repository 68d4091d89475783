/**
 * Answers "is this key, signature, ciphertext or certificate what the reference Certifier
 * Framework would produce and accept?": key_message conversion, signatures, the symmetric
 * formats and certificate reading, byte-compatible with the C++/Go reference.
 */
package org.certifier.crypto;
