package org.certifier.verifiers.dcap.collateral;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.certifier.evidence.VerificationException;

/**
 * Intel's identity of one of its architectural enclaves (the SGX quoting enclave QE, the TDX
 * quoting enclave TD_QE, or the quote verification enclave QVE), read from the exact signed
 * text of the {@code enclaveIdentity} object of the Intel PCS API v4 ("Enclave Identity V2").
 *
 * @param id which enclave
 * @param version 2, the only version with TCB levels
 * @param issueDate when Intel issued this identity
 * @param nextUpdate when the next one will be issued; after this the identity is expired
 * @param tcbEvaluationDataNumber the TCB recovery event this identity reflects
 * @param miscselect the expected MISCSELECT after masking; the JSON's 4 hex bytes read as a
 *     big-endian number, compared with the report's (little-endian) MISCSELECT value
 * @param miscselectMask the MISCSELECT bits that are compared
 * @param attributes the expected 16 ATTRIBUTES bytes after masking, in report byte order
 * @param attributesMask the ATTRIBUTES bits that are compared
 * @param mrSigner the expected 32-byte MRSIGNER
 * @param isvProdId the expected ISVPRODID
 * @param tcbLevels the levels by ISVSVN, highest first, as Intel orders them
 */
public record EnclaveIdentity(
    Id id,
    int version,
    Instant issueDate,
    Instant nextUpdate,
    int tcbEvaluationDataNumber,
    long miscselect,
    long miscselectMask,
    ByteString attributes,
    ByteString attributesMask,
    ByteString mrSigner,
    int isvProdId,
    List<IdentityTcbLevel> tcbLevels) {

  /** Which enclave, with the JSON id in the comments. */
  public enum Id {
    /** "QE", the SGX ECDSA quoting enclave. */
    QE,
    /** "TD_QE", the TDX quoting enclave. */
    TD_QE,
    /** "QVE", the quote verification enclave. */
    QVE
  }

  public EnclaveIdentity {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(issueDate, "issueDate");
    Objects.requireNonNull(nextUpdate, "nextUpdate");
    tcbLevels = List.copyOf(tcbLevels);
  }

  /**
   * Parses the exact text of an {@code enclaveIdentity} object. Unknown members, versions,
   * ids and statuses, and values of the wrong size or range, are
   * {@link org.certifier.evidence.Failure#MALFORMED_EVIDENCE}.
   */
  public static EnclaveIdentity parse(String json) throws VerificationException {
    Fields f = Fields.parse(json, "enclaveIdentity");
    String idText = f.string("id");
    Id id = switch (idText) {
      case "QE" -> Id.QE;
      case "TD_QE" -> Id.TD_QE;
      case "QVE" -> Id.QVE;
      default -> throw Fields.malformed("enclave identity id \"" + Fields.abbreviate(idText)
          + "\" is not QE, TD_QE or QVE");
    };
    int version = (int) f.integer("version", 2, 2);
    EnclaveIdentity identity = new EnclaveIdentity(id, version, f.date("issueDate"),
        f.date("nextUpdate"), (int) f.integer("tcbEvaluationDataNumber", 0, Integer.MAX_VALUE),
        u32(f.hex("miscselect", 4)), u32(f.hex("miscselectMask", 4)), f.hex("attributes", 16),
        f.hex("attributesMask", 16), f.hex("mrsigner", 32), f.u16("isvprodid"),
        IdentityTcbLevel.parseAll(f.array("tcbLevels"), "enclaveIdentity.tcbLevels"));
    f.done();
    return identity;
  }

  private static long u32(ByteString bytes) {
    return Integer.toUnsignedLong(ByteBuffer.wrap(bytes.toByteArray()).getInt());
  }
}
