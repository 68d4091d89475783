/**
 * The policy logic of the Certifier (reference spec §3): statements ({@code vse_clause}) about
 * keys, measurements, platforms and environments, their structural equality, platform property
 * satisfaction, the inference rules, proof checking and proof construction. Pure logic: no
 * cryptography, no I/O. Signatures are checked before statements get here; this package decides
 * what follows from statements already established.
 *
 * <p>Entry points: {@link org.certifier.policy.Prover#prove} builds a proof of a goal from the
 * established statements and explains a failure with a {@link org.certifier.evidence.Failure};
 * {@link org.certifier.policy.ProofChecker#check} verifies a proof; {@link
 * org.certifier.policy.Statements} prints everything in the reference's readable style.
 * Deviations from the reference are deliberate fixes (§8.2) and are named where they happen.
 */
package org.certifier.policy;
