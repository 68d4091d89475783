package org.certifier.verifiers.collateral;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;

/**
 * The collateral that came with the evidence (e.g. the VCEK in an SEV-SNP package, the
 * collateral a TDX client attached): the caller extracts it from the package, and this source
 * hands it out by key. It is as untrusted as the rest of the evidence, which is fine: the
 * verifier checks the vendor's signature on every item.
 */
public final class EvidenceCollateral implements CollateralSource {
  private final Map<CollateralKey, Collateral> items;

  private EvidenceCollateral(Map<CollateralKey, Collateral> items) {
    this.items = Map.copyOf(items);
  }

  /**
   * The given items, at most one per key.
   *
   * @throws IllegalArgumentException if two items have the same key
   */
  public static EvidenceCollateral of(List<Collateral> collateral) {
    Map<CollateralKey, Collateral> byKey = new HashMap<>();
    for (Collateral c : collateral) {
      if (byKey.put(c.key(), c) != null) {
        throw new IllegalArgumentException("two items for " + c.key());
      }
    }
    return new EvidenceCollateral(byKey);
  }

  @Override
  public Collateral get(CollateralKey key) throws VerificationException {
    Collateral c = items.get(key);
    if (c == null) {
      throw new VerificationException(Failure.COLLATERAL_UNAVAILABLE,
          "the evidence does not carry " + key);
    }
    return c;
  }
}
