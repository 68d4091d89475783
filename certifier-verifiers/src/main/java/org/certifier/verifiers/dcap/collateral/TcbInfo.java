package org.certifier.verifiers.dcap.collateral;

import com.google.protobuf.ByteString;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.certifier.evidence.VerificationException;
import org.certifier.json.JsonReader;

/**
 * Intel's TCB Info for one FMSPC: which combinations of CPU, PCE and (TDX) module SVNs have
 * which TCB status. Read from the exact signed text of the {@code tcbInfo} object, as defined
 * by the Intel PCS API v4 ("TCB Info V2" for SGX, "TCB Info V3" for SGX and TDX).
 *
 * @param id SGX or TDX (version 2 has no id and is always SGX)
 * @param version 2 or 3
 * @param issueDate when Intel issued this TCB info
 * @param nextUpdate when the next one will be issued; after this the info is expired
 * @param fmspc the 6-byte FMSPC of the platforms it describes
 * @param pceId the 2-byte PCE ID of the platforms it describes
 * @param tcbType 0, the only type Intel defines (CPUSVN bytes are the SGX components)
 * @param tcbEvaluationDataNumber the TCB recovery event this info reflects
 * @param tdxModule TDX only: the TDX module signer and attributes for module major version 0
 * @param tdxModuleIdentities TDX only and optional: identities and TCB levels per module major
 *     version, {@code TDX_01}, {@code TDX_03}, ...
 * @param tcbLevels the levels, highest first, as Intel orders them
 */
public record TcbInfo(
    Id id,
    int version,
    Instant issueDate,
    Instant nextUpdate,
    ByteString fmspc,
    ByteString pceId,
    int tcbType,
    int tcbEvaluationDataNumber,
    Optional<TdxModule> tdxModule,
    List<TdxModuleIdentity> tdxModuleIdentities,
    List<Level> tcbLevels) {

  /** Number of SGX TCB components (the 16 CPUSVN bytes) and of TDX TCB components. */
  public static final int COMPONENTS = 16;

  private static final Pattern MODULE_ID = Pattern.compile("TDX_[0-9A-Fa-f]{2}");

  /** The TEE this TCB info is for. */
  public enum Id {
    SGX,
    TDX
  }

  /**
   * One TCB level: a platform whose SVNs are all at least these has this status.
   *
   * @param sgxComponents the 16 SGX TCB component SVNs (0..255)
   * @param pceSvn the PCE SVN
   * @param tdxComponents TDX only: the 16 TDX TCB component SVNs, compared with TEE_TCB_SVN
   * @param tcbDate the date of the TCB recovery this level belongs to
   * @param status the level's status
   * @param advisoryIds Intel security advisories that apply to this level
   */
  public record Level(List<Integer> sgxComponents, int pceSvn,
      Optional<List<Integer>> tdxComponents, Instant tcbDate, TcbStatus status,
      List<String> advisoryIds) {
    public Level {
      sgxComponents = List.copyOf(sgxComponents);
      tdxComponents = tdxComponents.map(List::copyOf);
      Objects.requireNonNull(tcbDate, "tcbDate");
      Objects.requireNonNull(status, "status");
      advisoryIds = List.copyOf(advisoryIds);
    }
  }

  /** The TDX module signer and SEAM attributes (with mask) for module major version 0. */
  public record TdxModule(ByteString mrSigner, ByteString attributes,
      ByteString attributesMask) {}

  /**
   * A TDX module identity for one module major version.
   *
   * @param id {@code TDX_} and the major version as two hex digits
   */
  public record TdxModuleIdentity(String id, ByteString mrSigner, ByteString attributes,
      ByteString attributesMask, List<IdentityTcbLevel> tcbLevels) {
    public TdxModuleIdentity {
      tcbLevels = List.copyOf(tcbLevels);
    }
  }

  public TcbInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(issueDate, "issueDate");
    Objects.requireNonNull(nextUpdate, "nextUpdate");
    Objects.requireNonNull(tdxModule, "tdxModule");
    tdxModuleIdentities = List.copyOf(tdxModuleIdentities);
    tcbLevels = List.copyOf(tcbLevels);
  }

  /** The module identity for a TDX module major version, if the TCB info has one. */
  public Optional<TdxModuleIdentity> moduleIdentity(int majorVersion) {
    String wanted = String.format(Locale.ROOT, "TDX_%02X", majorVersion);
    return tdxModuleIdentities.stream().filter(m -> m.id().equalsIgnoreCase(wanted)).findFirst();
  }

  /**
   * Parses the exact text of a {@code tcbInfo} object. Unknown members, versions, ids, TCB
   * types and statuses, and values of the wrong size or range, are
   * {@link org.certifier.evidence.Failure#MALFORMED_EVIDENCE}.
   */
  public static TcbInfo parse(String json) throws VerificationException {
    Fields f = Fields.parse(json, "tcbInfo");
    int version = (int) f.integer("version", 0, Integer.MAX_VALUE);
    if (version != 2 && version != 3) {
      throw Fields.malformed("TCB info version " + version + " is not 2 or 3");
    }
    Id id = Id.SGX;
    if (version == 3) {
      String text = f.string("id");
      id = switch (text) {
        case "SGX" -> Id.SGX;
        case "TDX" -> Id.TDX;
        default -> throw Fields.malformed("TCB info id \"" + Fields.abbreviate(text)
            + "\" is not SGX or TDX");
      };
    }
    Instant issueDate = f.date("issueDate");
    Instant nextUpdate = f.date("nextUpdate");
    ByteString fmspc = f.hex("fmspc", 6);
    ByteString pceId = f.hex("pceId", 2);
    int tcbType = (int) f.integer("tcbType", 0, 0);
    int evaluationNumber = (int) f.integer("tcbEvaluationDataNumber", 0, Integer.MAX_VALUE);
    Optional<TdxModule> tdxModule = Optional.empty();
    List<TdxModuleIdentity> identities = List.of();
    if (id == Id.TDX) {
      tdxModule = Optional.of(parseModule(f.fields("tdxModule")));
      if (f.has("tdxModuleIdentities")) {
        identities = parseIdentities(f.array("tdxModuleIdentities"));
      }
    }
    List<JsonReader.Value> levelValues = f.array("tcbLevels");
    if (levelValues.isEmpty()) {
      throw Fields.malformed("tcbInfo.tcbLevels is empty");
    }
    List<Level> levels = new ArrayList<>();
    for (int i = 0; i < levelValues.size(); i++) {
      levels.add(parseLevel(levelValues.get(i), version, id, "tcbInfo.tcbLevels[" + i + "]"));
    }
    f.done();
    return new TcbInfo(id, version, issueDate, nextUpdate, fmspc, pceId, tcbType,
        evaluationNumber, tdxModule, identities, levels);
  }

  // {"mrsigner": 48 bytes hex, "attributes": 8 bytes hex, "attributesMask": 8 bytes hex}
  private static TdxModule parseModule(Fields m) throws VerificationException {
    TdxModule module = new TdxModule(m.hex("mrsigner", 48), m.hex("attributes", 8),
        m.hex("attributesMask", 8));
    m.done();
    return module;
  }

  private static List<TdxModuleIdentity> parseIdentities(List<JsonReader.Value> values)
      throws VerificationException {
    List<TdxModuleIdentity> identities = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < values.size(); i++) {
      String where = "tcbInfo.tdxModuleIdentities[" + i + "]";
      Fields m = Fields.of(values.get(i), where);
      String id = m.string("id");
      if (!MODULE_ID.matcher(id).matches() || !ids.add(id.toUpperCase(Locale.ROOT))) {
        throw Fields.malformed(where + ".id \"" + Fields.abbreviate(id)
            + "\" is not a new TDX_xx identity");
      }
      identities.add(new TdxModuleIdentity(id, m.hex("mrsigner", 48), m.hex("attributes", 8),
          m.hex("attributesMask", 8),
          IdentityTcbLevel.parseAll(m.array("tcbLevels"), where + ".tcbLevels")));
      m.done();
    }
    return identities;
  }

  private static Level parseLevel(JsonReader.Value value, int version, Id id, String where)
      throws VerificationException {
    Fields level = Fields.of(value, where);
    Fields tcb = level.fields("tcb");
    List<Integer> sgx = new ArrayList<>();
    Optional<List<Integer>> tdx = Optional.empty();
    if (version == 2) {
      // TCB Info V2: "sgxtcbcomp01svn" .. "sgxtcbcomp16svn" next to "pcesvn".
      for (int i = 1; i <= COMPONENTS; i++) {
        sgx.add(tcb.u8(String.format(Locale.ROOT, "sgxtcbcomp%02dsvn", i)));
      }
    } else {
      // TCB Info V3: "sgxtcbcomponents" (and for TDX "tdxtcbcomponents"), 16 entries each.
      sgx = components(tcb.array("sgxtcbcomponents"), where + ".tcb.sgxtcbcomponents");
      if (id == Id.TDX) {
        tdx = Optional.of(components(tcb.array("tdxtcbcomponents"),
            where + ".tcb.tdxtcbcomponents"));
      }
    }
    int pceSvn = tcb.u16("pcesvn");
    tcb.done();
    Level parsed = new Level(sgx, pceSvn, tdx, level.date("tcbDate"),
        level.status("tcbStatus", EnumSet.allOf(TcbStatus.class)), level.advisoryIds());
    level.done();
    return parsed;
  }

  // Each entry is {"svn": 0..255, "category": "...", "type": "..."}; the two strings are
  // descriptive and optional.
  private static List<Integer> components(List<JsonReader.Value> values, String where)
      throws VerificationException {
    if (values.size() != COMPONENTS) {
      throw Fields.malformed(where + " has " + values.size() + " entries, not " + COMPONENTS);
    }
    List<Integer> svns = new ArrayList<>();
    for (int i = 0; i < COMPONENTS; i++) {
      Fields c = Fields.of(values.get(i), where + "[" + i + "]");
      svns.add(c.u8("svn"));
      if (c.has("category")) {
        c.string("category");
      }
      if (c.has("type")) {
        c.string("type");
      }
      c.done();
    }
    return svns;
  }
}
