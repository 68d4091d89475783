package org.certifier.transparency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * For trees of random sizes: every inclusion and every consistency proof verifies, and any
 * single flipped bit in a proof, a root or a leaf, another leaf index, or a proof one hash too
 * long or too short makes it fail. (The tree size alone is not bound by a proof: the signed
 * tree head binds it to the root.)
 */
class MerkleProofsPropertiesTest {

  private static ReferenceTree tree(int size) {
    List<byte[]> data = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      data.add(ByteBuffer.allocate(4).putInt(i * 7919).array());
    }
    return ReferenceTree.ofData(data);
  }

  private static byte[] leaf(int i) {
    return MerkleHash.leaf(ByteBuffer.allocate(4).putInt(i * 7919).array());
  }

  private static byte[] flip(byte[] bytes, int bit) {
    byte[] copy = bytes.clone();
    copy[(bit / 8) % copy.length] ^= (byte) (1 << (bit % 8));
    return copy;
  }

  @Property(tries = 300)
  void everyInclusionProofVerifiesAndAFlippedBitFails(@ForAll @IntRange(min = 1, max = 300) int size,
      @ForAll @IntRange(min = 0, max = 299) int index, @ForAll @IntRange(min = 0, max = 255) int bit)
      throws Exception {
    Assume.that(index < size);
    ReferenceTree tree = tree(size);
    byte[] root = MerkleProofs.root(size, tree);
    InclusionProof proof = MerkleProofs.inclusionProof(index, size, tree);
    proof.verify(leaf(index), root);

    assertFails(LogFailure.NOT_INCLUDED, () -> proof.verify(flip(leaf(index), bit), root));
    assertFails(LogFailure.NOT_INCLUDED, () -> proof.verify(leaf(index), flip(root, bit)));
    List<byte[]> path = proof.path();
    for (int i = 0; i < path.size(); i++) {
      List<byte[]> altered = new ArrayList<>(path);
      altered.set(i, flip(path.get(i), bit));
      assertFails(LogFailure.NOT_INCLUDED,
          () -> new InclusionProof(index, size, altered).verify(leaf(index), root));
    }
    if (size > 1) {
      long otherIndex = (index + 1) % size;
      assertFails(LogFailure.NOT_INCLUDED,
          () -> new InclusionProof(otherIndex, size, path).verify(leaf(index), root));
    }
    List<byte[]> longer = new ArrayList<>(path);
    longer.add(root);
    assertFails(LogFailure.NOT_INCLUDED,
        () -> new InclusionProof(index, size, longer).verify(leaf(index), root));
  }

  @Property(tries = 300)
  void everyConsistencyProofVerifiesAndAFlippedBitFails(
      @ForAll @IntRange(min = 0, max = 300) int oldSize,
      @ForAll @IntRange(min = 0, max = 300) int newSize,
      @ForAll @IntRange(min = 0, max = 255) int bit) throws Exception {
    Assume.that(oldSize <= newSize);
    ReferenceTree tree = tree(newSize);
    byte[] oldRoot = MerkleProofs.root(oldSize, tree);
    byte[] newRoot = MerkleProofs.root(newSize, tree);
    ConsistencyProof proof = MerkleProofs.consistencyProof(oldSize, newSize, tree);
    proof.verify(oldRoot, newRoot);
    assertEquals(proof.path().size(), ConsistencyProof.parse(proof.toText(), "test").path().size());

    if (oldSize == 0) {
      return; // the empty tree is a prefix of every tree: nothing can fail
    }
    assertFails(LogFailure.INCONSISTENT, () -> proof.verify(flip(oldRoot, bit), newRoot));
    assertFails(LogFailure.INCONSISTENT, () -> proof.verify(oldRoot, flip(newRoot, bit)));
    List<byte[]> path = proof.path();
    for (int i = 0; i < path.size(); i++) {
      List<byte[]> altered = new ArrayList<>(path);
      altered.set(i, flip(path.get(i), bit));
      assertFails(LogFailure.INCONSISTENT,
          () -> new ConsistencyProof(oldSize, newSize, altered).verify(oldRoot, newRoot));
    }
    if (oldSize < newSize) {
      List<byte[]> shorter = path.subList(0, path.size() - 1);
      assertFails(LogFailure.INCONSISTENT,
          () -> new ConsistencyProof(oldSize, newSize, shorter).verify(oldRoot, newRoot));
    }
  }

  @Property(tries = 100)
  void aResumedFrontierBuildsTheSameTree(@ForAll @IntRange(min = 0, max = 200) int first,
      @ForAll @IntRange(min = 0, max = 200) int more) {
    ReferenceTree tree = tree(first + more);
    TreeBuilder whole = TreeBuilder.empty();
    for (int i = 0; i < first; i++) {
      whole.append(leaf(i));
    }
    List<byte[]> frontier = TreeBuilder.frontier(first).stream().map(tree::hash).toList();
    TreeBuilder resumed = TreeBuilder.resume(first, frontier);
    for (int i = first; i < first + more; i++) {
      List<TreeBuilder.Node> a = whole.append(leaf(i));
      List<TreeBuilder.Node> b = resumed.append(leaf(i));
      assertEquals(a.size(), b.size());
      for (int j = 0; j < a.size(); j++) {
        assertEquals(a.get(j).subtree(), b.get(j).subtree());
        assertArrayEquals(tree.hash(a.get(j).subtree()), b.get(j).hash(), "reported node");
      }
    }
    assertArrayEquals(tree.mth(0, first + more), resumed.root());
    assertArrayEquals(whole.root(), resumed.root());
  }

  private interface Check {
    void run() throws LogVerificationException;
  }

  private static void assertFails(LogFailure expected, Check check) {
    assertEquals(expected, assertThrows(LogVerificationException.class, check::run).failure());
  }
}
