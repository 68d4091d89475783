package org.certifier.verifiers.collateral;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.verifiers.collateral.CollateralKey.AmdCrl;
import org.certifier.verifiers.collateral.CollateralKey.AmdKeyKind;
import org.certifier.verifiers.collateral.CollateralKey.AmdVcek;
import org.certifier.verifiers.collateral.CollateralKey.IntelPckCrl;
import org.certifier.verifiers.collateral.CollateralKey.IntelQeIdentity;
import org.certifier.verifiers.collateral.CollateralKey.IntelRootCrl;
import org.certifier.verifiers.collateral.CollateralKey.IntelTee;
import org.certifier.verifiers.collateral.CollateralKey.PckCa;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundle layout of docs/operations.md, the sources combined, and the evidence source. */
class BundleDirectoryTest {
  private static final String CHAIN = "-----BEGIN CERTIFICATE-----\n...\n";

  @TempDir
  Path root;

  private void write(String relative, String content) throws Exception {
    Path file = root.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.US_ASCII);
  }

  @Test
  void itemsAreReadFromTheDocumentedPaths() throws Exception {
    write("amd/Milan/vcek-crl.der", "crl");
    write("amd/Turin/vcek/1e550a8ee5cf9f4d-bl1-tee1-snp4-ucode82-fmc1.der", "vcek");
    write("intel/qe/tdx.json", "{}");
    write("intel/qe/tdx.chain.pem", CHAIN);
    write("intel/rootcrl.der", "root crl");
    BundleDirectory bundle = new BundleDirectory(root);

    assertArrayEquals(bytes("crl"), bundle.get(new AmdCrl("Milan", AmdKeyKind.VCEK)).body());
    assertArrayEquals(bytes("vcek"), bundle.get(
        new AmdVcek("Turin", "1E550A8EE5CF9F4D", 1, 1, 4, 82, OptionalInt.of(1))).body());
    Collateral qe = bundle.get(new IntelQeIdentity(IntelTee.TDX));
    assertArrayEquals(bytes("{}"), qe.body());
    assertEquals(Optional.of(CHAIN), qe.issuerChainPem());
    assertEquals(Optional.empty(), bundle.get(new IntelRootCrl()).issuerChainPem());
  }

  @Test
  void aMissingFileOrChainIsUnavailable() throws Exception {
    write("intel/pckcrl-platform.der", "crl");
    BundleDirectory bundle = new BundleDirectory(root);

    assertUnavailable(bundle, new AmdCrl("Genoa", AmdKeyKind.VLEK));
    assertUnavailable(bundle, new IntelPckCrl(PckCa.PLATFORM)); // no pckcrl-platform.chain.pem
  }

  @Test
  void aFileOverTheLimitIsUnavailable() throws Exception {
    write("intel/rootcrl.der", "x".repeat(101));
    assertUnavailable(new BundleDirectory(root, 100), new IntelRootCrl());
    assertEquals(100, new BundleDirectory(root, 101).get(new IntelRootCrl()).body().length - 1);
  }

  @Test
  void aDirectoryWhereAFileShouldBeIsUnavailable() throws Exception {
    Files.createDirectories(root.resolve("intel/rootcrl.der"));
    assertUnavailable(new BundleDirectory(root), new IntelRootCrl());
  }

  @Test
  void firstAvailableFallsThroughOnlyOnUnavailable() throws Exception {
    write("intel/rootcrl.der", "from the bundle");
    Collateral carried = new Collateral(new AmdCrl("Milan", AmdKeyKind.VCEK), bytes("carried"),
        Optional.empty());
    CollateralSource sources = CollateralSource.firstAvailable(List.of(
        EvidenceCollateral.of(List.of(carried)), new BundleDirectory(root)));

    assertSame(carried, sources.get(carried.key()));
    assertArrayEquals(bytes("from the bundle"), sources.get(new IntelRootCrl()).body());
    assertUnavailable(sources, new IntelQeIdentity(IntelTee.SGX));

    CollateralSource broken = key -> {
      throw new VerificationException(Failure.INTERNAL_ERROR, "broken");
    };
    VerificationException e = assertThrows(VerificationException.class,
        () -> CollateralSource.firstAvailable(List.of(broken, new BundleDirectory(root)))
            .get(new IntelRootCrl()));
    assertEquals(Failure.INTERNAL_ERROR, e.failure());
  }

  @Test
  void evidenceCollateralHasOnlyWhatCameWithTheEvidence() {
    Collateral carried = new Collateral(new IntelRootCrl(), bytes("crl"), Optional.empty());
    assertThrows(IllegalArgumentException.class,
        () -> EvidenceCollateral.of(List.of(carried, carried)));
    assertUnavailable(EvidenceCollateral.of(List.of(carried)),
        new AmdCrl("Milan", AmdKeyKind.VCEK));
  }

  private static void assertUnavailable(CollateralSource source, CollateralKey key) {
    VerificationException e = assertThrows(VerificationException.class, () -> source.get(key));
    assertEquals(Failure.COLLATERAL_UNAVAILABLE, e.failure());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
