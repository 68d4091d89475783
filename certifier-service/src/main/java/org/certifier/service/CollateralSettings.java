package org.certifier.service;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.verifiers.collateral.BundleDirectory;
import org.certifier.verifiers.collateral.CollateralCache;
import org.certifier.verifiers.collateral.CollateralSource;
import org.certifier.verifiers.collateral.VendorServices;

/**
 * Where the service's TEE verifiers get vendor collateral (docs/operations.md, "Collateral"):
 * a bundle directory an operator fills ({@link BundleDirectory}), the vendors' services through
 * a cache ({@link VendorServices}, {@link CollateralCache}), or both, the directory first. No
 * source at all is allowed: Intel evidence then fails closed with
 * {@link Failure#COLLATERAL_UNAVAILABLE}, and AMD's CRLs are not checked.
 *
 * @param bundleDirectory a collateral bundle directory, if any
 * @param vendorServices the vendors' services to fetch from, if fetching is enabled
 */
public record CollateralSettings(Optional<Path> bundleDirectory,
    Optional<VendorServices.Endpoints> vendorServices) {
  /** No collateral source. */
  public static final CollateralSettings NONE =
      new CollateralSettings(Optional.empty(), Optional.empty());

  /** The source of a service without collateral: every item is unavailable, saying why. */
  static final CollateralSource UNCONFIGURED = key -> {
    throw new VerificationException(Failure.COLLATERAL_UNAVAILABLE, "the service has no"
        + " collateral source for " + key + ": start it with --collateral-dir or"
        + " --collateral-fetch (docs/operations.md)");
  };

  public CollateralSettings {
    Objects.requireNonNull(bundleDirectory, "bundleDirectory");
    Objects.requireNonNull(vendorServices, "vendorServices");
  }

  /** Collateral from the bundle at {@code dir} (and the vendors, if already set). */
  public CollateralSettings withBundleDirectory(Path dir) {
    return new CollateralSettings(Optional.of(dir), vendorServices);
  }

  /** Collateral fetched from {@code endpoints} (after the bundle directory, if set). */
  public CollateralSettings withVendorServices(VendorServices.Endpoints endpoints) {
    return new CollateralSettings(bundleDirectory, Optional.of(endpoints));
  }

  /**
   * The source these settings describe, or empty for none. Fetched items are cached with
   * {@link CollateralCache.Settings#DEFAULT} (maximum age, de-duplication, back-off on 429),
   * timed by {@code clock}.
   */
  public Optional<CollateralSource> source(Clock clock) {
    List<CollateralSource> sources = new ArrayList<>();
    bundleDirectory.ifPresent(dir -> sources.add(new BundleDirectory(dir)));
    vendorServices.ifPresent(endpoints -> sources.add(new CollateralCache(
        new VendorServices(endpoints, VendorServices.Limits.DEFAULT),
        CollateralCache.Settings.DEFAULT, clock, CollateralCache.Sleeper.REAL)));
    return switch (sources.size()) {
      case 0 -> Optional.empty();
      case 1 -> Optional.of(sources.get(0));
      default -> Optional.of(CollateralSource.firstAvailable(sources));
    };
  }
}
