package org.certifier.verifiers.intel;

import static org.certifier.verifiers.ObservedProperties.equalTo;

import com.google.protobuf.ByteString;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.certifier.policy.PlatformProperties;
import org.certifier.proto.platform;
import org.certifier.proto.properties;
import org.certifier.proto.property;
import org.certifier.verifiers.dcap.DcapAppraisal;
import org.certifier.verifiers.dcap.EnclaveReportBody;
import org.certifier.verifiers.dcap.PckExtensions;
import org.certifier.verifiers.dcap.TdReportBody;
import org.certifier.verifiers.dcap.collateral.TcbVerdict;

/**
 * Describes an appraised Intel quote in the reference's platform-property vocabulary, so that a
 * policy decides about it with {@code platform[intel-tdx, ...]} or {@code platform[sgx, ...]
 * has-trusted-platform-property} templates, as for SEV-SNP (docs/policy.md, docs/platforms.md).
 *
 * <p>Every platform first reports what a policy must decide about:
 * <ul>
 *   <li>{@code debug} ({@code yes}/{@code no}): TDATTRIBUTES.DEBUG of the TD, ATTRIBUTES.DEBUG
 *       of the enclave. Guarded: refused unless a template names it;</li>
 *   <li>{@code tcb-status}: Intel's graded status of platform, QE and TDX module merged, by its
 *       JSON name ({@code UpToDate}, {@code SWHardeningNeeded}, ...). Guarded: only
 *       {@code UpToDate} unless a template names it, e.g. {@code tcb-status in
 *       UpToDate,SWHardeningNeeded};</li>
 *   <li>{@code advisory-ids}: the advisories of that verdict, comma-separated in Intel's
 *       order, empty if none. Guarded: none unless a template names it.</li>
 * </ul>
 * then the TCB, each component an int with comparator {@code =} so that a template can demand
 * a minimum per component ({@code >=}):
 * <ul>
 *   <li>{@code cpu-svn-0} to {@code cpu-svn-15}: the SGX TCB components (Comp01 to Comp16) and
 *       {@code pce-svn}: PCESVN, both from the PCK certificate, the TCB Intel certified and
 *       graded (a report's raw CPUSVN is not comparable component by component);</li>
 *   <li>{@code qe-svn}: ISVSVN of the quoting enclave's report, which signed the quote;</li>
 * </ul>
 * then what the TD or enclave is:
 * <ul>
 *   <li>{@code intel-tdx}: {@code tee-tcb-svn-0} to {@code tee-tcb-svn-15} (TEE_TCB_SVN: byte 0
 *       the TDX module's SVN, byte 1 its major version), {@code td-attributes}, {@code xfam}
 *       (ints, the 64-bit little-endian fields), {@code mrseam}, {@code mrsigner-seam},
 *       {@code mrconfigid}, {@code mrowner}, {@code mrownerconfig}, {@code rtmr0} to
 *       {@code rtmr3} (lower-case hex strings). MRTD is the environment's measurement.</li>
 *   <li>{@code sgx}: {@code mrsigner} (hex), {@code isv-prod-id}, {@code isv-svn},
 *       {@code config-svn}, {@code attributes} (the flags half of ATTRIBUTES), {@code xfrm},
 *       {@code misc-select} (ints). MRENCLAVE is the environment's measurement.</li>
 * </ul>
 * No platform carries an attestation key (see {@link GramineEvidenceVerifier} for why the
 * Gramine platform certificate is not one).
 */
public final class IntelProperties {
  /** The platform type of TDX trust domains (ours: the reference has no TDX). */
  public static final String TDX_PLATFORM_TYPE = "intel-tdx";
  /** The platform type of SGX enclaves, as the reference's extended Gramine names it. */
  public static final String SGX_PLATFORM_TYPE = "sgx";
  private static final int COMPONENTS = 16;

  private IntelProperties() {}

  /** The observed platform of an appraised TDX quote. */
  public static platform tdx(DcapAppraisal.Result result) {
    TdReportBody td = (TdReportBody) result.quote().body();
    properties.Builder props = common(result, td.debug());
    for (int i = 0; i < COMPONENTS; i++) {
      props.addProps(equalTo("tee-tcb-svn-" + i, td.teeTcbSvn().byteAt(i) & 0xff));
    }
    props.addProps(equalTo("td-attributes", u64(td.tdAttributes())))
        .addProps(equalTo("xfam", u64(td.xfam())))
        .addProps(hex("mrseam", td.mrSeam()))
        .addProps(hex("mrsigner-seam", td.mrSignerSeam()))
        .addProps(hex("mrconfigid", td.mrConfigId()))
        .addProps(hex("mrowner", td.mrOwner()))
        .addProps(hex("mrownerconfig", td.mrOwnerConfig()));
    for (int i = 0; i < td.rtmrs().size(); i++) {
      props.addProps(hex("rtmr" + i, td.rtmr(i)));
    }
    return platform(TDX_PLATFORM_TYPE, props);
  }

  /** The observed platform of an appraised SGX quote. */
  public static platform sgx(DcapAppraisal.Result result) {
    EnclaveReportBody enclave = (EnclaveReportBody) result.quote().body();
    properties.Builder props = common(result, enclave.debug())
        .addProps(hex("mrsigner", enclave.mrSigner()))
        .addProps(equalTo("isv-prod-id", enclave.isvProdId()))
        .addProps(equalTo("isv-svn", enclave.isvSvn()))
        .addProps(equalTo("config-svn", enclave.configSvn()))
        .addProps(equalTo("attributes", enclave.flags()))
        .addProps(equalTo("xfrm", enclave.xfrm()))
        .addProps(equalTo("misc-select", enclave.miscSelect()));
    return platform(SGX_PLATFORM_TYPE, props);
  }

  private static properties.Builder common(DcapAppraisal.Result result, boolean debug) {
    TcbVerdict verdict = result.verdict();
    PckExtensions pck = result.quote().pckExtensions();
    properties.Builder props = properties.newBuilder()
        .addProps(equalTo(PlatformProperties.DEBUG, debug ? "yes" : "no"))
        .addProps(equalTo(PlatformProperties.TCB_STATUS, verdict.status().jsonName()))
        .addProps(equalTo(PlatformProperties.ADVISORY_IDS,
            String.join(",", verdict.advisoryIds())));
    for (int i = 0; i < COMPONENTS; i++) {
      props.addProps(equalTo("cpu-svn-" + i, pck.cpuSvnComponent(i + 1)));
    }
    return props.addProps(equalTo("pce-svn", pck.pceSvn()))
        .addProps(equalTo("qe-svn", result.quote().qeReport().isvSvn()));
  }

  private static platform platform(String type, properties.Builder props) {
    return platform.newBuilder().setPlatformType(type).setHasKey(false).setProps(props).build();
  }

  private static long u64(ByteString eightBytes) {
    return eightBytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  private static property hex(String name, ByteString value) {
    return equalTo(name, HexFormat.of().formatHex(value.toByteArray()));
  }
}
