package org.certifier.testing.intel;

import java.util.HexFormat;
import org.certifier.testing.intel.FakeIntelDcap.PckCa;
import org.certifier.testing.intel.FakeIntelDcap.Tee;

/**
 * Everything a verifier needs besides the quote, as {@link CollateralBuilder} made it: the
 * signed TCB info and QE identity texts with their signatures and issuer chains, the root CA
 * CRL and the PCK CA CRLs (DER).
 *
 * @param tee the TEE the TCB info and QE identity are for
 * @param fmspc the TCB info's FMSPC (upper-case hex)
 * @param pckCa the CA of the platform's PCK certificate; {@link #pckCrl} is its CRL
 * @param tcbInfo the exact signed text of the {@code tcbInfo} object
 * @param tcbInfoSignature its signature, r || s in hex
 * @param qeIdentity the exact signed text of the {@code enclaveIdentity} object
 * @param qeIdentitySignature its signature, r || s in hex
 * @param tcbSigningChain TCB signing certificate and root (PEM), the issuer chain of both
 * @param pckCrlIssuerChain the PCK CA and root (PEM)
 * @param rootCaCrl the root CA's CRL (DER)
 * @param pckCrl the CRL of {@link #pckCa} (DER)
 * @param otherPckCrl the CRL of the other PCK CA (DER), which the PCS serves too
 * @param otherPckCrlIssuerChain the other PCK CA and root (PEM)
 */
public record Collateral(Tee tee, String fmspc, PckCa pckCa, String tcbInfo,
    String tcbInfoSignature, String qeIdentity, String qeIdentitySignature,
    String tcbSigningChain, String pckCrlIssuerChain, byte[] rootCaCrl, byte[] pckCrl,
    byte[] otherPckCrl, String otherPckCrlIssuerChain) {
  public Collateral {
    rootCaCrl = rootCaCrl.clone();
    pckCrl = pckCrl.clone();
    otherPckCrl = otherPckCrl.clone();
  }

  @Override
  public byte[] rootCaCrl() {
    return rootCaCrl.clone();
  }

  @Override
  public byte[] pckCrl() {
    return pckCrl.clone();
  }

  /** The CRL of either PCK CA (DER). */
  public byte[] pckCrl(PckCa ca) {
    return (ca == pckCa ? pckCrl : otherPckCrl).clone();
  }

  /** The issuer chain of either PCK CA's CRL (PEM). */
  public String pckCrlIssuerChain(PckCa ca) {
    return ca == pckCa ? pckCrlIssuerChain : otherPckCrlIssuerChain;
  }

  /**
   * The collateral in dcap-qvl's {@code QuoteCollateralV3} JSON, the format of
   * {@code testvectors/intel-sgx/sgx_quote_collateral.json} (see its README): PEM chains, CRLs
   * in hex, the signed texts as strings.
   */
  public String json() {
    HexFormat hex = HexFormat.of();
    return "{\n"
        + member("pck_crl_issuer_chain", pckCrlIssuerChain) + ",\n"
        + member("root_ca_crl", hex.formatHex(rootCaCrl)) + ",\n"
        + member("pck_crl", hex.formatHex(pckCrl)) + ",\n"
        + member("tcb_info_issuer_chain", tcbSigningChain) + ",\n"
        + member("tcb_info", tcbInfo) + ",\n"
        + member("tcb_info_signature", tcbInfoSignature) + ",\n"
        + member("qe_identity_issuer_chain", tcbSigningChain) + ",\n"
        + member("qe_identity", qeIdentity) + ",\n"
        + member("qe_identity_signature", qeIdentitySignature) + "\n}\n";
  }

  /** The PCS v4 body of {@code GET .../tcb}: {@code {"tcbInfo":{...},"signature":"..."}}. */
  public String pcsTcbInfoBody() {
    return "{\"tcbInfo\":" + tcbInfo + ",\"signature\":\"" + tcbInfoSignature + "\"}";
  }

  /** The PCS v4 body of {@code GET .../qe/identity}. */
  public String pcsQeIdentityBody() {
    return "{\"enclaveIdentity\":" + qeIdentity + ",\"signature\":\"" + qeIdentitySignature
        + "\"}";
  }

  private static String member(String name, String value) {
    StringBuilder out = new StringBuilder("  \"").append(name).append("\": \"");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
