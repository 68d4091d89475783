package org.certifier.verifiers.sevsnp;

import java.util.Objects;
import java.util.Optional;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.verifiers.collateral.CollateralKey;
import org.certifier.verifiers.collateral.CollateralSource;

/**
 * Where {@link SnpVerifier} gets AMD's CRLs: one per product and endorsement key kind, signed by
 * the product's ARK (KDS {@code /vcek/v1/{product}/crl} lists revoked ASKs,
 * {@code /vlek/v1/{product}/crl} revoked ASVKs). An empty answer means revocation is not
 * checked; a source that should have a CRL and cannot get it fails, which fails the
 * verification closed.
 */
@FunctionalInterface
public interface SnpCrls {
  /** No CRLs: revocation is not checked (the verifier's behaviour before CRLs existed). */
  SnpCrls NONE = (product, kind) -> Optional.empty();

  /**
   * The DER CRL covering the intermediate that issues {@code kind} keys of {@code product}, or
   * empty if revocation is not to be checked.
   *
   * @throws VerificationException {@link Failure#COLLATERAL_UNAVAILABLE} if the CRL should be
   *     there and is not
   */
  Optional<byte[]> crl(SnpProduct product, SigningKey kind) throws VerificationException;

  /** One CRL, the caller's, for whatever is verified; a CRL of another product fails. */
  static SnpCrls of(byte[] der) {
    byte[] copy = Objects.requireNonNull(der, "der").clone();
    return (product, kind) -> Optional.of(copy.clone());
  }

  /**
   * The CRLs from a collateral source (evidence, bundle directory or AMD's KDS through a
   * cache): every verification checks revocation, and fails with collateral-unavailable when
   * the source cannot give the CRL.
   */
  static SnpCrls from(CollateralSource source) {
    Objects.requireNonNull(source, "source");
    return (product, kind) -> Optional.of(source.get(new CollateralKey.AmdCrl(product.kdsName(),
        kind == SigningKey.VLEK ? CollateralKey.AmdKeyKind.VLEK : CollateralKey.AmdKeyKind.VCEK))
        .body());
  }
}
