package org.certifier.transparency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Known answers for RFC 6962's hashing and proofs: the 8-leaf test tree and the roots, audit
 * paths and consistency proofs published with it by certificate-transparency-go and
 * transparency-dev/merkle (proof/verify_test.go, testonly/constants.go). A log no other
 * implementation agrees with proves nothing to anyone.
 */
class MerkleVectorTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final List<String> ROOTS = List.of(
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

  private final ReferenceTree tree = ReferenceTree.ofData(ReferenceTree.RFC_LEAVES);

  private record Inclusion(long index, long size, List<String> path) {}

  private record Consistency(long oldSize, long newSize, List<String> path) {}

  // verify_test.go numbers leaves from 1; these are 0-based.
  private static final List<Inclusion> INCLUSION = List.of(
      new Inclusion(0, 8, List.of(
          "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
          "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
          "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
      new Inclusion(5, 8, List.of(
          "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
          "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
      new Inclusion(2, 3, List.of(
          "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")),
      new Inclusion(1, 5, List.of(
          "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
          "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
          "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")),
      new Inclusion(0, 1, List.of()));

  private static final List<Consistency> CONSISTENCY = List.of(
      new Consistency(1, 1, List.of()),
      new Consistency(1, 8, List.of(
          "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
          "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
          "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
      new Consistency(6, 8, List.of(
          "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
          "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
      new Consistency(2, 5, List.of(
          "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
          "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")),
      new Consistency(6, 7, List.of(
          "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
          "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")));

  @Test
  void theRootOfEveryPrefixIsTheOnePublished() {
    TreeBuilder builder = TreeBuilder.empty();
    assertEquals(ROOTS.get(0), HEX.formatHex(builder.root()));
    for (int n = 1; n <= 8; n++) {
      builder.append(MerkleHash.leaf(ReferenceTree.RFC_LEAVES.get(n - 1)));
      assertEquals(ROOTS.get(n), HEX.formatHex(builder.root()), "frontier, size " + n);
      assertEquals(ROOTS.get(n), HEX.formatHex(MerkleProofs.root(n, tree)), "nodes, size " + n);
    }
  }

  @Test
  void theLeafAndNodeHashesAreThoseOfRfc6962() {
    assertEquals("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        HEX.formatHex(MerkleHash.leaf(new byte[0])));
    assertEquals("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        HEX.formatHex(MerkleHash.node(MerkleHash.leaf(new byte[0]),
            MerkleHash.leaf(new byte[] {0}))));
  }

  @Test
  void theAuditPathsAreThePublishedOnesAndVerify() throws Exception {
    for (Inclusion v : INCLUSION) {
      InclusionProof proof = MerkleProofs.inclusionProof(v.index(), v.size(), tree);
      assertEquals(v.path(), proof.path().stream().map(HEX::formatHex).toList(),
          "leaf " + v.index() + " of " + v.size());
      proof.verify(MerkleHash.leaf(ReferenceTree.RFC_LEAVES.get((int) v.index())),
          HEX.parseHex(ROOTS.get((int) v.size())));
    }
  }

  @Test
  void theConsistencyProofsAreThePublishedOnesAndVerify() throws Exception {
    for (Consistency v : CONSISTENCY) {
      ConsistencyProof proof = MerkleProofs.consistencyProof(v.oldSize(), v.newSize(), tree);
      assertEquals(v.path(), proof.path().stream().map(HEX::formatHex).toList(),
          v.oldSize() + " to " + v.newSize());
      proof.verify(HEX.parseHex(ROOTS.get((int) v.oldSize())),
          HEX.parseHex(ROOTS.get((int) v.newSize())));
    }
  }

  @Test
  void theTrivialConsistencyProofsOfRfc9162() throws Exception {
    byte[] a = HEX.parseHex(ROOTS.get(3));
    byte[] b = HEX.parseHex(ROOTS.get(5));
    new ConsistencyProof(0, 0, List.of()).verify(a, a);
    new ConsistencyProof(0, 5, List.of()).verify(a, b);
    new ConsistencyProof(3, 3, List.of()).verify(a, a);
    assertEquals(LogFailure.INCONSISTENT, assertThrows(LogVerificationException.class,
        () -> new ConsistencyProof(3, 3, List.of()).verify(a, b)).failure());
    assertEquals(LogFailure.INCONSISTENT, assertThrows(LogVerificationException.class,
        () -> new ConsistencyProof(3, 3, List.of(a)).verify(a, a)).failure());
    assertEquals(LogFailure.INCONSISTENT, assertThrows(LogVerificationException.class,
        () -> new ConsistencyProof(1, 2, List.of()).verify(a, b)).failure());
    assertThrows(IllegalArgumentException.class, () -> new ConsistencyProof(2, 1, List.of()));
  }

  @Test
  void theNodesAFrontierReportsAreTheTreesCompleteSubtrees() {
    // testonly/constants.go, NodeHashes(): level 1 and 2 of the 8-leaf tree.
    List<String> level1 = List.of(
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0");
    List<String> level2 = List.of(
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
    TreeBuilder builder = TreeBuilder.empty();
    int nodes = 0;
    for (byte[] leaf : ReferenceTree.RFC_LEAVES) {
      for (TreeBuilder.Node node : builder.append(MerkleHash.leaf(leaf))) {
        nodes++;
        Subtree s = node.subtree();
        String expected = switch (s.level()) {
          case 0 -> HEX.formatHex(MerkleHash.leaf(ReferenceTree.RFC_LEAVES.get((int) s.index())));
          case 1 -> level1.get((int) s.index());
          case 2 -> level2.get((int) s.index());
          default -> ROOTS.get(8);
        };
        assertEquals(expected, HEX.formatHex(node.hash()), s.toString());
      }
    }
    assertEquals(15, nodes, "8 leaves, 4 + 2 + 1 parents");
    assertArrayEquals(HEX.parseHex(ROOTS.get(8)), builder.root());
  }
}
