package org.certifier.verifiers.sevsnp;

import java.util.Objects;
import java.util.OptionalInt;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;

/**
 * One TCB_VERSION: the security patch levels (SPLs) of the AMD secure processor's firmware
 * components and of the CPU microcode (SEV-SNP ABI spec 56860, §2.2 "TCB Version").
 *
 * <p>The 64-bit value has two layouts. Milan and Genoa: byte 0 boot loader, byte 1 TEE,
 * bytes 2..5 reserved, byte 6 SNP, byte 7 microcode. Turin adds the FMC (first mutable code)
 * and moves everything: byte 0 FMC, byte 1 boot loader, byte 2 TEE, byte 3 SNP, bytes 4..6
 * reserved, byte 7 microcode. Reserved bytes must be zero; a value with a non-zero reserved
 * byte is refused rather than silently losing information.
 *
 * @param layout which of the two byte layouts the value was read with
 * @param bootloader the PSP boot loader SPL
 * @param tee the PSP operating system (TEE) SPL
 * @param snp the SNP firmware SPL
 * @param microcode the lowest microcode patch level of all cores
 * @param fmc the FMC SPL; present exactly in the Turin layout
 */
public record TcbVersion(
    Layout layout, int bootloader, int tee, int snp, int microcode, OptionalInt fmc) {

  /** The byte layout of a TCB_VERSION, decided by the product generation. */
  public enum Layout {
    /** Milan and Genoa (family 19h). */
    MILAN_GENOA,
    /** Turin (family 1Ah) and, until AMD says otherwise, its successors. */
    TURIN
  }

  public TcbVersion {
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(fmc, "fmc");
    checkByte("bootloader", bootloader);
    checkByte("tee", tee);
    checkByte("snp", snp);
    checkByte("microcode", microcode);
    if (fmc.isPresent() != (layout == Layout.TURIN)) {
      throw new IllegalArgumentException("fmc is present exactly in the Turin layout");
    }
    if (fmc.isPresent()) {
      checkByte("fmc", fmc.getAsInt());
    }
  }

  /** A Milan/Genoa TCB. */
  public static TcbVersion milanGenoa(int bootloader, int tee, int snp, int microcode) {
    return new TcbVersion(Layout.MILAN_GENOA, bootloader, tee, snp, microcode, OptionalInt.empty());
  }

  /** A Turin TCB. */
  public static TcbVersion turin(int fmc, int bootloader, int tee, int snp, int microcode) {
    return new TcbVersion(Layout.TURIN, bootloader, tee, snp, microcode, OptionalInt.of(fmc));
  }

  /**
   * Reads the 64-bit little-endian TCB_VERSION value in the given layout.
   *
   * @throws VerificationException {@link Failure#MALFORMED_EVIDENCE} if a reserved byte is set
   */
  public static TcbVersion decode(long raw, Layout layout) throws VerificationException {
    Objects.requireNonNull(layout, "layout");
    long reserved = raw & reservedMask(layout);
    if (reserved != 0) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE, String.format(
          "TCB_VERSION 0x%016x has reserved bits set for the %s layout", raw, layout));
    }
    return switch (layout) {
      case MILAN_GENOA -> milanGenoa(byteAt(raw, 0), byteAt(raw, 1), byteAt(raw, 6),
          byteAt(raw, 7));
      case TURIN -> turin(byteAt(raw, 0), byteAt(raw, 1), byteAt(raw, 2), byteAt(raw, 3),
          byteAt(raw, 7));
    };
  }

  /** The 64-bit TCB_VERSION value, as the report and the KDS URLs carry it. */
  public long raw() {
    return switch (layout) {
      case MILAN_GENOA -> at(bootloader, 0) | at(tee, 1) | at(snp, 6) | at(microcode, 7);
      case TURIN -> at(fmc.getAsInt(), 0) | at(bootloader, 1) | at(tee, 2) | at(snp, 3)
          | at(microcode, 7);
    };
  }

  /** A short form for messages, e.g. {@code bl2/tee0/snp5/uc68} or {@code fmc0/bl2/...}. */
  @Override
  public String toString() {
    String parts = "bl" + bootloader + "/tee" + tee + "/snp" + snp + "/uc" + microcode;
    return fmc.isPresent() ? "fmc" + fmc.getAsInt() + "/" + parts : parts;
  }

  private static long reservedMask(Layout layout) {
    return switch (layout) {
      case MILAN_GENOA -> 0x0000_ffff_ffff_0000L;
      case TURIN -> 0x00ff_ffff_0000_0000L;
    };
  }

  private static int byteAt(long raw, int index) {
    return (int) (raw >>> (8 * index)) & 0xff;
  }

  private static long at(int value, int index) {
    return (long) value << (8 * index);
  }

  private static void checkByte(String name, int value) {
    if (value < 0 || value > 0xff) {
      throw new IllegalArgumentException(name + " SPL " + value + " is not a byte");
    }
  }
}
