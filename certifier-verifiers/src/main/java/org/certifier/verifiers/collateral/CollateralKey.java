package org.certifier.verifiers.collateral;

import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One piece of vendor collateral, named the way the vendor's service names it. A key is what
 * the cache is keyed by and what the bundle directory and the vendor services turn into a file
 * name or a URL; so every component is validated here, once: a product is a capitalised word,
 * identifiers are hexadecimal of a fixed length, and nothing can carry a slash, a dot or a
 * query. Hexadecimal is normalised (AMD hwIDs lower case, Intel FMSPCs upper case) so that two
 * spellings of one item are one key.
 *
 * <p>Keys are built by verifiers from parsed evidence, never from raw text a requester sent;
 * an invalid component is a programming error ({@link IllegalArgumentException}).
 */
public sealed interface CollateralKey {
  /** A path of the bundle directory, relative and with {@code /} separators. */
  String bundlePath();

  /** Whether this item comes with an issuer chain (Intel's signed JSON and PCK CRLs). */
  default boolean hasIssuerChain() {
    return false;
  }

  /** The bundle path of the PEM issuer chain that goes with this item's file. */
  default String issuerChainPath() {
    String path = bundlePath();
    return path.substring(0, path.lastIndexOf('.')) + ".chain.pem";
  }

  /** Which of AMD's endorsement keys a chain or CRL is for: KDS {@code vcek} or {@code vlek}. */
  enum AmdKeyKind {
    VCEK,
    VLEK;

    String path() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The trusted environment an Intel item is for. */
  enum IntelTee {
    SGX,
    TDX;

    String path() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The Intel CA that issued a PCK certificate, and so the PCK CRL that covers it. */
  enum PckCa {
    PROCESSOR,
    PLATFORM;

    String path() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * AMD's VCEK certificate for one chip at one TCB (KDS spec 57230, chapter 4):
   * {@code /vcek/v1/{product}/{hwid}?blSPL=&teeSPL=&snpSPL=&ucodeSPL=}, plus {@code fmcSPL}
   * on Turin and later (whose hwID is the first 8 bytes of CHIP_ID).
   *
   * @param product the KDS product name, e.g. {@code Milan}
   * @param hwId the hwID in hexadecimal: 64 bytes up to Genoa, 8 from Turin on
   * @param fmc the FMC SPL, present exactly for products whose TCB has one
   */
  record AmdVcek(String product, String hwId, int bootloader, int tee, int snp, int microcode,
      OptionalInt fmc) implements CollateralKey {
    public AmdVcek {
      product = KeyComponents.product(product);
      hwId = KeyComponents.hex(hwId, "hwID", 16, 128).toLowerCase(Locale.ROOT);
      KeyComponents.spl(bootloader, "bootloader");
      KeyComponents.spl(tee, "tee");
      KeyComponents.spl(snp, "snp");
      KeyComponents.spl(microcode, "microcode");
      Objects.requireNonNull(fmc, "fmc");
      if (fmc.isPresent()) {
        KeyComponents.spl(fmc.getAsInt(), "fmc");
      }
    }

    @Override
    public String bundlePath() {
      return "amd/" + product + "/vcek/" + hwId + "-" + tcbName() + ".der";
    }

    /** The TCB as the file name spells it: {@code bl3-tee0-snp8-ucode115[-fmc1]}. */
    String tcbName() {
      return "bl" + bootloader + "-tee" + tee + "-snp" + snp + "-ucode" + microcode
          + (fmc.isPresent() ? "-fmc" + fmc.getAsInt() : "");
    }
  }

  /**
   * AMD's intermediate and root for a product, {@code /vcek/v1/{product}/cert_chain} (ASK then
   * ARK) or {@code /vlek/v1/{product}/cert_chain} (ASVK then ARK), PEM.
   */
  record AmdCertChain(String product, AmdKeyKind kind) implements CollateralKey {
    public AmdCertChain {
      product = KeyComponents.product(product);
      Objects.requireNonNull(kind, "kind");
    }

    @Override
    public String bundlePath() {
      return "amd/" + product + "/" + kind.path() + "-cert_chain.pem";
    }
  }

  /**
   * AMD's CRL for a product, signed by the ARK: {@code /vcek/v1/{product}/crl} (covering the
   * ASK) or {@code /vlek/v1/{product}/crl} (covering the ASVK), DER.
   */
  record AmdCrl(String product, AmdKeyKind kind) implements CollateralKey {
    public AmdCrl {
      product = KeyComponents.product(product);
      Objects.requireNonNull(kind, "kind");
    }

    @Override
    public String bundlePath() {
      return "amd/" + product + "/" + kind.path() + "-crl.der";
    }
  }

  /**
   * Intel's signed TCB info for an FMSPC, JSON, with the TCB signing chain in the
   * {@code TCB-Info-Issuer-Chain} header (PCS API v4).
   *
   * @param fmspc the 6-byte FMSPC in hexadecimal
   */
  record IntelTcbInfo(IntelTee tee, String fmspc) implements CollateralKey {
    public IntelTcbInfo {
      Objects.requireNonNull(tee, "tee");
      fmspc = KeyComponents.hex(fmspc, "FMSPC", 12).toUpperCase(Locale.ROOT);
    }

    @Override
    public String bundlePath() {
      return "intel/tcb/" + tee.path() + "-" + fmspc + ".json";
    }

    @Override
    public boolean hasIssuerChain() {
      return true;
    }
  }

  /**
   * Intel's signed identity of the quoting enclave (SGX) or TD quoting enclave (TDX), JSON, with
   * the chain in the {@code SGX-Enclave-Identity-Issuer-Chain} header.
   */
  record IntelQeIdentity(IntelTee tee) implements CollateralKey {
    public IntelQeIdentity {
      Objects.requireNonNull(tee, "tee");
    }

    @Override
    public String bundlePath() {
      return "intel/qe/" + tee.path() + ".json";
    }

    @Override
    public boolean hasIssuerChain() {
      return true;
    }
  }

  /**
   * The CRL of Intel's PCK processor or platform CA, DER, with the chain in the
   * {@code SGX-PCK-CRL-Issuer-Chain} header.
   */
  record IntelPckCrl(PckCa ca) implements CollateralKey {
    public IntelPckCrl {
      Objects.requireNonNull(ca, "ca");
    }

    @Override
    public String bundlePath() {
      return "intel/pckcrl-" + ca.path() + ".der";
    }

    @Override
    public boolean hasIssuerChain() {
      return true;
    }
  }

  /**
   * The CRL of the Intel SGX Root CA, DER, from the root certificate's CRL distribution point;
   * signed by the root itself, so it has no issuer chain.
   */
  record IntelRootCrl() implements CollateralKey {
    @Override
    public String bundlePath() {
      return "intel/rootcrl.der";
    }
  }
}
