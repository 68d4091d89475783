package org.certifier.cli.inspect;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.certifier.cli.output.Facts;
import org.certifier.crypto.Certificates;
import org.certifier.crypto.CryptoException;
import org.certifier.evidence.VerificationException;
import org.certifier.verifiers.dcap.EnclaveReportBody;
import org.certifier.verifiers.dcap.IntelCertificateChain;
import org.certifier.verifiers.dcap.PckExtensions;
import org.certifier.verifiers.dcap.Quote;
import org.certifier.verifiers.dcap.QuoteHeader;
import org.certifier.verifiers.dcap.TdReportBody;
import org.certifier.verifiers.dcap.TeeType;
import org.certifier.verifiers.dcap.collateral.EnclaveIdentity;
import org.certifier.verifiers.dcap.collateral.IdentityTcbLevel;
import org.certifier.verifiers.dcap.collateral.QuoteCollateral;
import org.certifier.verifiers.dcap.collateral.TcbInfo;
import org.certifier.verifiers.dcap.collateral.TcbVerdict;
import org.certifier.verifiers.dcap.collateral.VerifiedCollateral;

/**
 * Intel DCAP quotes and collateral for people: the fields of a quote (header, TD or enclave
 * report, quoting enclave, PCK certificate), of Intel's verdict on a TCB, and of dcap-qvl
 * collateral JSON. Describing decides nothing: {@code certifier inspect} shows unverified
 * files with these, {@code certifier verify tdx|sgx} shows verified ones.
 */
public final class IntelFacts {
  private static final HexFormat HEX = HexFormat.of();
  private static final List<String> SGX_TYPES =
      List.of("Standard", "Scalable", "Scalable with Integrity");

  private IntelFacts() {}

  /** What the quote says: header, the TD's or enclave's report and the QE's report. */
  public static Facts quote(Quote q) {
    QuoteHeader h = q.header();
    Facts f = new Facts();
    f.put("version", h.version());
    f.put("tee", h.teeType().toString());
    f.put("qe-vendor", h.qeVendorId().equals(QuoteHeader.INTEL_QE_VENDOR_ID) ? "Intel"
        : "not Intel (" + hex(h.qeVendorId()) + ")");
    if (h.teeType() == TeeType.SGX) {
      f.put("qe-svn", h.qeSvn());
      f.put("pce-svn", h.pceSvn());
    }
    if (q.body() instanceof TdReportBody td) {
      f.child("td-report").putAll(td(td));
    } else {
      f.child("enclave-report").putAll(enclave((EnclaveReportBody) q.body()));
    }
    EnclaveReportBody qe = q.qeReport();
    f.child("quoting-enclave")
        .put("mrsigner", hex(qe.mrSigner()))
        .put("isv-prod-id", qe.isvProdId())
        .put("isv-svn", qe.isvSvn());
    return f;
  }

  private static Facts td(TdReportBody td) {
    Facts f = new Facts();
    f.put("body", td.tdx15() ? "TDX 1.5 (648 bytes)" : "TDX 1.0 (584 bytes)");
    f.put("mrtd", hex(td.mrTd()));
    for (int i = 0; i < td.rtmrs().size(); i++) {
      f.put("rtmr" + i, hex(td.rtmr(i)));
    }
    f.put("report-data", hex(td.reportData()));
    f.put("td-attributes", hex(td.tdAttributes()));
    f.put("debug", td.debug());
    f.put("xfam", hex(td.xfam()));
    f.put("tee-tcb-svn", hex(td.teeTcbSvn()));
    td.teeTcbSvn2().ifPresent(s -> f.put("tee-tcb-svn-2", hex(s)));
    f.put("mrseam", hex(td.mrSeam()));
    f.put("mrsigner-seam", hex(td.mrSignerSeam()));
    f.put("seam-attributes", hex(td.seamAttributes()));
    f.put("mrconfigid", hex(td.mrConfigId()));
    f.put("mrowner", hex(td.mrOwner()));
    f.put("mrownerconfig", hex(td.mrOwnerConfig()));
    td.mrServiceTd().ifPresent(s -> f.put("mrservicetd", hex(s)));
    return f;
  }

  private static Facts enclave(EnclaveReportBody e) {
    Facts f = new Facts();
    f.put("mrenclave", hex(e.mrEnclave()));
    f.put("mrsigner", hex(e.mrSigner()));
    f.put("isv-prod-id", e.isvProdId());
    f.put("isv-svn", e.isvSvn());
    f.put("report-data", hex(e.reportData()));
    f.put("attributes", hex(e.attributes()));
    f.put("flags", "0x" + Long.toHexString(e.flags()));
    f.put("debug", e.debug());
    f.put("xfrm", "0x" + Long.toHexString(e.xfrm()));
    f.put("misc-select", "0x" + Long.toHexString(e.miscSelect()));
    f.put("cpu-svn", hex(e.cpuSvn()));
    f.put("config-svn", e.configSvn());
    f.put("config-id", hex(e.configId()));
    f.put("isv-ext-prod-id", hex(e.isvExtProdId()));
    f.put("isv-family-id", hex(e.isvFamilyId()));
    return f;
  }

  /** The PCK certificate's SGX Extensions: the TCB Intel certified for the platform. */
  public static Facts pck(PckExtensions e, X509Certificate pck) {
    Facts f = new Facts();
    f.put("fmspc", hex(e.fmspc()));
    f.put("pce-id", hex(e.pceId()));
    f.put("pce-svn", e.pceSvn());
    f.put("tcb-components", Arrays.stream(e.cpuSvnComponents()).mapToObj(Integer::toString)
        .collect(Collectors.joining(" ")));
    f.put("sgx-type", SGX_TYPES.get(e.sgxType()));
    f.put("issuer", CertificateFacts.name(pck.getIssuerX500Principal()));
    f.put("not-after", pck.getNotAfter().toInstant().toString());
    return f;
  }

  /**
   * The PCK certificate of an unverified quote, as far as it can be read: the chain the quote
   * carries and the leaf's SGX Extensions, or why they cannot be read.
   */
  static Facts unverifiedPck(Quote q) {
    List<X509Certificate> chain;
    try {
      chain = IntelCertificateChain.parsePem(q.pckCertificationData().toByteArray());
    } catch (VerificationException e) {
      return new Facts().put("problem", "unreadable PCK chain (" + e.getMessage() + ")");
    }
    Facts f = new Facts();
    List<Object> certs = f.list("pck-chain");
    chain.forEach(c -> certs.add(CertificateFacts.summary(c)));
    if (!chain.isEmpty()) {
      try {
        f.child("pck").putAll(pck(PckExtensions.read(chain.get(0)), chain.get(0)));
      } catch (VerificationException e) {
        f.put("problem", "the first certificate has no readable SGX Extensions ("
            + e.getMessage() + ")");
      }
    }
    return f;
  }

  /** Intel's verdict, and which collateral (by issue and next update) gave it. */
  public static Facts verdict(TcbVerdict v, VerifiedCollateral collateral) {
    Facts f = new Facts();
    f.put("status", v.status().jsonName());
    f.list("advisories").addAll(v.advisoryIds());
    f.put("tcb-date", v.tcbDate().toString());
    f.put("platform-status", v.platform().status().jsonName());
    f.put("qe-status", v.qe().status().jsonName());
    v.tdxModule().ifPresent(m -> f.put("tdx-module-status", m.status().jsonName()));
    if (collateral.tcbInfo().id() == TcbInfo.Id.TDX) {
      f.put("td-relaunch-advised", v.tdRelaunchAdvised());
    }
    TcbInfo info = collateral.tcbInfo();
    f.put("tcb-info", info.id() + " v" + info.version() + ", evaluation data number "
        + info.tcbEvaluationDataNumber() + ", issued " + info.issueDate() + ", next update "
        + info.nextUpdate());
    EnclaveIdentity qe = collateral.qeIdentity();
    f.put("qe-identity", qe.id() + " v" + qe.version() + ", evaluation data number "
        + qe.tcbEvaluationDataNumber() + ", issued " + qe.issueDate() + ", next update "
        + qe.nextUpdate());
    return f;
  }

  /** dcap-qvl collateral JSON, read but not verified. */
  static Facts collateral(QuoteCollateral c) throws NotThisKind {
    Facts f = new Facts();
    TcbInfo info;
    EnclaveIdentity qe;
    try {
      info = TcbInfo.parse(c.tcbInfo());
      qe = EnclaveIdentity.parse(c.qeIdentity());
    } catch (VerificationException e) {
      throw new NotThisKind(e.getMessage());
    }
    f.child("tcb-info").putAll(tcbInfo(info));
    f.put("tcb-info-signature", hex(c.tcbInfoSignature()));
    f.list("tcb-info-issuer-chain").addAll(chain(c.tcbInfoIssuerChain()));
    f.child("qe-identity").putAll(identity(qe));
    f.put("qe-identity-signature", hex(c.qeIdentitySignature()));
    f.list("qe-identity-issuer-chain").addAll(chain(c.qeIdentityIssuerChain()));
    f.child("root-ca-crl").putAll(crl(c.rootCaCrl()));
    f.child("pck-crl").putAll(crl(c.pckCrl()));
    f.list("pck-crl-issuer-chain").addAll(chain(c.pckCrlIssuerChain()));
    return f;
  }

  private static Facts tcbInfo(TcbInfo info) {
    Facts f = new Facts();
    f.put("id", info.id().toString());
    f.put("version", info.version());
    f.put("fmspc", hex(info.fmspc()));
    f.put("pce-id", hex(info.pceId()));
    f.put("issue-date", info.issueDate().toString());
    f.put("next-update", info.nextUpdate().toString());
    f.put("tcb-evaluation-data-number", info.tcbEvaluationDataNumber());
    info.tdxModuleIdentities().forEach(m -> f.put("tdx-module-" + m.id(),
        identityLevels(m.tcbLevels())));
    List<Object> levels = f.list("tcb-levels");
    for (TcbInfo.Level level : info.tcbLevels()) {
      Facts l = new Facts();
      l.put("status", level.status().jsonName());
      l.put("tcb-date", level.tcbDate().toString());
      l.put("sgx-components", joined(level.sgxComponents()));
      l.put("pce-svn", level.pceSvn());
      level.tdxComponents().ifPresent(t -> l.put("tdx-components", joined(t)));
      l.list("advisories").addAll(level.advisoryIds());
      levels.add(l);
    }
    return f;
  }

  private static Facts identity(EnclaveIdentity qe) {
    Facts f = new Facts();
    f.put("id", qe.id().toString());
    f.put("version", qe.version());
    f.put("issue-date", qe.issueDate().toString());
    f.put("next-update", qe.nextUpdate().toString());
    f.put("tcb-evaluation-data-number", qe.tcbEvaluationDataNumber());
    f.put("mrsigner", hex(qe.mrSigner()));
    f.put("isv-prod-id", qe.isvProdId());
    f.put("tcb-levels", identityLevels(qe.tcbLevels()));
    return f;
  }

  /** Identity levels in one line each: "isvsvn 8: UpToDate (2024-03-13T00:00:00Z)". */
  private static List<Object> identityLevels(List<IdentityTcbLevel> levels) {
    return levels.stream().<Object>map(l -> "isvsvn " + l.isvSvn() + ": "
        + l.status().jsonName() + " (" + l.tcbDate() + ")").toList();
  }

  private static List<Object> chain(String pem) throws NotThisKind {
    try {
      return Certificates.parsePem(pem).stream().<Object>map(CertificateFacts::summary)
          .toList();
    } catch (CryptoException e) {
      throw new NotThisKind("an issuer chain is not PEM certificates: " + e.getMessage());
    }
  }

  private static Facts crl(ByteString der) throws NotThisKind {
    X509CRL crl;
    try {
      crl = (X509CRL) CertificateFactory.getInstance("X.509")
          .generateCRL(new ByteArrayInputStream(der.toByteArray()));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new NotThisKind("a CRL is not an X.509 CRL: " + e.getMessage());
    }
    Facts f = new Facts();
    f.put("issuer", CertificateFacts.name(crl.getIssuerX500Principal()));
    f.put("this-update", crl.getThisUpdate().toInstant().toString());
    f.put("next-update", crl.getNextUpdate() == null ? "none"
        : crl.getNextUpdate().toInstant().toString());
    f.put("revoked", crl.getRevokedCertificates() == null ? 0
        : crl.getRevokedCertificates().size());
    return f;
  }

  /** dcap-qvl collateral JSON is text that starts with an object. */
  static boolean looksLikeJson(byte[] b) {
    String text = new String(b, StandardCharsets.UTF_8).strip();
    return text.startsWith("{") && text.endsWith("}");
  }

  private static String joined(List<Integer> values) {
    return values.stream().map(String::valueOf).collect(Collectors.joining(" "));
  }

  private static String hex(ByteString b) {
    return HEX.formatHex(b.toByteArray());
  }
}
