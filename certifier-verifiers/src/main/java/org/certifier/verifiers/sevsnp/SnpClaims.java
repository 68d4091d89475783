package org.certifier.verifiers.sevsnp;

import static org.certifier.verifiers.sevsnp.SnpLayout.*;

import com.google.protobuf.ByteString;
import java.util.Objects;

/**
 * What a verified SEV-SNP report says, and nothing more: {@link SnpVerifier} returns it only
 * after AMD's chain, the report signature and the VCEK/VLEK bindings have checked out. Whether
 * the values are acceptable is {@link SnpExpectations}' question.
 *
 * @param version the report version (2 to 5)
 * @param guestSvn GUEST_SVN from the ID block
 * @param policy the guest policy, with AMD's bit meanings
 * @param vmpl the VMPL the report was requested at
 * @param measurement MEASUREMENT of the launched guest (48 bytes)
 * @param reportData REPORT_DATA chosen by the guest (64 bytes), e.g. a nonce or key hash
 * @param hostData HOST_DATA chosen by the host at launch (32 bytes)
 * @param idKeyDigest SHA-384 of the ID block's public key (48 bytes; zero without ID block)
 * @param authorKeyDigest SHA-384 of the ID block's author key (48 bytes; zero without one)
 * @param familyId FAMILY_ID from the ID block (16 bytes)
 * @param imageId IMAGE_ID from the ID block (16 bytes)
 * @param chipId CHIP_ID (64 bytes; zero when masked or VLEK-signed)
 * @param platformInfo PLATFORM_INFO bits, undecoded
 * @param reportedTcb REPORTED_TCB, the TCB AMD's VCEK/VLEK certificate vouches for
 * @param currentTcb CURRENT_TCB of the running firmware
 * @param committedTcb COMMITTED_TCB, below which the firmware cannot be rolled back
 * @param launchTcb LAUNCH_TCB, the CURRENT_TCB when the guest was launched
 * @param product the product line, from the endorsement key certificate
 * @param signingKey VCEK or VLEK
 */
public record SnpClaims(
    int version,
    long guestSvn,
    GuestPolicy policy,
    long vmpl,
    ByteString measurement,
    ByteString reportData,
    ByteString hostData,
    ByteString idKeyDigest,
    ByteString authorKeyDigest,
    ByteString familyId,
    ByteString imageId,
    ByteString chipId,
    long platformInfo,
    TcbVersion reportedTcb,
    TcbVersion currentTcb,
    TcbVersion committedTcb,
    TcbVersion launchTcb,
    SnpProduct product,
    SigningKey signingKey) {

  public SnpClaims {
    Objects.requireNonNull(policy, "policy");
    checkSize("measurement", measurement, MEASUREMENT_SIZE);
    checkSize("reportData", reportData, REPORT_DATA_SIZE);
    checkSize("hostData", hostData, HOST_DATA_SIZE);
    checkSize("idKeyDigest", idKeyDigest, ID_KEY_DIGEST_SIZE);
    checkSize("authorKeyDigest", authorKeyDigest, AUTHOR_KEY_DIGEST_SIZE);
    checkSize("familyId", familyId, FAMILY_ID_SIZE);
    checkSize("imageId", imageId, IMAGE_ID_SIZE);
    checkSize("chipId", chipId, CHIP_ID_SIZE);
    Objects.requireNonNull(reportedTcb, "reportedTcb");
    Objects.requireNonNull(currentTcb, "currentTcb");
    Objects.requireNonNull(committedTcb, "committedTcb");
    Objects.requireNonNull(launchTcb, "launchTcb");
    Objects.requireNonNull(product, "product");
    Objects.requireNonNull(signingKey, "signingKey");
    if (signingKey == SigningKey.NONE) {
      throw new IllegalArgumentException("verified claims are signed by a VCEK or a VLEK");
    }
    for (TcbVersion tcb : new TcbVersion[] {reportedTcb, currentTcb, committedTcb, launchTcb}) {
      if (tcb.layout() != product.tcbLayout()) {
        throw new IllegalArgumentException("a " + tcb.layout() + " TCB does not fit " + product);
      }
    }
  }

  /** The claims of a report whose signature and endorsement key have been verified. */
  static SnpClaims of(SnpReport report, SnpProduct product) {
    return new SnpClaims(
        report.version(),
        report.guestSvn(),
        report.policy(),
        report.vmpl(),
        report.measurement(),
        report.reportData(),
        report.hostData(),
        report.idKeyDigest(),
        report.authorKeyDigest(),
        report.familyId(),
        report.imageId(),
        report.chipId(),
        report.platformInfo(),
        report.reportedTcb(),
        report.currentTcb(),
        report.committedTcb(),
        report.launchTcb(),
        product,
        report.signingKey());
  }
}
