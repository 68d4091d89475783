package org.certifier.verifiers.sevsnp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The embedded AMD certificates are the vectors' KDS bundles, and the pins hold. */
class AmdRootsTest {
  private static final String MILAN_ARK =
      "69d063b45344d26a2e94e1f4210de49ef555308287d4c174445c95639a540bcd";
  private static final String GENOA_ARK =
      "4c6598d19c18719c5dfd4a7d335f674e5bfe1d8f800cea2cf270c10d103db2f1";
  private static final String TURIN_ARK =
      "1f084161a44bb6d93778a904877d4819cafa5d05ef4193b2ded9dd9c73dd3f6a";

  @ParameterizedTest
  @CsvSource({
      "MILAN, ask_ark_milan.pem, ask_ark_milan_vlek.pem",
      "GENOA, ask_ark_genoa.pem, ask_ark_genoa_vlek.pem",
      "TURIN, ask_ark_turin_vcek.pem, ask_ark_turin_vlek.pem"})
  void embeddedCertificatesAreTheKdsBundles(SnpProduct product, String vcekBundle,
      String vlekBundle) throws Exception {
    AmdRoots.ProductRoots roots = AmdRoots.embedded().forProduct(product);
    List<X509Certificate> vcekChain = SnpVectors.chain("roots/" + vcekBundle);
    List<X509Certificate> vlekChain = SnpVectors.chain("roots/" + vlekBundle);

    assertEquals(List.of(roots.ask(), roots.ark()), vcekChain);
    assertEquals(List.of(roots.asvk(), roots.ark()), vlekChain);
    assertEquals(product, roots.product());
  }

  @ParameterizedTest
  @CsvSource({
      "ask_ark_milan.pem, " + MILAN_ARK,
      "ask_ark_milan_vlek.pem, " + MILAN_ARK,
      "ask_ark_genoa.pem, " + GENOA_ARK,
      "ask_ark_genoa_vlek.pem, " + GENOA_ARK,
      "ask_ark_turin_vcek.pem, " + TURIN_ARK,
      "ask_ark_turin_vlek.pem, " + TURIN_ARK})
  void everyVectorArkHasItsPin(String bundle, String sha256) throws Exception {
    X509Certificate ark = SnpVectors.chain("roots/" + bundle).get(1);
    assertEquals(sha256, HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(ark.getEncoded())));
  }

  @Test
  void embeddedRootsAreLoadedOnce() {
    assertSame(AmdRoots.embedded(), AmdRoots.embedded());
  }

  @Test
  void anArkThatIsNotThePinnedOneIsAnUntrustedRoot() throws Exception {
    AmdRoots.ProductRoots milan = AmdRoots.embedded().forProduct(SnpProduct.MILAN);

    assertUntrustedRoot(() -> AmdRoots.pinned(List.of(milan),
        Map.of(SnpProduct.MILAN, GENOA_ARK)));
    assertUntrustedRoot(() -> AmdRoots.pinned(List.of(milan), Map.of()));
    assertEquals(milan, AmdRoots.pinned(List.of(milan), Map.of(SnpProduct.MILAN, MILAN_ARK))
        .forProduct(SnpProduct.MILAN));
  }

  @Test
  void aProductWithoutRootsIsAnUntrustedRoot() throws Exception {
    AmdRoots onlyMilan = AmdRoots.insecureForTesting(
        List.of(AmdRoots.embedded().forProduct(SnpProduct.MILAN)));

    assertUntrustedRoot(() -> onlyMilan.forProduct(SnpProduct.GENOA));
  }

  @Test
  void rootsForOneProductAreGivenOnce() throws Exception {
    AmdRoots.ProductRoots milan = AmdRoots.embedded().forProduct(SnpProduct.MILAN);
    assertThrows(IllegalArgumentException.class,
        () -> AmdRoots.insecureForTesting(List.of(milan, milan)));
  }

  private static void assertUntrustedRoot(Executable action) {
    VerificationException e = assertThrows(VerificationException.class, action);
    assertEquals(Failure.UNTRUSTED_ROOT, e.failure(), e.getMessage());
  }
}
