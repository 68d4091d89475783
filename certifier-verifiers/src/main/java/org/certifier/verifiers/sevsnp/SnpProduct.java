package org.certifier.verifiers.sevsnp;

import java.util.Optional;

/**
 * The AMD EPYC product lines with SEV-SNP that this verifier knows, each with its own ARK, ASK
 * and ASVK (AMD KDS spec 57230) and its TCB_VERSION layout (ABI spec 56860, §2.2).
 */
public enum SnpProduct {
  MILAN("Milan", TcbVersion.Layout.MILAN_GENOA, 0x19, 64),
  GENOA("Genoa", TcbVersion.Layout.MILAN_GENOA, 0x19, 64),
  TURIN("Turin", TcbVersion.Layout.TURIN, 0x1a, 8);

  private final String kdsName;
  private final TcbVersion.Layout tcbLayout;
  private final int cpuidFamily;
  private final int hwIdLength;

  SnpProduct(String kdsName, TcbVersion.Layout tcbLayout, int cpuidFamily, int hwIdLength) {
    this.kdsName = kdsName;
    this.tcbLayout = tcbLayout;
    this.cpuidFamily = cpuidFamily;
    this.hwIdLength = hwIdLength;
  }

  /** The name AMD's KDS uses in URLs and certificate names, e.g. {@code Milan}. */
  public String kdsName() {
    return kdsName;
  }

  /** How this product lays out a TCB_VERSION. */
  public TcbVersion.Layout tcbLayout() {
    return tcbLayout;
  }

  /** The combined CPUID family (extended family + family) a version 3+ report carries. */
  int cpuidFamily() {
    return cpuidFamily;
  }

  /**
   * The length of the VCEK's hwID extension: the whole 64-byte CHIP_ID up to Genoa, only its
   * first 8 bytes from Turin on (KDS spec 57230; the KDS URL uses the same 8 bytes).
   */
  int hwIdLength() {
    return hwIdLength;
  }

  /**
   * The product named by a VCEK/VLEK productName extension: {@code Milan-B0}, {@code Genoa},
   * {@code Turin} (the stepping suffix after the dash is optional).
   */
  static Optional<SnpProduct> fromProductName(String productName) {
    int dash = productName.indexOf('-');
    String line = dash < 0 ? productName : productName.substring(0, dash);
    for (SnpProduct p : values()) {
      if (p.kdsName.equals(line)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
