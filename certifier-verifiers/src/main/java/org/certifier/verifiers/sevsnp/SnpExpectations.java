package org.certifier.verifiers.sevsnp;

import static org.certifier.verifiers.sevsnp.SnpLayout.HOST_DATA_SIZE;
import static org.certifier.verifiers.sevsnp.SnpLayout.MEASUREMENT_SIZE;
import static org.certifier.verifiers.sevsnp.SnpLayout.REPORT_DATA_SIZE;

import com.google.protobuf.ByteString;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;

/**
 * Answers one question: do we accept what a verified SEV-SNP report says? Each field is one
 * requirement on {@link SnpClaims}; unset fields are not checked, except that debugging and
 * VLEK-signed reports are refused unless explicitly allowed. Byte values must have their exact
 * ABI length; nothing is padded or cut.
 *
 * <p>{@link #check} reports the first unmet requirement: {@link Failure#REPORT_DATA_MISMATCH}
 * for REPORT_DATA or HOST_DATA, {@link Failure#UNKNOWN_MEASUREMENT} for the measurement,
 * {@link Failure#UNTRUSTED_SIGNER} for a VLEK that is not allowed, and
 * {@link Failure#PLATFORM_PROPERTY_MISMATCH} for everything about the platform and the policy.
 *
 * @param reportData if present, REPORT_DATA must equal it (64 bytes), e.g. the hash of the
 *     enclave key and nonce the report is meant to bind
 * @param hostData if present, HOST_DATA must equal it (32 bytes), e.g. a configuration hash
 * @param measurements if not empty, MEASUREMENT must be one of these (48 bytes each); empty
 *     means any measurement (for callers that decide trust in measurements elsewhere, as the
 *     reference's policy statements do)
 * @param minimumTcb each present component is a lower bound for the same component of
 *     REPORTED_TCB, the TCB AMD's certificate vouches for; see {@link MinimumTcb}
 * @param debugAllowed whether a guest policy that allows debugging is accepted; false by
 *     default, because the host can read and change such a guest's memory
 * @param smtAllowed if present, the policy's SMT bit must have this value
 * @param migrateMaAllowed if present, the policy's MIGRATE_MA bit must have this value
 * @param singleSocket if present, the policy's SINGLE_SOCKET bit must have this value
 * @param minimumAbi if present, the policy's ABI_MAJOR.ABI_MINOR must be at least this
 * @param maximumVmpl if present, the report's VMPL must be at most this (0 is the most
 *     privileged level)
 * @param minimumGuestSvn if present, GUEST_SVN must be at least this
 * @param products if not empty, the product line must be one of these
 * @param vlekAllowed whether reports signed by a cloud provider's VLEK are accepted; false by
 *     default, because a VLEK vouches for some chip of the provider, not for one chip
 */
public record SnpExpectations(
    Optional<ByteString> reportData,
    Optional<ByteString> hostData,
    Set<ByteString> measurements,
    MinimumTcb minimumTcb,
    boolean debugAllowed,
    Optional<Boolean> smtAllowed,
    Optional<Boolean> migrateMaAllowed,
    Optional<Boolean> singleSocket,
    Optional<AbiVersion> minimumAbi,
    OptionalLong maximumVmpl,
    OptionalLong minimumGuestSvn,
    Set<SnpProduct> products,
    boolean vlekAllowed) {

  /**
   * Lower bounds for the components of REPORTED_TCB; an absent component is not checked. A
   * minimum FMC SPL refuses Milan and Genoa, which have no FMC.
   */
  public record MinimumTcb(
      OptionalInt bootloader,
      OptionalInt tee,
      OptionalInt snp,
      OptionalInt microcode,
      OptionalInt fmc) {
    public MinimumTcb {
      checkSpl("bootloader", bootloader);
      checkSpl("tee", tee);
      checkSpl("snp", snp);
      checkSpl("microcode", microcode);
      checkSpl("fmc", fmc);
    }

    private static void checkSpl(String name, OptionalInt spl) {
      Objects.requireNonNull(spl, name);
      if (spl.isPresent() && (spl.getAsInt() < 0 || spl.getAsInt() > 0xff)) {
        throw new IllegalArgumentException("minimum " + name + " SPL is not a byte");
      }
    }
  }

  /** An SNP ABI version, ordered by major, then minor. */
  public record AbiVersion(int major, int minor) implements Comparable<AbiVersion> {
    public AbiVersion {
      if ((major | minor) >>> 8 != 0) {
        throw new IllegalArgumentException("ABI versions are bytes");
      }
    }

    @Override
    public int compareTo(AbiVersion other) {
      return major != other.major ? Integer.compare(major, other.major)
          : Integer.compare(minor, other.minor);
    }

    @Override
    public String toString() {
      return major + "." + minor;
    }
  }

  public SnpExpectations {
    Objects.requireNonNull(reportData, "reportData");
    reportData.ifPresent(d -> SnpLayout.checkSize("reportData", d, REPORT_DATA_SIZE));
    Objects.requireNonNull(hostData, "hostData");
    hostData.ifPresent(d -> SnpLayout.checkSize("hostData", d, HOST_DATA_SIZE));
    measurements = Set.copyOf(measurements);
    measurements.forEach(m -> SnpLayout.checkSize("measurement", m, MEASUREMENT_SIZE));
    Objects.requireNonNull(minimumTcb, "minimumTcb");
    Objects.requireNonNull(smtAllowed, "smtAllowed");
    Objects.requireNonNull(migrateMaAllowed, "migrateMaAllowed");
    Objects.requireNonNull(singleSocket, "singleSocket");
    Objects.requireNonNull(minimumAbi, "minimumAbi");
    Objects.requireNonNull(maximumVmpl, "maximumVmpl");
    Objects.requireNonNull(minimumGuestSvn, "minimumGuestSvn");
    if (maximumVmpl.orElse(0) < 0 || minimumGuestSvn.orElse(0) < 0) {
      throw new IllegalArgumentException("VMPL and guest SVN are unsigned");
    }
    products = Set.copyOf(products);
  }

  /** A builder that starts from "debugging and VLEKs refused, nothing else checked". */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Checks the claims against every requirement.
   *
   * @throws VerificationException with the first requirement the claims do not meet
   */
  public void check(SnpClaims claims) throws VerificationException {
    Objects.requireNonNull(claims, "claims");
    if (reportData.isPresent() && !reportData.get().equals(claims.reportData())) {
      throw new VerificationException(Failure.REPORT_DATA_MISMATCH,
          "SNP REPORT_DATA " + hex(claims.reportData()) + " is not the expected "
              + hex(reportData.get()));
    }
    if (hostData.isPresent() && !hostData.get().equals(claims.hostData())) {
      throw new VerificationException(Failure.REPORT_DATA_MISMATCH,
          "SNP HOST_DATA " + hex(claims.hostData()) + " is not the expected "
              + hex(hostData.get()));
    }
    if (!measurements.isEmpty() && !measurements.contains(claims.measurement())) {
      throw new VerificationException(Failure.UNKNOWN_MEASUREMENT,
          "SNP measurement " + hex(claims.measurement()) + " is not an allowed one");
    }
    if (claims.signingKey() == SigningKey.VLEK && !vlekAllowed) {
      throw new VerificationException(Failure.UNTRUSTED_SIGNER,
          "the report is signed by a VLEK but the policy accepts VCEK-signed reports only");
    }
    if (!products.isEmpty() && !products.contains(claims.product())) {
      throw mismatch("SNP product " + claims.product().kdsName() + " is not an allowed one");
    }
    checkPolicy(claims.policy());
    if (maximumVmpl.isPresent() && claims.vmpl() > maximumVmpl.getAsLong()) {
      throw mismatch("SNP VMPL " + claims.vmpl() + " > " + maximumVmpl.getAsLong()
          + " allowed");
    }
    if (minimumGuestSvn.isPresent() && claims.guestSvn() < minimumGuestSvn.getAsLong()) {
      throw mismatch("SNP guest SVN " + claims.guestSvn() + " < "
          + minimumGuestSvn.getAsLong() + " required");
    }
    checkTcb(claims.reportedTcb());
  }

  private void checkPolicy(GuestPolicy policy) throws VerificationException {
    if (policy.debugAllowed() && !debugAllowed) {
      throw new VerificationException(Failure.DEBUG_NOT_ALLOWED,
          "debug allowed by guest policy but the policy forbids debug");
    }
    checkBit("SMT", smtAllowed, policy.smtAllowed());
    checkBit("migration agent", migrateMaAllowed, policy.migrateMaAllowed());
    checkBit("single socket", singleSocket, policy.singleSocket());
    if (minimumAbi.isPresent()) {
      AbiVersion abi = new AbiVersion(policy.abiMajor(), policy.abiMinor());
      if (abi.compareTo(minimumAbi.get()) < 0) {
        throw mismatch("SNP guest policy ABI " + abi + " < " + minimumAbi.get() + " required");
      }
    }
  }

  private static void checkBit(String name, Optional<Boolean> expected, boolean actual)
      throws VerificationException {
    if (expected.isPresent() && expected.get() != actual) {
      throw mismatch(name + (actual ? " allowed" : " not allowed") + " by guest policy but the"
          + " policy " + (expected.get() ? "requires it" : "forbids it"));
    }
  }

  private void checkTcb(TcbVersion tcb) throws VerificationException {
    checkSpl("bootloader", tcb.bootloader(), minimumTcb.bootloader());
    checkSpl("tee", tcb.tee(), minimumTcb.tee());
    checkSpl("snp", tcb.snp(), minimumTcb.snp());
    checkSpl("microcode", tcb.microcode(), minimumTcb.microcode());
    if (minimumTcb.fmc().isPresent()) {
      if (tcb.fmc().isEmpty()) {
        throw mismatch("SNP TCB has no FMC but FMC " + minimumTcb.fmc().getAsInt()
            + " is required");
      }
      checkSpl("fmc", tcb.fmc().getAsInt(), minimumTcb.fmc());
    }
  }

  private static void checkSpl(String name, int actual, OptionalInt minimum)
      throws VerificationException {
    if (minimum.isPresent() && actual < minimum.getAsInt()) {
      throw mismatch("SNP TCB " + name + " " + actual + " < " + minimum.getAsInt()
          + " required");
    }
  }

  private static String hex(ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }

  private static VerificationException mismatch(String detail) {
    return new VerificationException(Failure.PLATFORM_PROPERTY_MISMATCH, detail);
  }

  /** Collects requirements; see the record components for their meaning. */
  public static final class Builder {
    private Optional<ByteString> reportData = Optional.empty();
    private Optional<ByteString> hostData = Optional.empty();
    private final Set<ByteString> measurements = new LinkedHashSet<>();
    private OptionalInt minBootloader = OptionalInt.empty();
    private OptionalInt minTee = OptionalInt.empty();
    private OptionalInt minSnp = OptionalInt.empty();
    private OptionalInt minMicrocode = OptionalInt.empty();
    private OptionalInt minFmc = OptionalInt.empty();
    private boolean debugAllowed;
    private Optional<Boolean> smtAllowed = Optional.empty();
    private Optional<Boolean> migrateMaAllowed = Optional.empty();
    private Optional<Boolean> singleSocket = Optional.empty();
    private Optional<AbiVersion> minimumAbi = Optional.empty();
    private OptionalLong maximumVmpl = OptionalLong.empty();
    private OptionalLong minimumGuestSvn = OptionalLong.empty();
    private final Set<SnpProduct> products = EnumSet.noneOf(SnpProduct.class);
    private boolean vlekAllowed;

    private Builder() {}

    /** REPORT_DATA must equal these 64 bytes. */
    public Builder reportData(byte[] expected) {
      reportData = Optional.of(sized("reportData", expected, REPORT_DATA_SIZE));
      return this;
    }

    /** HOST_DATA must equal these 32 bytes. */
    public Builder hostData(byte[] expected) {
      hostData = Optional.of(sized("hostData", expected, HOST_DATA_SIZE));
      return this;
    }

    /** Adds an allowed 48-byte measurement. */
    public Builder allowMeasurement(byte[] measurement) {
      measurements.add(sized("measurement", measurement, MEASUREMENT_SIZE));
      return this;
    }

    public Builder minimumBootloader(int spl) {
      minBootloader = OptionalInt.of(spl);
      return this;
    }

    public Builder minimumTee(int spl) {
      minTee = OptionalInt.of(spl);
      return this;
    }

    public Builder minimumSnp(int spl) {
      minSnp = OptionalInt.of(spl);
      return this;
    }

    public Builder minimumMicrocode(int spl) {
      minMicrocode = OptionalInt.of(spl);
      return this;
    }

    /** Requires an FMC SPL of at least this, which only Turin and later have. */
    public Builder minimumFmc(int spl) {
      minFmc = OptionalInt.of(spl);
      return this;
    }

    /** Accepts guests whose policy allows debugging: only for development. */
    public Builder allowDebug() {
      debugAllowed = true;
      return this;
    }

    public Builder smtAllowed(boolean allowed) {
      smtAllowed = Optional.of(allowed);
      return this;
    }

    public Builder migrateMaAllowed(boolean allowed) {
      migrateMaAllowed = Optional.of(allowed);
      return this;
    }

    public Builder singleSocket(boolean required) {
      singleSocket = Optional.of(required);
      return this;
    }

    public Builder minimumAbi(int major, int minor) {
      minimumAbi = Optional.of(new AbiVersion(major, minor));
      return this;
    }

    public Builder maximumVmpl(long vmpl) {
      maximumVmpl = OptionalLong.of(vmpl);
      return this;
    }

    public Builder minimumGuestSvn(long svn) {
      minimumGuestSvn = OptionalLong.of(svn);
      return this;
    }

    /** Restricts the product lines; calling it again adds to the allowed set. */
    public Builder products(Collection<SnpProduct> allowed) {
      products.addAll(allowed);
      return this;
    }

    /** Accepts reports signed by a cloud provider's VLEK as well. */
    public Builder allowVlek() {
      vlekAllowed = true;
      return this;
    }

    /**
     * @throws IllegalArgumentException if a value is out of range
     */
    public SnpExpectations build() {
      return new SnpExpectations(reportData, hostData, measurements,
          new MinimumTcb(minBootloader, minTee, minSnp, minMicrocode, minFmc), debugAllowed,
          smtAllowed, migrateMaAllowed, singleSocket, minimumAbi, maximumVmpl, minimumGuestSvn,
          products, vlekAllowed);
    }

    private static ByteString sized(String name, byte[] value, int size) {
      ByteString copy = ByteString.copyFrom(value);
      SnpLayout.checkSize(name, copy, size);
      return copy;
    }
  }
}
