package org.certifier.testing.intel;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.certifier.testing.intel.FakeIntelDcap.PckCa;
import org.certifier.testing.intel.FakeIntelDcap.Tee;

/**
 * TCB info (version 3), QE identity (version 2) and the CRLs of one TEE for a
 * {@link FakeIntelDcap} platform, in the Intel PCS API v4 shapes (Appendix A "TCB Info", B
 * "Enclave Identity"): JSON objects with the fields in Intel's order, compact as the PCS serves
 * them, each signed with ECDSA P-256 SHA-256 over its exact UTF-8 text by the TCB signing key
 * (signature r || s in hex). Defaults make a platform whose TCB, TDX module and QE are up to
 * date at {@link FakeIntelDcap#TIME}.
 */
public final class CollateralBuilder {
  private static final String TCB_DATE = "2025-11-12T00:00:00Z";

  /**
   * One TCB level: the minimum SGX component SVNs and PCESVN (and for TDX the TEE_TCB_SVN
   * components) for a status, e.g. {@code UpToDate}, {@code OutOfDate},
   * {@code SWHardeningNeeded}, {@code ConfigurationAndSWHardeningNeeded}, {@code Revoked}.
   */
  public record TcbLevel(byte[] sgxComponents, int pceSvn, byte[] tdxComponents,
      String tcbDate, String tcbStatus, List<String> advisoryIds) {
    public TcbLevel {
      sgxComponents = FakeIntelDcap.sized(sgxComponents, 16, "sgxtcbcomponents");
      tdxComponents = FakeIntelDcap.sized(tdxComponents, 16, "tdxtcbcomponents");
      advisoryIds = List.copyOf(advisoryIds);
    }
  }

  /** One level of a QE identity or TDX module identity: minimum ISVSVN for a status. */
  public record IsvTcbLevel(int isvSvn, String tcbDate, String tcbStatus,
      List<String> advisoryIds) {
    public IsvTcbLevel {
      advisoryIds = List.copyOf(advisoryIds);
    }
  }

  /** A TDX module identity ({@code TDX_01}, ...): its levels by the module's ISVSVN. */
  public record TdxModuleIdentity(String id, List<IsvTcbLevel> tcbLevels) {
    public TdxModuleIdentity {
      tcbLevels = List.copyOf(tcbLevels);
    }
  }

  private final FakeIntelDcap dcap;
  private final Tee tee;
  private Instant issueDate = FakeIntelDcap.ISSUE_DATE;
  private Instant nextUpdate = FakeIntelDcap.NEXT_UPDATE;
  private Instant crlThisUpdate = FakeIntelDcap.ISSUE_DATE;
  private Instant crlNextUpdate = FakeIntelDcap.NEXT_UPDATE;
  private int tcbEvaluationDataNumber = 17;
  private String fmspc;
  private List<TcbLevel> tcbLevels;
  private List<TdxModuleIdentity> moduleIdentities;
  private List<IsvTcbLevel> qeTcbLevels;
  private List<BigInteger> revokedPck = List.of();
  private List<BigInteger> revokedCa = List.of();
  private PrivateKey signingKey;

  CollateralBuilder(FakeIntelDcap dcap, Tee tee) {
    this.dcap = dcap;
    this.tee = tee;
    this.fmspc = dcap.fmspcHex();
    this.tcbLevels = List.of(dcap.platformTcbLevel("UpToDate"));
    byte[] teeTcbSvn = dcap.teeTcbSvn();
    this.moduleIdentities = List.of(new TdxModuleIdentity(
        String.format("TDX_%02X", teeTcbSvn[1] & 0xff),
        List.of(new IsvTcbLevel(teeTcbSvn[0] & 0xff, TCB_DATE, "UpToDate", List.of()))));
    this.qeTcbLevels = List.of(new IsvTcbLevel(dcap.qeSvn(), TCB_DATE, "UpToDate", List.of()));
    this.signingKey = dcap.tcbSigningKey();
  }

  /** issueDate and nextUpdate of TCB info and QE identity. */
  public CollateralBuilder validity(Instant issued, Instant next) {
    issueDate = issued.truncatedTo(ChronoUnit.SECONDS);
    nextUpdate = next.truncatedTo(ChronoUnit.SECONDS);
    return this;
  }

  /** thisUpdate and nextUpdate of both CRLs. */
  public CollateralBuilder crlValidity(Instant thisUpdate, Instant next) {
    crlThisUpdate = thisUpdate;
    crlNextUpdate = next;
    return this;
  }

  public CollateralBuilder tcbEvaluationDataNumber(int value) {
    tcbEvaluationDataNumber = value;
    return this;
  }

  /** TCB info for another FMSPC than the platform's (upper-case hex, 12 digits). */
  public CollateralBuilder fmspc(String hex) {
    fmspc = Objects.requireNonNull(hex, "hex");
    return this;
  }

  /** The TCB levels, highest first as Intel orders them. */
  public CollateralBuilder tcbLevels(TcbLevel... levels) {
    tcbLevels = List.of(levels);
    return this;
  }

  /** TDX only: the TDX module identities (default: the platform's module, up to date). */
  public CollateralBuilder tdxModuleIdentities(TdxModuleIdentity... identities) {
    moduleIdentities = List.of(identities);
    return this;
  }

  /** The QE identity's TCB levels, highest first. */
  public CollateralBuilder qeTcbLevels(IsvTcbLevel... levels) {
    qeTcbLevels = List.of(levels);
    return this;
  }

  /** PCK certificate serials the PCK CA's CRL lists as revoked. */
  public CollateralBuilder revokedPckSerials(BigInteger... serials) {
    revokedPck = List.of(serials);
    return this;
  }

  /** CA certificate serials the root CA CRL lists as revoked. */
  public CollateralBuilder revokedCaSerials(BigInteger... serials) {
    revokedCa = List.of(serials);
    return this;
  }

  /** Signs TCB info and QE identity with another key than the TCB signing key. */
  public CollateralBuilder signedWith(PrivateKey key) {
    signingKey = Objects.requireNonNull(key, "key");
    return this;
  }

  public Collateral build() {
    String tcbInfo = tcbInfoJson();
    String qeIdentity = qeIdentityJson();
    PckCa ca = dcap.pckCa();
    return new Collateral(tee, fmspc, ca, tcbInfo, sign(tcbInfo), qeIdentity, sign(qeIdentity),
        dcap.tcbSigningChainPem(), dcap.pckCrlIssuerChainPem(ca),
        dcap.rootCrl(crlThisUpdate, crlNextUpdate, revokedCa),
        dcap.pckCrl(ca, crlThisUpdate, crlNextUpdate, revokedPck),
        dcap.pckCrl(other(ca), crlThisUpdate, crlNextUpdate, List.of()),
        dcap.pckCrlIssuerChainPem(other(ca)));
  }

  private static PckCa other(PckCa ca) {
    return ca == PckCa.PLATFORM ? PckCa.PROCESSOR : PckCa.PLATFORM;
  }

  private String sign(String json) {
    return HexFormat.of().formatHex(
        IntelCertificates.signRaw(signingKey, json.getBytes(StandardCharsets.UTF_8)));
  }

  private String tcbInfoJson() {
    StringBuilder out = new StringBuilder("{");
    field(out, "id", tee.tcbInfoId()).append(',');
    out.append("\"version\":3,");
    field(out, "issueDate", issueDate.toString()).append(',');
    field(out, "nextUpdate", nextUpdate.toString()).append(',');
    field(out, "fmspc", fmspc).append(',');
    field(out, "pceId", "0000").append(',');
    out.append("\"tcbType\":0,\"tcbEvaluationDataNumber\":").append(tcbEvaluationDataNumber);
    if (tee == Tee.TDX) {
      out.append(",\"tdxModule\":");
      moduleFields(out.append('{')).append('}');
      out.append(",\"tdxModuleIdentities\":[");
      for (int i = 0; i < moduleIdentities.size(); i++) {
        TdxModuleIdentity identity = moduleIdentities.get(i);
        out.append(i == 0 ? "{" : ",{");
        field(out, "id", identity.id()).append(',');
        moduleFields(out).append(",\"tcbLevels\":");
        isvLevels(out, identity.tcbLevels()).append('}');
      }
      out.append(']');
    }
    out.append(",\"tcbLevels\":[");
    for (int i = 0; i < tcbLevels.size(); i++) {
      TcbLevel level = tcbLevels.get(i);
      out.append(i == 0 ? "" : ",").append("{\"tcb\":{\"sgxtcbcomponents\":");
      components(out, level.sgxComponents()).append(",\"pcesvn\":").append(level.pceSvn());
      if (tee == Tee.TDX) {
        components(out.append(",\"tdxtcbcomponents\":"), level.tdxComponents());
      }
      out.append("},");
      status(out, level.tcbDate(), level.tcbStatus(), level.advisoryIds()).append('}');
    }
    return out.append("]}").toString();
  }

  private String qeIdentityJson() {
    StringBuilder out = new StringBuilder("{");
    field(out, "id", tee.qeIdentityId()).append(',');
    out.append("\"version\":2,");
    field(out, "issueDate", issueDate.toString()).append(',');
    field(out, "nextUpdate", nextUpdate.toString()).append(',');
    out.append("\"tcbEvaluationDataNumber\":").append(tcbEvaluationDataNumber).append(',');
    field(out, "miscselect", "00000000").append(',');
    field(out, "miscselectMask", "FFFFFFFF").append(',');
    field(out, "attributes", "11000000000000000000000000000000").append(',');
    field(out, "attributesMask", "FBFFFFFFFFFFFFFF0000000000000000").append(',');
    field(out, "mrsigner", FakeIntelDcap.upperHex(tee.qeMrSigner())).append(',');
    out.append("\"isvprodid\":").append(tee.qeProdId()).append(",\"tcbLevels\":");
    return isvLevels(out, qeTcbLevels).append('}').toString();
  }

  /** The TDX module's signer and attributes: Intel's are all zero, mask all ones. */
  private static StringBuilder moduleFields(StringBuilder out) {
    field(out, "mrsigner", "0".repeat(96)).append(',');
    field(out, "attributes", "0000000000000000").append(',');
    return field(out, "attributesMask", "FFFFFFFFFFFFFFFF");
  }

  private static StringBuilder isvLevels(StringBuilder out, List<IsvTcbLevel> levels) {
    out.append('[');
    for (int i = 0; i < levels.size(); i++) {
      IsvTcbLevel level = levels.get(i);
      out.append(i == 0 ? "" : ",").append("{\"tcb\":{\"isvsvn\":").append(level.isvSvn())
          .append("},");
      status(out, level.tcbDate(), level.tcbStatus(), level.advisoryIds()).append('}');
    }
    return out.append(']');
  }

  /** Intel omits {@code advisoryIDs} where a level has none. */
  private static StringBuilder status(StringBuilder out, String date, String status,
      List<String> advisories) {
    field(out, "tcbDate", date).append(',');
    field(out, "tcbStatus", status);
    if (!advisories.isEmpty()) {
      out.append(",\"advisoryIDs\":[");
      for (int i = 0; i < advisories.size(); i++) {
        out.append(i == 0 ? "\"" : ",\"").append(advisories.get(i)).append('"');
      }
      out.append(']');
    }
    return out;
  }

  private static StringBuilder components(StringBuilder out, byte[] svns) {
    out.append('[');
    for (int i = 0; i < svns.length; i++) {
      out.append(i == 0 ? "" : ",").append("{\"svn\":").append(svns[i] & 0xff).append('}');
    }
    return out.append(']');
  }

  private static StringBuilder field(StringBuilder out, String name, String value) {
    return out.append('"').append(name).append("\":\"").append(value).append('"');
  }
}
