package org.certifier.verifiers.collateral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.OptionalInt;
import org.certifier.verifiers.collateral.CollateralKey.AmdCrl;
import org.certifier.verifiers.collateral.CollateralKey.AmdKeyKind;
import org.certifier.verifiers.collateral.CollateralKey.AmdVcek;
import org.certifier.verifiers.collateral.CollateralKey.IntelTcbInfo;
import org.certifier.verifiers.collateral.CollateralKey.IntelTee;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keys are what file names and URLs are built from, so no component may carry a path or a
 * query; and two spellings of one item are one key.
 */
class CollateralKeyTest {
  @ParameterizedTest
  @ValueSource(strings = {"../Milan", "Milan/..", "..", "Milan/../../etc", "milan", "Mi lan",
      "Milan%2F", "Milan?x", ""})
  void aProductThatIsNotOneWordIsRefused(String product) {
    assertThrows(IllegalArgumentException.class, () -> new AmdCrl(product, AmdKeyKind.VCEK));
  }

  @ParameterizedTest
  @ValueSource(strings = {"../../../../etc/pass", "00906ED5000/", "00906ED5000.", "00906ED500",
      "00906ED50000&x=1", "00906ED5000G"})
  void anFmspcThatIsNotSixBytesOfHexIsRefused(String fmspc) {
    assertThrows(IllegalArgumentException.class, () -> new IntelTcbInfo(IntelTee.SGX, fmspc));
  }

  @Test
  void aHwIdMustBeEightOrSixtyFourBytesOfHexAndSplsBytes() {
    assertThrows(IllegalArgumentException.class,
        () -> new AmdVcek("Turin", "../../1e550a8ee5", 1, 1, 1, 1, OptionalInt.of(1)));
    assertThrows(IllegalArgumentException.class,
        () -> new AmdVcek("Turin", "1e550a8ee5cf9f", 1, 1, 1, 1, OptionalInt.of(1)));
    assertThrows(IllegalArgumentException.class,
        () -> new AmdVcek("Turin", "1e550a8ee5cf9f4d", 256, 1, 1, 1, OptionalInt.of(1)));
    assertThrows(IllegalArgumentException.class,
        () -> new AmdVcek("Turin", "1e550a8ee5cf9f4d", 1, 1, 1, 1, OptionalInt.of(-1)));
  }

  @Test
  void hexIsNormalisedSoOneItemIsOneKey() {
    assertEquals(new IntelTcbInfo(IntelTee.SGX, "00906ed50000"),
        new IntelTcbInfo(IntelTee.SGX, "00906ED50000"));
    assertEquals(new AmdVcek("Turin", "1E550A8EE5CF9F4D", 1, 2, 3, 4, OptionalInt.of(5)),
        new AmdVcek("Turin", "1e550a8ee5cf9f4d", 1, 2, 3, 4, OptionalInt.of(5)));
  }

  @Test
  void bundlePathsFollowTheDocumentedLayout() {
    assertEquals("amd/Turin/vcek/1e550a8ee5cf9f4d-bl1-tee2-snp3-ucode4-fmc5.der",
        new AmdVcek("Turin", "1E550A8EE5CF9F4D", 1, 2, 3, 4, OptionalInt.of(5)).bundlePath());
    assertEquals("amd/Milan/vlek-crl.der", new AmdCrl("Milan", AmdKeyKind.VLEK).bundlePath());
    IntelTcbInfo tcb = new IntelTcbInfo(IntelTee.TDX, "00806f050000");
    assertEquals("intel/tcb/tdx-00806F050000.json", tcb.bundlePath());
    assertEquals("intel/tcb/tdx-00806F050000.chain.pem", tcb.issuerChainPath());
  }
}
