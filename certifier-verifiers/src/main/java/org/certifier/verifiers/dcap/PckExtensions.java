package org.certifier.verifiers.dcap;

import com.google.protobuf.ByteString;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;

/**
 * What a PCK certificate says about its platform, read from Intel's SGX Extensions (OID
 * 1.2.840.113741.1.13.1; Intel, "SGX PCK Certificate and Certificate Revocation List Profile
 * Specification", §1.3.5). Reading decides nothing about trust: {@link QuoteVerifier} checks
 * the chain before it believes any of this. The TCB components and PCESVN are what TCB info
 * levels are matched against.
 *
 * <p>The extension is a SEQUENCE of (OID, value) pairs in the profile's order: PPID, TCB,
 * PCE-ID, FMSPC, SGX Type, and for certificates of the Platform CA also Platform Instance ID and
 * Configuration. Any other entry, order or encoding is refused.
 *
 * @param ppid PPID, the encrypted platform provisioning id (16 bytes)
 * @param cpuSvnComponents SGX TCB Comp01 to Comp16 SVN, each 0 to 255
 * @param pceSvn PCESVN, 0 to 65535
 * @param cpuSvn CPUSVN (16 bytes)
 * @param pceId PCE-ID (2 bytes)
 * @param fmspc FMSPC, the family-model-stepping-platform-custom SKU (6 bytes)
 * @param sgxType SGX Type: 0 Standard, 1 Scalable, 2 Scalable with Integrity
 * @param platformInstanceId Platform Instance ID (16 bytes); Platform CA certificates only
 * @param configuration Configuration; Platform CA certificates only
 */
public record PckExtensions(
    ByteString ppid,
    int[] cpuSvnComponents,
    int pceSvn,
    ByteString cpuSvn,
    ByteString pceId,
    ByteString fmspc,
    int sgxType,
    Optional<ByteString> platformInstanceId,
    Optional<PlatformConfiguration> configuration) {

  /** The SGX Extensions' OID; its entries are numbered below it. */
  public static final String SGX_EXTENSIONS_OID = "1.2.840.113741.1.13.1";
  private static final String PPID = SGX_EXTENSIONS_OID + ".1";
  private static final String TCB = SGX_EXTENSIONS_OID + ".2";
  private static final String PCE_ID = SGX_EXTENSIONS_OID + ".3";
  private static final String FMSPC = SGX_EXTENSIONS_OID + ".4";
  private static final String SGX_TYPE = SGX_EXTENSIONS_OID + ".5";
  private static final String PLATFORM_INSTANCE_ID = SGX_EXTENSIONS_OID + ".6";
  private static final String CONFIGURATION = SGX_EXTENSIONS_OID + ".7";
  private static final int COMPONENTS = 16;
  private static final int PCESVN_ENTRY = 17;
  private static final int CPUSVN_ENTRY = 18;
  private static final int MAX_SGX_TYPE = 2;

  /**
   * The Configuration entry: how the platform was set up, each flag present only if Intel's
   * certificate states it.
   *
   * @param dynamicPlatform the platform can be extended with more sockets
   * @param cachedKeys platform keys are cached by Intel's registration service
   * @param smtEnabled simultaneous multithreading is enabled
   */
  public record PlatformConfiguration(
      Optional<Boolean> dynamicPlatform, Optional<Boolean> cachedKeys,
      Optional<Boolean> smtEnabled) {
    public PlatformConfiguration {
      Objects.requireNonNull(dynamicPlatform, "dynamicPlatform");
      Objects.requireNonNull(cachedKeys, "cachedKeys");
      Objects.requireNonNull(smtEnabled, "smtEnabled");
    }
  }

  public PckExtensions {
    QuoteLayout.checkSize("ppid", ppid, 16);
    QuoteLayout.checkSize("cpuSvn", cpuSvn, 16);
    QuoteLayout.checkSize("pceId", pceId, 2);
    QuoteLayout.checkSize("fmspc", fmspc, 6);
    Objects.requireNonNull(platformInstanceId, "platformInstanceId");
    Objects.requireNonNull(configuration, "configuration");
    cpuSvnComponents = cpuSvnComponents.clone();
    if (cpuSvnComponents.length != COMPONENTS
        || Arrays.stream(cpuSvnComponents).anyMatch(c -> c >>> 8 != 0)) {
      throw new IllegalArgumentException("there are 16 TCB components of 0 to 255");
    }
    if (pceSvn >>> 16 != 0 || sgxType < 0 || sgxType > MAX_SGX_TYPE) {
      throw new IllegalArgumentException("PCESVN is 16 bits, SGX Type 0 to 2");
    }
    platformInstanceId.ifPresent(id -> QuoteLayout.checkSize("platformInstanceId", id, 16));
  }

  /** A copy of the 16 TCB component SVNs, Comp01 first. */
  @Override
  public int[] cpuSvnComponents() {
    return cpuSvnComponents.clone();
  }

  /** TCB component {@code n}, 1 to 16, as TCB info numbers them. */
  public int cpuSvnComponent(int n) {
    return cpuSvnComponents[n - 1];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PckExtensions e
        && ppid.equals(e.ppid) && Arrays.equals(cpuSvnComponents, e.cpuSvnComponents)
        && pceSvn == e.pceSvn && cpuSvn.equals(e.cpuSvn) && pceId.equals(e.pceId)
        && fmspc.equals(e.fmspc) && sgxType == e.sgxType
        && platformInstanceId.equals(e.platformInstanceId)
        && configuration.equals(e.configuration);
  }

  @Override
  public int hashCode() {
    return Objects.hash(ppid, Arrays.hashCode(cpuSvnComponents), pceSvn, cpuSvn, pceId, fmspc,
        sgxType, platformInstanceId, configuration);
  }

  @Override
  public String toString() {
    return "PckExtensions[fmspc=" + hex(fmspc) + ", pceId=" + hex(pceId) + ", pceSvn=" + pceSvn
        + ", cpuSvnComponents=" + Arrays.toString(cpuSvnComponents) + ", sgxType=" + sgxType
        + "]";
  }

  /**
   * Reads the SGX Extensions of a PCK certificate.
   *
   * @throws VerificationException {@link Failure#MALFORMED_EVIDENCE} if
   *     the extension is missing or is not exactly the profile's DER structure
   */
  public static PckExtensions read(X509Certificate pck) throws VerificationException {
    byte[] extension = pck.getExtensionValue(SGX_EXTENSIONS_OID);
    if (extension == null) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE,
          "the PCK certificate has no SGX Extensions (" + SGX_EXTENSIONS_OID + ")");
    }
    return parse(extension);
  }

  /** Reads the SGX Extensions from the DER OCTET STRING that holds the extension's value. */
  static PckExtensions parse(byte[] extension) throws VerificationException {
    DerReader wrapper = DerReader.of(extension, "the PCK certificate's SGX Extensions");
    byte[] value = wrapper.octetString();
    wrapper.requireEnd();
    DerReader outer = DerReader.of(value, "the PCK certificate's SGX Extensions");
    DerReader entries = outer.sequence();
    outer.requireEnd();

    ByteString ppid = ByteString.copyFrom(fixed(entry(entries, PPID).octetStringEnd(), 16,
        "PPID"));
    DerReader tcb = entry(entries, TCB).value().sequence();
    int[] components = new int[COMPONENTS];
    for (int i = 1; i <= COMPONENTS; i++) {
      Entry component = entry(tcb, TCB + "." + i);
      components[i - 1] = component.value().integer(255);
      component.value().requireEnd();
    }
    Entry pceSvnEntry = entry(tcb, TCB + "." + PCESVN_ENTRY);
    int pceSvn = pceSvnEntry.value().integer(0xffff);
    pceSvnEntry.value().requireEnd();
    byte[] cpuSvn = fixed(entry(tcb, TCB + "." + CPUSVN_ENTRY).octetStringEnd(), 16, "CPUSVN");
    tcb.requireEnd();
    byte[] pceId = fixed(entry(entries, PCE_ID).octetStringEnd(), 2, "PCE-ID");
    byte[] fmspc = fixed(entry(entries, FMSPC).octetStringEnd(), 6, "FMSPC");
    Entry sgxTypeEntry = entry(entries, SGX_TYPE);
    int sgxType = sgxTypeEntry.value().enumerated(MAX_SGX_TYPE);
    sgxTypeEntry.value().requireEnd();

    Optional<ByteString> platformInstanceId = Optional.empty();
    if (nextIs(entries, PLATFORM_INSTANCE_ID)) {
      platformInstanceId = Optional.of(ByteString.copyFrom(fixed(
          entry(entries, PLATFORM_INSTANCE_ID).octetStringEnd(), 16, "Platform Instance ID")));
    }
    Optional<PlatformConfiguration> configuration = Optional.empty();
    if (nextIs(entries, CONFIGURATION)) {
      DerReader flags = entry(entries, CONFIGURATION).value().sequence();
      configuration = Optional.of(new PlatformConfiguration(flag(flags, CONFIGURATION + ".1"),
          flag(flags, CONFIGURATION + ".2"), flag(flags, CONFIGURATION + ".3")));
      flags.requireEnd();
    }
    entries.requireEnd();
    return new PckExtensions(ppid, components, pceSvn, ByteString.copyFrom(cpuSvn),
        ByteString.copyFrom(pceId), ByteString.copyFrom(fmspc), sgxType, platformInstanceId,
        configuration);
  }

  /** One (OID, value) pair; {@link #value()} reads what follows the OID. */
  private record Entry(DerReader value) {
    byte[] octetStringEnd() throws VerificationException {
      byte[] v = value.octetString();
      value.requireEnd();
      return v;
    }
  }

  private static Entry entry(DerReader in, String oid) throws VerificationException {
    DerReader pair = in.sequence();
    String actual = pair.oid();
    if (!actual.equals(oid)) {
      throw QuoteReader.malformed("the PCK certificate's SGX Extensions have " + actual
          + " where " + oid + " belongs");
    }
    return new Entry(pair);
  }

  /** True if the next entry exists and names {@code oid}; the entry is not consumed. */
  private static boolean nextIs(DerReader in, String oid) throws VerificationException {
    if (!in.hasMore()) {
      return false;
    }
    DerReader probe = in.copy().sequence();
    return probe.oid().equals(oid);
  }

  private static Optional<Boolean> flag(DerReader in, String oid) throws VerificationException {
    if (!nextIs(in, oid)) {
      return Optional.empty();
    }
    Entry e = entry(in, oid);
    boolean value = e.value().booleanValue();
    e.value().requireEnd();
    return Optional.of(value);
  }

  private static byte[] fixed(byte[] value, int size, String name)
      throws VerificationException {
    if (value.length != size) {
      throw QuoteReader.malformed("the PCK certificate's " + name + " is " + value.length
          + " bytes, not " + size);
    }
    return value;
  }

  private static String hex(ByteString b) {
    return HexFormat.of().formatHex(b.toByteArray());
  }
}
