package org.certifier.verifiers.dcap.collateral;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.certifier.crypto.Certificates;
import org.certifier.testing.TestVectors;

/**
 * The Intel vectors in ../shared/testvectors/intel-sgx and intel-tdx (see their READMEs), with
 * the values a quote verifier would take from each quote and PCK certificate, as the READMEs
 * state them (the QE report's MISCSELECT and ATTRIBUTES, which the READMEs leave out, were read
 * from the quotes: MISCSELECT 0, ATTRIBUTES 15000000000000000e7000000000000000 in all four).
 */
final class DcapVectors {
  static final String SGX_COLLATERAL = "intel-sgx/sgx_quote_collateral.json";
  static final String PHALA_V4_COLLATERAL = "intel-tdx/phala-v4/tdx_quote_collateral.json";
  static final String PHALA_V5_COLLATERAL =
      "intel-tdx/phala-v5-no-tcb-match/tdx_quote_outdated_collateral.json";
  static final String SPR = "intel-tdx/go-tdx-guest-v4-spr/";

  /** Inside the SGX and phala-v4 collateral windows (README: e.g. 2025-07-01). */
  static final Instant JULY_2025 = Instant.parse("2025-07-01T00:00:00Z");
  /** Inside the phala-v5 collateral window 2026-02-18 .. 2026-03-20. */
  static final Instant MARCH_2026 = Instant.parse("2026-03-01T00:00:00Z");
  /** go-tdx-guest's pinned verification time. */
  static final Instant SPR_TIME = Instant.parse("2023-07-01T01:00:00Z");

  static final ByteString QE_ATTRIBUTES = hex("1500000000000000e700000000000000");
  static final ByteString SGX_QE_MRSIGNER =
      hex("8c4f5775d796503e96137f77c68a829a0056ac8ded70140b081b094490c57bff");
  static final ByteString TD_QE_MRSIGNER =
      hex("dc9e2a7c6f948f17474e34a7fc43ed030f7c1563f1babddf6340c82e0e54a8c5");
  static final ByteString ZERO_48 = ByteString.copyFrom(new byte[48]);
  static final ByteString ZERO_8 = ByteString.copyFrom(new byte[8]);

  private DcapVectors() {}

  static String text(String relative) {
    return new String(TestVectors.bytes(relative), StandardCharsets.UTF_8);
  }

  static X509Certificate intelRoot() throws Exception {
    return Certificates.parseDer(TestVectors.bytes("intel-sgx/Intel_SGX_RootCA.der"));
  }

  static QuoteCollateral collateral(String relative) throws Exception {
    return QuoteCollateral.fromJson(text(relative));
  }

  /** The go-tdx-guest PCS responses, assembled as a verifier fetching from PCS would. */
  static QuoteCollateral sprFromPcs() throws Exception {
    return QuoteCollateral.fromPcsResponses(text(SPR + "sample_tcbInfo_response"),
        text(SPR + "tcbInfoIssuerChain.pem"), text(SPR + "sample_qeIdentity_response"),
        text(SPR + "qeIdentityIssuerChain.pem"), text(SPR + "pckCrlIssuerChain.pem"),
        TestVectors.bytes(SPR + "rootcrl.der"), TestVectors.bytes(SPR + "pckcrl"));
  }

  /**
   * The PCK chain (certification data type 5) of a quote: the PEM text embedded in it. Tests
   * only; this is not quote parsing, just finding the PEM blocks.
   */
  static List<X509Certificate> pckChain(String quote) throws Exception {
    String latin1 = new String(TestVectors.bytes(quote), StandardCharsets.ISO_8859_1);
    int begin = latin1.indexOf("-----BEGIN CERTIFICATE-----");
    String endMarker = "-----END CERTIFICATE-----";
    int end = latin1.lastIndexOf(endMarker) + endMarker.length();
    return Certificates.parsePem(latin1.substring(begin, end));
  }

  /** README: PCK of intel-sgx/sgx_quote. */
  static PlatformTcb sgxPlatform() {
    return PlatformTcb.sgx(hex("00a067110000"), hex("0000"), 13,
        components(11, 11, 2, 2, 255, 1, 0));
  }

  /** README: QE of intel-sgx/sgx_quote. */
  static QeReportIdentity sgxQe() {
    return new QeReportIdentity(SGX_QE_MRSIGNER, 1, 0, QE_ATTRIBUTES, 10);
  }

  /** README: PCK and TD report of intel-tdx/phala-v4/tdx_quote. */
  static PlatformTcb phalaV4Platform() {
    return tdx("b0c06f000000", 11, components(3, 3, 2, 2, 4, 1, 0, 5),
        "06010300000000000000000000000000", Optional.empty());
  }

  /** README: QE of intel-tdx/phala-v4/tdx_quote (ISVSVN 6). */
  static QeReportIdentity tdQe(int isvSvn) {
    return new QeReportIdentity(TD_QE_MRSIGNER, 2, 0, QE_ATTRIBUTES, isvSvn);
  }

  /** README: PCK and TD 1.5 report of intel-tdx/phala-v5-no-tcb-match. */
  static PlatformTcb phalaV5Platform() {
    return tdx("90c06f000000", 13, components(3, 3, 2, 2, 4, 1, 0, 3),
        "07010300000000000000000000000000", Optional.of("0d010300000000000000000000000000"));
  }

  /** README: PCK and TD report of go-tdx-guest-v4-spr. */
  static PlatformTcb sprPlatform() {
    return tdx("50806f000000", 11, components(3, 3, 2, 2, 2, 1, 0, 2),
        "03000400000000000000000000000000", Optional.empty());
  }

  static PlatformTcb tdx(String fmspc, int pceSvn, List<Integer> cpuSvn, String teeTcbSvn,
      Optional<String> teeTcbSvn2) {
    return PlatformTcb.tdx(hex(fmspc), hex("0000"), pceSvn, cpuSvn, hex(teeTcbSvn),
        teeTcbSvn2.map(DcapVectors::hex), ZERO_48, ZERO_8);
  }

  /** The leading SGX TCB components, padded with zeros to 16. */
  static List<Integer> components(int... leading) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < TcbInfo.COMPONENTS; i++) {
      out.add(i < leading.length ? leading[i] : 0);
    }
    return out;
  }

  static ByteString hex(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }
}
