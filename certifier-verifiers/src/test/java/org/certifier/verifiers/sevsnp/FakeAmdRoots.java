package org.certifier.verifiers.sevsnp;

import java.util.List;
import org.certifier.testing.amd.FakeAmdSp;

/**
 * The roots that make a verifier trust a {@link FakeAmdSp}. The fake lives in certifier-testing,
 * which cannot see this module's types, so the bridge is here.
 */
final class FakeAmdRoots {
  private FakeAmdRoots() {}

  static AmdRoots of(FakeAmdSp fake) {
    return AmdRoots.insecureForTesting(List.of(new AmdRoots.ProductRoots(
        SnpProduct.valueOf(fake.product().name()), fake.ark(), fake.ask(), fake.asvk())));
  }
}
