package org.certifier.cli.service;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.certifier.cli.CommandFailure;
import org.certifier.cli.ExitCodes;
import org.certifier.service.CollateralSettings;
import org.certifier.verifiers.collateral.VendorServices;
import picocli.CommandLine.Option;

/**
 * Where vendor collateral comes from, as {@code certifier service} and {@code certifier verify
 * request} both take it, so the offline answer uses the sources the service would
 * ({@link CollateralSettings}, docs/operations.md "Collateral").
 */
public final class CollateralOptions {
  @Option(names = "--collateral-dir", paramLabel = "DIR",
      description = "A collateral bundle directory (layout in docs/operations.md), asked"
          + " first.")
  Path collateralDir;

  @Option(names = "--collateral-fetch",
      description = "Fetch collateral from the vendors' services (Intel PCS, AMD KDS) through"
          + " a cache; implied by the --collateral-url-* options.")
  boolean collateralFetch;

  @Option(names = "--collateral-url-intel", paramLabel = "URL",
      description = "Intel PCS or a PCCS serving its API v4 (default: "
          + "https://api.trustedservices.intel.com).")
  URI intelPcs;

  @Option(names = "--collateral-url-intel-root-crl", paramLabel = "URL",
      description = "The Intel SGX Root CA's CRL (default: Intel's distribution point, or"
          + " URL/IntelSGXRootCA.der under --collateral-url-intel when that is given).")
  URI intelRootCrl;

  @Option(names = "--collateral-url-amd", paramLabel = "URL",
      description = "AMD KDS or a mirror (default: https://kdsintf.amd.com).")
  URI amdKds;

  /** The collateral sources the options name; a usage error (exit 2) if they are unusable. */
  public CollateralSettings settings() {
    CollateralSettings settings = CollateralSettings.NONE;
    if (collateralDir != null) {
      if (!Files.isDirectory(collateralDir)) {
        throw new CommandFailure(ExitCodes.USAGE, "--collateral-dir " + collateralDir
            + " is not a directory");
      }
      settings = settings.withBundleDirectory(collateralDir);
    }
    if (collateralFetch || intelPcs != null || intelRootCrl != null || amdKds != null) {
      VendorServices.Endpoints production = VendorServices.Endpoints.PRODUCTION;
      URI pcs = intelPcs != null ? intelPcs : production.intelPcs();
      URI rootCrl = intelRootCrl != null ? intelRootCrl : intelPcs != null
          ? URI.create(stripSlash(intelPcs) + "/IntelSGXRootCA.der") : production.intelRootCrl();
      for (URI uri : new URI[] {pcs, rootCrl, amdKds}) {
        if (uri != null && !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
          throw new CommandFailure(ExitCodes.USAGE, "collateral URL " + uri
              + " is not http(s)");
        }
      }
      settings = settings.withVendorServices(new VendorServices.Endpoints(
          amdKds != null ? amdKds : production.amdKds(), pcs, rootCrl));
    }
    return settings;
  }

  private static String stripSlash(URI uri) {
    String text = uri.toString();
    return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
  }
}
