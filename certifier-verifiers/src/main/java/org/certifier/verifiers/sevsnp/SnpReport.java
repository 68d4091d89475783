package org.certifier.verifiers.sevsnp;

import static org.certifier.verifiers.sevsnp.SnpLayout.*;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;

/**
 * An SEV-SNP ATTESTATION_REPORT as its bytes lay it out (ABI spec 56860, §7.3), field names
 * after the spec. Parsing decides nothing about trust: a parsed report may be forged. Use
 * {@link SnpVerifier} to learn whether AMD signed it.
 *
 * <p>Versions 2 to 5 are read. Version 3 adds the CPUID family, model and stepping at 0x188;
 * version 4 has version 3's layout (the firmware raised the number without a new field, as
 * virtee/sev and AMD's own tools read it); version 5 adds the launch and current mitigation
 * vectors at 0x1F8. Any other version is refused. Every reserved
 * byte must be zero, the signing-key field must not hold a reserved value, and with the chip
 * key masked CHIP_ID must be zero: the firmware never emits anything else, and accepting it
 * would let unsigned bytes or unknown fields pass unnoticed.
 *
 * <p>The four TCB_VERSION fields are read in the layout of the product generation: from the
 * CPUID family for version 3 and later (19h Milan/Genoa, 1Ah Turin), and in the Milan/Genoa
 * layout for version 2, which carries no CPUID. A Turin report in version 2 therefore does
 * not match its Turin VCEK and fails verification (closed, not open).
 *
 * @param version VERSION: 2 to 5
 * @param guestSvn GUEST_SVN (unsigned 32 bits)
 * @param policy POLICY, decoded
 * @param familyId FAMILY_ID from the ID block (16 bytes)
 * @param imageId IMAGE_ID from the ID block (16 bytes)
 * @param vmpl VMPL the report was requested at (unsigned 32 bits)
 * @param signatureAlgo SIGNATURE_ALGO; 1 is ECDSA P-384 with SHA-384
 * @param currentTcb CURRENT_TCB
 * @param platformInfo PLATFORM_INFO bits (SMT enabled, TSME enabled, ...), undecoded
 * @param authorKeyEn AUTHOR_KEY_EN: the ID block was signed with an author key
 * @param maskChipKey MASK_CHIP_KEY: the host chose to zero CHIP_ID
 * @param signingKey SIGNING_KEY: which key signed the report
 * @param reportData REPORT_DATA chosen by the guest (64 bytes)
 * @param measurement MEASUREMENT of the launched guest (48 bytes)
 * @param hostData HOST_DATA chosen by the host at launch (32 bytes)
 * @param idKeyDigest ID_KEY_DIGEST, SHA-384 of the ID block's key (48 bytes)
 * @param authorKeyDigest AUTHOR_KEY_DIGEST (48 bytes)
 * @param reportId REPORT_ID (32 bytes)
 * @param reportIdMa REPORT_ID_MA of the migration agent (32 bytes)
 * @param reportedTcb REPORTED_TCB, the TCB the signing VCEK was derived for
 * @param cpuid CPUID_FAM_ID/MOD_ID/STEP; present from version 3 on
 * @param chipId CHIP_ID (64 bytes; zero if masked or signed by a VLEK)
 * @param committedTcb COMMITTED_TCB
 * @param currentVersion CURRENT_MAJOR/MINOR/BUILD of the firmware
 * @param committedVersion COMMITTED_MAJOR/MINOR/BUILD of the firmware
 * @param launchTcb LAUNCH_TCB, the CURRENT_TCB when the guest was launched
 * @param launchMitVector LAUNCH_MIT_VECTOR; present from version 5 on
 * @param currentMitVector CURRENT_MIT_VECTOR; present from version 5 on
 * @param signatureR R of the ECDSA signature, read from its little-endian 72-byte field
 * @param signatureS S of the ECDSA signature, read from its little-endian 72-byte field
 * @param signedBytes bytes 0x000 to 0x29F, which the signature covers
 */
public record SnpReport(
    int version,
    long guestSvn,
    GuestPolicy policy,
    ByteString familyId,
    ByteString imageId,
    long vmpl,
    int signatureAlgo,
    TcbVersion currentTcb,
    long platformInfo,
    boolean authorKeyEn,
    boolean maskChipKey,
    SigningKey signingKey,
    ByteString reportData,
    ByteString measurement,
    ByteString hostData,
    ByteString idKeyDigest,
    ByteString authorKeyDigest,
    ByteString reportId,
    ByteString reportIdMa,
    TcbVersion reportedTcb,
    Optional<Cpuid> cpuid,
    ByteString chipId,
    TcbVersion committedTcb,
    FirmwareVersion currentVersion,
    FirmwareVersion committedVersion,
    TcbVersion launchTcb,
    OptionalLong launchMitVector,
    OptionalLong currentMitVector,
    BigInteger signatureR,
    BigInteger signatureS,
    ByteString signedBytes) {

  /** Combined family and model, and stepping, of the CPU (CPUID Fn0000_0001_EAX). */
  public record Cpuid(int familyId, int modelId, int stepping) {
    public Cpuid {
      if ((familyId | modelId | stepping) >>> 8 != 0) {
        throw new IllegalArgumentException("CPUID fields are bytes");
      }
    }
  }

  /** A firmware version as major.minor, build. */
  public record FirmwareVersion(int major, int minor, int build) {
    public FirmwareVersion {
      if ((major | minor | build) >>> 8 != 0) {
        throw new IllegalArgumentException("firmware version fields are bytes");
      }
    }

    @Override
    public String toString() {
      return major + "." + minor + " build " + build;
    }
  }

  public SnpReport {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(currentTcb, "currentTcb");
    Objects.requireNonNull(signingKey, "signingKey");
    Objects.requireNonNull(reportedTcb, "reportedTcb");
    Objects.requireNonNull(cpuid, "cpuid");
    Objects.requireNonNull(committedTcb, "committedTcb");
    Objects.requireNonNull(currentVersion, "currentVersion");
    Objects.requireNonNull(committedVersion, "committedVersion");
    Objects.requireNonNull(launchTcb, "launchTcb");
    Objects.requireNonNull(launchMitVector, "launchMitVector");
    Objects.requireNonNull(currentMitVector, "currentMitVector");
    Objects.requireNonNull(signatureR, "signatureR");
    Objects.requireNonNull(signatureS, "signatureS");
    checkSize("familyId", familyId, FAMILY_ID_SIZE);
    checkSize("imageId", imageId, IMAGE_ID_SIZE);
    checkSize("reportData", reportData, REPORT_DATA_SIZE);
    checkSize("measurement", measurement, MEASUREMENT_SIZE);
    checkSize("hostData", hostData, HOST_DATA_SIZE);
    checkSize("idKeyDigest", idKeyDigest, ID_KEY_DIGEST_SIZE);
    checkSize("authorKeyDigest", authorKeyDigest, AUTHOR_KEY_DIGEST_SIZE);
    checkSize("reportId", reportId, REPORT_ID_SIZE);
    checkSize("reportIdMa", reportIdMa, REPORT_ID_MA_SIZE);
    checkSize("chipId", chipId, CHIP_ID_SIZE);
    checkSize("signedBytes", signedBytes, SIGNATURE);
    if (version < 2 || version > 5) {
      throw new IllegalArgumentException("unsupported report version " + version);
    }
    if (cpuid.isPresent() != (version >= 3)) {
      throw new IllegalArgumentException("CPUID fields are present exactly from version 3 on");
    }
    if (launchMitVector.isPresent() != (version >= 5)
        || currentMitVector.isPresent() != (version >= 5)) {
      throw new IllegalArgumentException("mitigation vectors are present exactly in version 5");
    }
    if (guestSvn >>> 32 != 0 || vmpl >>> 32 != 0) {
      throw new IllegalArgumentException("GUEST_SVN and VMPL are unsigned 32-bit values");
    }
    if (signatureR.signum() < 0 || signatureS.signum() < 0) {
      throw new IllegalArgumentException("signature components are unsigned");
    }
  }

  /**
   * Reads a report of exactly 0x4A0 bytes; shorter or longer input is refused, never padded or
   * cut.
   *
   * @throws VerificationException {@link Failure#MALFORMED_EVIDENCE} if the length, the
   *     version or a field's format is wrong
   */
  public static SnpReport parse(byte[] report) throws VerificationException {
    Objects.requireNonNull(report, "report");
    if (report.length != REPORT_SIZE) {
      throw malformed(String.format("report is 0x%x bytes, an SEV-SNP report is 0x%x",
          report.length, REPORT_SIZE));
    }
    ByteBuffer in = ByteBuffer.wrap(report).order(ByteOrder.LITTLE_ENDIAN);
    int version = in.getInt(VERSION);
    if (version < 2 || version > 5) {
      throw malformed("report version " + Integer.toUnsignedString(version)
          + " is not supported (2, 3 and 5 are)");
    }
    Optional<Cpuid> cpuid = version >= 3
        ? Optional.of(new Cpuid(u8(report, CPUID_FAM_ID), u8(report, CPUID_MOD_ID),
            u8(report, CPUID_STEP)))
        : Optional.empty();
    TcbVersion.Layout layout = tcbLayout(cpuid);

    int keyInfo = in.getInt(KEY_INFO);
    if ((keyInfo & KEY_INFO_RESERVED) != 0) {
      throw malformed(String.format("reserved bits of the key information 0x%x are set", keyInfo));
    }
    int signingKeyField = (keyInfo >>> KEY_INFO_SIGNING_KEY_SHIFT) & KEY_INFO_SIGNING_KEY_MASK;
    SigningKey signingKey = SigningKey.fromFieldValue(signingKeyField)
        .orElseThrow(() -> malformed("SIGNING_KEY " + signingKeyField + " is reserved"));
    boolean maskChipKey = (keyInfo & KEY_INFO_MASK_CHIP_KEY) != 0;

    int signatureAlgo = in.getInt(SIGNATURE_ALGO);
    requireZero(report, RESERVED_1, REPORT_DATA);
    requireZero(report, version >= 3 ? RESERVED_2 : CPUID_FAM_ID, CHIP_ID);
    requireZero(report, RESERVED_3, COMMITTED_BUILD);
    requireZero(report, RESERVED_4, LAUNCH_TCB);
    requireZero(report, version >= 5 ? RESERVED_5 : LAUNCH_MIT_VECTOR, SIGNATURE);
    if (signatureAlgo == SIGNATURE_ALGO_ECDSA_P384_SHA384) {
      // Bytes after R and S are not signed; zero is the only value that cannot carry
      // anything.
      requireZero(report, SIGNATURE_RESERVED, REPORT_SIZE);
    }
    ByteString chipId = slice(report, CHIP_ID, CHIP_ID_SIZE);
    if (maskChipKey && !isZero(report, CHIP_ID, CHIP_ID + CHIP_ID_SIZE)) {
      throw malformed("MASK_CHIP_KEY is set but CHIP_ID is not zero");
    }

    return new SnpReport(
        version,
        Integer.toUnsignedLong(in.getInt(GUEST_SVN)),
        GuestPolicy.decode(in.getLong(POLICY)),
        slice(report, FAMILY_ID, FAMILY_ID_SIZE),
        slice(report, IMAGE_ID, IMAGE_ID_SIZE),
        Integer.toUnsignedLong(in.getInt(VMPL)),
        signatureAlgo,
        TcbVersion.decode(in.getLong(CURRENT_TCB), layout),
        in.getLong(PLATFORM_INFO),
        (keyInfo & KEY_INFO_AUTHOR_KEY_EN) != 0,
        maskChipKey,
        signingKey,
        slice(report, REPORT_DATA, REPORT_DATA_SIZE),
        slice(report, MEASUREMENT, MEASUREMENT_SIZE),
        slice(report, HOST_DATA, HOST_DATA_SIZE),
        slice(report, ID_KEY_DIGEST, ID_KEY_DIGEST_SIZE),
        slice(report, AUTHOR_KEY_DIGEST, AUTHOR_KEY_DIGEST_SIZE),
        slice(report, REPORT_ID, REPORT_ID_SIZE),
        slice(report, REPORT_ID_MA, REPORT_ID_MA_SIZE),
        TcbVersion.decode(in.getLong(REPORTED_TCB), layout),
        cpuid,
        chipId,
        TcbVersion.decode(in.getLong(COMMITTED_TCB), layout),
        new FirmwareVersion(u8(report, CURRENT_MAJOR), u8(report, CURRENT_MINOR),
            u8(report, CURRENT_BUILD)),
        new FirmwareVersion(u8(report, COMMITTED_MAJOR), u8(report, COMMITTED_MINOR),
            u8(report, COMMITTED_BUILD)),
        TcbVersion.decode(in.getLong(LAUNCH_TCB), layout),
        version >= 5 ? OptionalLong.of(in.getLong(LAUNCH_MIT_VECTOR)) : OptionalLong.empty(),
        version >= 5 ? OptionalLong.of(in.getLong(CURRENT_MIT_VECTOR)) : OptionalLong.empty(),
        littleEndian(report, SIGNATURE_R, ECDSA_COMPONENT_SIZE),
        littleEndian(report, SIGNATURE_S, ECDSA_COMPONENT_SIZE),
        slice(report, 0, SIGNATURE));
  }

  /** The layout of the four TCB fields; see the class comment. */
  private static TcbVersion.Layout tcbLayout(Optional<Cpuid> cpuid) throws VerificationException {
    if (cpuid.isEmpty()) {
      return TcbVersion.Layout.MILAN_GENOA;
    }
    int family = cpuid.get().familyId();
    for (SnpProduct p : SnpProduct.values()) {
      if (p.cpuidFamily() == family) {
        return p.tcbLayout();
      }
    }
    throw malformed(String.format("CPUID family 0x%x is not an SEV-SNP product this verifier "
        + "knows", family));
  }

  private static void requireZero(byte[] report, int from, int to) throws VerificationException {
    if (!isZero(report, from, to)) {
      throw malformed(String.format("reserved bytes 0x%x..0x%x are not zero", from, to - 1));
    }
  }

  private static boolean isZero(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static int u8(byte[] bytes, int offset) {
    return bytes[offset] & 0xff;
  }

  private static ByteString slice(byte[] bytes, int offset, int size) {
    return ByteString.copyFrom(bytes, offset, size);
  }

  private static BigInteger littleEndian(byte[] bytes, int offset, int size) {
    byte[] bigEndian = Arrays.copyOfRange(bytes, offset, offset + size);
    for (int i = 0, j = size - 1; i < j; i++, j--) {
      byte t = bigEndian[i];
      bigEndian[i] = bigEndian[j];
      bigEndian[j] = t;
    }
    return new BigInteger(1, bigEndian);
  }

  private static VerificationException malformed(String detail) {
    return new VerificationException(Failure.MALFORMED_EVIDENCE, detail);
  }
}
