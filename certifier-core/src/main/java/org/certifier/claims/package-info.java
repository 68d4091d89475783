/**
 * Answers "who signed which statement, and is it still valid?": signed claims and the signed
 * policy file of a security domain (reference-certifier.md §1.3, §2.4, §4.11).
 */
package org.certifier.claims;
