/**
 * Answers "what does a simulated or application enclave's evidence prove?" for the reference's
 * {@code vse-attestation-package} (reference-certifier.md §3.7.2, §4.7, §4.8).
 */
package org.certifier.verifiers.vse;
