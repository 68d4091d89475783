package org.certifier.transparency;

/**
 * Where the hashes of complete subtrees come from: a database of stored nodes, or leaves in
 * memory. Roots and proofs need only these ({@link MerkleProofs}).
 *
 * @param <E> what the source may fail with (e.g. an I/O error)
 */
@FunctionalInterface
public interface SubtreeHashes<E extends Exception> {
  /** MTH of the leaves of {@code complete}, which {@link Subtree#isComplete() is complete}. */
  byte[] hash(Subtree complete) throws E;
}
