package org.certifier.verifiers.collateral;

import java.util.List;
import java.util.Objects;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;

/**
 * Where a verifier gets collateral: {@link EvidenceCollateral} (what came with the evidence),
 * {@link BundleDirectory} (files an operator put on disk), {@link CollateralCache} (the vendor's
 * service, through a cache), or several of them in order with {@link #firstAvailable}.
 *
 * <p>A source only delivers bytes; it vouches for nothing, since every item is signed by its
 * vendor and the verifier checks that signature. A source that cannot deliver an item fails
 * with {@link Failure#COLLATERAL_UNAVAILABLE}, and a verifier that needs the item fails closed
 * with it.
 */
@FunctionalInterface
public interface CollateralSource {
  /**
   * The item named by {@code key}.
   *
   * @throws VerificationException {@link Failure#COLLATERAL_UNAVAILABLE} if this source does
   *     not have it or cannot get it
   */
  Collateral get(CollateralKey key) throws VerificationException;

  /**
   * Asks each source in turn and returns the first item found; only
   * {@link Failure#COLLATERAL_UNAVAILABLE} moves on to the next source, any other failure is
   * final. If none has the item, the failure names what each source said.
   */
  static CollateralSource firstAvailable(List<CollateralSource> sources) {
    List<CollateralSource> ordered = List.copyOf(sources);
    if (ordered.isEmpty()) {
      throw new IllegalArgumentException("at least one source");
    }
    return key -> {
      Objects.requireNonNull(key, "key");
      StringBuilder reasons = new StringBuilder();
      for (CollateralSource source : ordered) {
        try {
          return source.get(key);
        } catch (VerificationException e) {
          if (e.failure() != Failure.COLLATERAL_UNAVAILABLE) {
            throw e;
          }
          reasons.append(reasons.isEmpty() ? "" : "; ").append(e.getMessage());
        }
      }
      throw new VerificationException(Failure.COLLATERAL_UNAVAILABLE,
          "no source has " + key + ": " + reasons);
    };
  }
}
