package org.certifier.verifiers.dcap.collateral;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.certifier.evidence.VerificationException;
import org.certifier.json.JsonReader;

/**
 * One TCB level of an Enclave Identity (QE, TD_QE, QVE) or of a TDX module identity: an
 * enclave or module whose ISVSVN is at least {@code isvSvn} has this status.
 *
 * @param isvSvn the lowest ISVSVN of the level
 * @param tcbDate the date of the TCB recovery this level belongs to
 * @param status UpToDate, OutOfDate or Revoked (the only statuses these schemas allow)
 * @param advisoryIds Intel security advisories that apply to this level
 */
public record IdentityTcbLevel(int isvSvn, Instant tcbDate, TcbStatus status,
    List<String> advisoryIds) {

  public IdentityTcbLevel {
    Objects.requireNonNull(tcbDate, "tcbDate");
    Objects.requireNonNull(status, "status");
    advisoryIds = List.copyOf(advisoryIds);
  }

  // PCS API v4, Enclave Identity V2 and TDX module identities in TCB Info V3:
  // {"tcb":{"isvsvn":N},"tcbDate":"...","tcbStatus":"...","advisoryIDs":[...]?}
  static IdentityTcbLevel parse(JsonReader.Value value, String where) throws VerificationException {
    Fields level = Fields.of(value, where);
    Fields tcb = level.fields("tcb");
    int isvSvn = tcb.u16("isvsvn");
    tcb.done();
    IdentityTcbLevel parsed = new IdentityTcbLevel(isvSvn, level.date("tcbDate"),
        level.status("tcbStatus", TcbStatus.IDENTITY_STATUSES), level.advisoryIds());
    level.done();
    return parsed;
  }

  static List<IdentityTcbLevel> parseAll(List<JsonReader.Value> values, String where)
      throws VerificationException {
    if (values.isEmpty()) {
      throw Fields.malformed(where + " is empty");
    }
    IdentityTcbLevel[] levels = new IdentityTcbLevel[values.size()];
    for (int i = 0; i < levels.length; i++) {
      levels[i] = parse(values.get(i), where + "[" + i + "]");
    }
    return List.of(levels);
  }
}
