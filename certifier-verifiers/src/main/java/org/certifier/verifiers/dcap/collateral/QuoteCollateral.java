package org.certifier.verifiers.dcap.collateral;

import com.google.protobuf.ByteString;
import java.util.Objects;
import org.certifier.evidence.VerificationException;
import org.certifier.json.JsonReader;

/**
 * The collateral that decides whether an Intel SGX or TDX quote's platform is trusted, exactly
 * as Intel issued it and not yet checked: {@link CollateralVerifier} checks it. The fields are
 * those of Phala's dcap-qvl {@code QuoteCollateralV3} JSON, which is also what Intel's PCS and
 * a PCCS hand out piece by piece.
 *
 * @param pckCrlIssuerChain PEM: the PCK CA (Processor or Platform) that signs the PCK CRL, then
 *     the Intel SGX Root CA
 * @param rootCaCrl DER: the Intel SGX Root CA's CRL
 * @param pckCrl DER: the PCK CA's CRL
 * @param tcbInfoIssuerChain PEM: the Intel SGX TCB Signing certificate, then the root
 * @param tcbInfo the exact signed text of the {@code tcbInfo} object
 * @param tcbInfoSignature ECDSA P-256 signature over the UTF-8 bytes of {@code tcbInfo}, as the
 *     64 bytes r||s
 * @param qeIdentityIssuerChain PEM: the certificate that signs the QE identity, then the root
 * @param qeIdentity the exact signed text of the {@code enclaveIdentity} object
 * @param qeIdentitySignature ECDSA P-256 signature over {@code qeIdentity}, r||s
 */
public record QuoteCollateral(
    String pckCrlIssuerChain,
    ByteString rootCaCrl,
    ByteString pckCrl,
    String tcbInfoIssuerChain,
    String tcbInfo,
    ByteString tcbInfoSignature,
    String qeIdentityIssuerChain,
    String qeIdentity,
    ByteString qeIdentitySignature) {

  public QuoteCollateral {
    Objects.requireNonNull(pckCrlIssuerChain, "pckCrlIssuerChain");
    Objects.requireNonNull(rootCaCrl, "rootCaCrl");
    Objects.requireNonNull(pckCrl, "pckCrl");
    Objects.requireNonNull(tcbInfoIssuerChain, "tcbInfoIssuerChain");
    Objects.requireNonNull(tcbInfo, "tcbInfo");
    Objects.requireNonNull(tcbInfoSignature, "tcbInfoSignature");
    Objects.requireNonNull(qeIdentityIssuerChain, "qeIdentityIssuerChain");
    Objects.requireNonNull(qeIdentity, "qeIdentity");
    Objects.requireNonNull(qeIdentitySignature, "qeIdentitySignature");
  }

  /**
   * Reads dcap-qvl's {@code QuoteCollateralV3} JSON: exactly the nine string members named in
   * the class comment, CRLs and signatures in hex. The signed texts are kept exactly as the
   * JSON strings hold them.
   *
   * @throws VerificationException {@link org.certifier.evidence.Failure#MALFORMED_EVIDENCE}
   *     for anything else
   */
  public static QuoteCollateral fromJson(String json) throws VerificationException {
    Objects.requireNonNull(json, "json");
    Fields f = Fields.parse(json, "collateral");
    QuoteCollateral collateral = new QuoteCollateral(
        f.string("pck_crl_issuer_chain"),
        hex(f, "root_ca_crl"),
        hex(f, "pck_crl"),
        f.string("tcb_info_issuer_chain"),
        f.string("tcb_info"),
        hex(f, "tcb_info_signature"),
        f.string("qe_identity_issuer_chain"),
        f.string("qe_identity"),
        hex(f, "qe_identity_signature"));
    f.done();
    return collateral;
  }

  /**
   * Assembles collateral from raw Intel PCS API v4 (or PCCS) answers: the bodies of
   * {@code GET .../tcb} ({@code {"tcbInfo":{...},"signature":"..."}}) and
   * {@code GET .../qe/identity} ({@code {"enclaveIdentity":{...},"signature":"..."}}), the
   * issuer chains from their {@code TCB-Info-Issuer-Chain} and
   * {@code SGX-Enclave-Identity-Issuer-Chain} headers (URL-decoded PEM), and the CRLs in DER
   * with the PCK CRL's issuer chain. What Intel signs is the exact text of the inner object,
   * which is kept byte for byte.
   *
   * @throws VerificationException {@link org.certifier.evidence.Failure#MALFORMED_EVIDENCE}
   *     if a body is not exactly such an object
   */
  public static QuoteCollateral fromPcsResponses(String tcbInfoResponse,
      String tcbInfoIssuerChain, String qeIdentityResponse, String qeIdentityIssuerChain,
      String pckCrlIssuerChain, byte[] rootCaCrlDer, byte[] pckCrlDer)
      throws VerificationException {
    Objects.requireNonNull(tcbInfoResponse, "tcbInfoResponse");
    Objects.requireNonNull(qeIdentityResponse, "qeIdentityResponse");
    Objects.requireNonNull(rootCaCrlDer, "rootCaCrlDer");
    Objects.requireNonNull(pckCrlDer, "pckCrlDer");
    SignedObject tcb = SignedObject.read(tcbInfoResponse, "tcbInfo");
    SignedObject qe = SignedObject.read(qeIdentityResponse, "enclaveIdentity");
    return new QuoteCollateral(pckCrlIssuerChain, ByteString.copyFrom(rootCaCrlDer),
        ByteString.copyFrom(pckCrlDer), tcbInfoIssuerChain, tcb.text(), tcb.signature(),
        qeIdentityIssuerChain, qe.text(), qe.signature());
  }

  private record SignedObject(String text, ByteString signature) {
    static SignedObject read(String body, String member) throws VerificationException {
      Fields f = Fields.parse(body, member + " response");
      JsonReader.Obj inner = f.object(member);
      ByteString signature = hex(f, "signature");
      f.done();
      return new SignedObject(body.substring(inner.start(), inner.end()), signature);
    }
  }

  private static ByteString hex(Fields f, String name) throws VerificationException {
    String text = f.string(name);
    if (text.isEmpty() || text.length() % 2 != 0) {
      throw Fields.malformed("collateral " + name + " is not hex");
    }
    return ByteString.copyFrom(Fields.hexBytes(text, text.length() / 2, "collateral " + name));
  }
}
