package org.certifier.verifiers.dcap.collateral;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a quote and its PCK certificate say about the platform's TCB, as input to
 * {@link TcbEvaluator}. The quote verifier fills it from the PCK certificate's SGX extensions
 * and, for TDX, from the TD report.
 *
 * @param fmspc the PCK certificate's FMSPC (6 bytes)
 * @param pceId the PCK certificate's PCEID (2 bytes)
 * @param pceSvn the PCK certificate's PCESVN
 * @param cpuSvnComponents the PCK certificate's 16 SGX TCB component SVNs (0..255)
 * @param teeTcbSvn TDX only: TEE_TCB_SVN of the TD report (16 bytes)
 * @param teeTcbSvn2 TDX 1.5 report bodies only: TEE_TCB_SVN2 (16 bytes)
 * @param mrSignerSeam TDX only: MRSIGNERSEAM of the TD report (48 bytes)
 * @param seamAttributes TDX only: SEAMATTRIBUTES of the TD report (8 bytes)
 */
public record PlatformTcb(
    ByteString fmspc,
    ByteString pceId,
    int pceSvn,
    List<Integer> cpuSvnComponents,
    Optional<ByteString> teeTcbSvn,
    Optional<ByteString> teeTcbSvn2,
    Optional<ByteString> mrSignerSeam,
    Optional<ByteString> seamAttributes) {

  public PlatformTcb {
    checkSize("fmspc", fmspc, 6);
    checkSize("pceId", pceId, 2);
    if (pceSvn < 0 || pceSvn > 0xFFFF) {
      throw new IllegalArgumentException("pceSvn " + pceSvn + " is not 16 bits");
    }
    cpuSvnComponents = List.copyOf(cpuSvnComponents);
    if (cpuSvnComponents.size() != TcbInfo.COMPONENTS
        || cpuSvnComponents.stream().anyMatch(c -> c < 0 || c > 0xFF)) {
      throw new IllegalArgumentException("cpuSvnComponents must be 16 values 0..255");
    }
    Objects.requireNonNull(teeTcbSvn, "teeTcbSvn");
    Objects.requireNonNull(teeTcbSvn2, "teeTcbSvn2");
    Objects.requireNonNull(mrSignerSeam, "mrSignerSeam");
    Objects.requireNonNull(seamAttributes, "seamAttributes");
    if (teeTcbSvn.isPresent() != mrSignerSeam.isPresent()
        || teeTcbSvn.isPresent() != seamAttributes.isPresent()
        || teeTcbSvn2.isPresent() && teeTcbSvn.isEmpty()) {
      throw new IllegalArgumentException(
          "TDX values come together: TEE_TCB_SVN, MRSIGNERSEAM, SEAMATTRIBUTES (and TEE_TCB_SVN2)");
    }
    teeTcbSvn.ifPresent(v -> checkSize("teeTcbSvn", v, 16));
    teeTcbSvn2.ifPresent(v -> checkSize("teeTcbSvn2", v, 16));
    mrSignerSeam.ifPresent(v -> checkSize("mrSignerSeam", v, 48));
    seamAttributes.ifPresent(v -> checkSize("seamAttributes", v, 8));
  }

  /** An SGX platform. */
  public static PlatformTcb sgx(ByteString fmspc, ByteString pceId, int pceSvn,
      List<Integer> cpuSvnComponents) {
    return new PlatformTcb(fmspc, pceId, pceSvn, cpuSvnComponents, Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** A TDX platform; {@code teeTcbSvn2} only for TD 1.5 report bodies. */
  public static PlatformTcb tdx(ByteString fmspc, ByteString pceId, int pceSvn,
      List<Integer> cpuSvnComponents, ByteString teeTcbSvn, Optional<ByteString> teeTcbSvn2,
      ByteString mrSignerSeam, ByteString seamAttributes) {
    return new PlatformTcb(fmspc, pceId, pceSvn, cpuSvnComponents, Optional.of(teeTcbSvn),
        teeTcbSvn2, Optional.of(mrSignerSeam), Optional.of(seamAttributes));
  }

  public boolean isTdx() {
    return teeTcbSvn.isPresent();
  }

  static void checkSize(String name, ByteString value, int size) {
    Objects.requireNonNull(value, name);
    if (value.size() != size) {
      throw new IllegalArgumentException(name + " has " + value.size() + " bytes, not " + size);
    }
  }
}
