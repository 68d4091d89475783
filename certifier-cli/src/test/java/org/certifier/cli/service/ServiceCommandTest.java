package org.certifier.cli.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.certifier.cli.CommandFailure;
import org.certifier.cli.ExitCodes;
import org.certifier.service.CollateralSettings;
import org.certifier.verifiers.collateral.VendorServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** How the service command turns its lifetime options into the service's configuration. */
class ServiceCommandTest {
  private static final String[] FILES = {"--policy-key-file", "k", "--policy-cert-file", "c",
      "--policy-file", "p"};

  private static ServiceCommand parse(String... options) {
    ServiceCommand command = new ServiceCommand();
    String[] argv = new String[FILES.length + options.length];
    System.arraycopy(FILES, 0, argv, 0, FILES.length);
    System.arraycopy(options, 0, argv, FILES.length, options.length);
    new CommandLine(command).parseArgs(argv);
    return command;
  }

  @Test
  void theLifetimeIsAnIsoDuration() {
    assertEquals(Duration.ofMinutes(10),
        parse("--certificate-lifetime", "PT10M").config().certificateLifetime());
  }

  @Test
  void daysStillWorkAndAYearIsTheDefault() {
    assertEquals(Duration.ofDays(7), parse("--certificate-days", "7").config()
        .certificateLifetime());
    assertEquals(Duration.ofDays(365), parse().config().certificateLifetime());
  }

  @Test
  void bothSpellingsAtOnceOrANonPositiveLifetimeAreUsageErrors() {
    assertEquals(ExitCodes.USAGE, assertThrows(CommandFailure.class,
        () -> parse("--certificate-days", "7", "--certificate-lifetime", "PT1H").config())
        .exitCode());
    assertEquals(ExitCodes.USAGE, assertThrows(CommandFailure.class,
        () -> parse("--certificate-lifetime", "PT0S").config()).exitCode());
  }

  @Test
  void admissionsAreLoggedOnlyWhenAskedFor() {
    java.util.logging.Logger admissions = java.util.logging.Logger.getLogger(
        org.certifier.service.LogProfile.ADMISSIONS_LOGGER);
    parse().configureLogging();
    assertEquals(false, admissions.isLoggable(java.util.logging.Level.INFO));
    assertEquals(true, admissions.isLoggable(java.util.logging.Level.WARNING));
    parse("--log-admissions").configureLogging();
    assertEquals(true, admissions.isLoggable(java.util.logging.Level.INFO));
  }

  @Test
  void noCollateralSourceUnlessOneIsNamed() {
    assertEquals(CollateralSettings.NONE, parse().config().collateral());
  }

  @Test
  void collateralFromABundleAndTheVendors(@TempDir Path bundle) {
    CollateralSettings both = parse("--collateral-dir", bundle.toString(), "--collateral-fetch")
        .config().collateral();
    assertEquals(Optional.of(bundle), both.bundleDirectory());
    assertEquals(Optional.of(VendorServices.Endpoints.PRODUCTION), both.vendorServices());
  }

  @Test
  void anIntelMirrorAlsoServesTheRootCrlUnlessToldOtherwise() {
    VendorServices.Endpoints mirror = parse("--collateral-url-intel", "http://127.0.0.1:8081/")
        .config().collateral().vendorServices().orElseThrow();
    assertEquals(URI.create("http://127.0.0.1:8081/"), mirror.intelPcs());
    assertEquals(URI.create("http://127.0.0.1:8081/IntelSGXRootCA.der"), mirror.intelRootCrl());
    assertEquals(VendorServices.Endpoints.PRODUCTION.amdKds(), mirror.amdKds());
  }

  @Test
  void aMissingBundleOrAUrlThatIsNotHttpIsAUsageError(@TempDir Path dir) {
    assertEquals(ExitCodes.USAGE, assertThrows(CommandFailure.class, () -> parse(
        "--collateral-dir", dir.resolve("missing").toString()).config()).exitCode());
    assertEquals(ExitCodes.USAGE, assertThrows(CommandFailure.class, () -> parse(
        "--collateral-url-intel", "file:///etc/passwd").config()).exitCode());
  }

  @Test
  void aDurationThatIsNotIso8601IsRefusedByTheParser() {
    assertThrows(CommandLine.ParameterException.class,
        () -> parse("--certificate-lifetime", "10 minutes"));
  }
}
