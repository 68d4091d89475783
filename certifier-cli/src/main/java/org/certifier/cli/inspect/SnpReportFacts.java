package org.certifier.cli.inspect;

import com.google.protobuf.ByteString;
import java.util.HexFormat;
import org.certifier.cli.output.Facts;
import org.certifier.verifiers.sevsnp.GuestPolicy;
import org.certifier.verifiers.sevsnp.SnpReport;
import org.certifier.verifiers.sevsnp.TcbVersion;

/**
 * AMD SEV-SNP attestation reports for people: every field of {@link SnpReport}, read but not
 * verified ({@code certifier verify sev-snp} checks AMD's chain and the signature).
 */
public final class SnpReportFacts {
  private static final HexFormat HEX = HexFormat.of();

  private SnpReportFacts() {}

  static Facts report(SnpReport r) {
    Facts f = new Facts();
    f.put("version", r.version());
    f.put("signing-key", r.signingKey().toString());
    f.put("measurement", hex(r.measurement()));
    f.put("report-data", hex(r.reportData()));
    f.put("host-data", hex(r.hostData()));
    f.put("vmpl", r.vmpl());
    f.put("guest-svn", r.guestSvn());
    f.child("guest-policy").putAll(policy(r.policy()));
    f.put("family-id", hex(r.familyId()));
    f.put("image-id", hex(r.imageId()));
    f.put("id-key-digest", hex(r.idKeyDigest()));
    f.put("author-key-digest", hex(r.authorKeyDigest()));
    f.put("author-key-en", r.authorKeyEn());
    f.put("report-id", hex(r.reportId()));
    f.put("report-id-ma", hex(r.reportIdMa()));
    f.put("reported-tcb", tcb(r.reportedTcb()));
    f.put("current-tcb", tcb(r.currentTcb()));
    f.put("committed-tcb", tcb(r.committedTcb()));
    f.put("launch-tcb", tcb(r.launchTcb()));
    r.cpuid().ifPresent(c -> f.put("cpuid", String.format("family 0x%x, model 0x%x, stepping %d",
        c.familyId(), c.modelId(), c.stepping())));
    f.put("current-firmware", r.currentVersion().toString());
    f.put("committed-firmware", r.committedVersion().toString());
    f.put("platform-info", "0x" + Long.toHexString(r.platformInfo()));
    r.launchMitVector().ifPresent(v -> f.put("launch-mit-vector", "0x" + Long.toHexString(v)));
    r.currentMitVector().ifPresent(v -> f.put("current-mit-vector", "0x" + Long.toHexString(v)));
    f.put("mask-chip-key", r.maskChipKey());
    f.put("chip-id", hex(r.chipId()));
    f.put("signature-algo", r.signatureAlgo() == 1 ? "ECDSA P-384 with SHA-384"
        : String.valueOf(r.signatureAlgo()));
    return f;
  }

  /** The guest policy's decoded bits. */
  public static Facts policy(GuestPolicy p) {
    return new Facts()
        .put("abi", p.abiMajor() + "." + p.abiMinor())
        .put("debug-allowed", p.debugAllowed())
        .put("smt-allowed", p.smtAllowed())
        .put("migration-agent-allowed", p.migrateMaAllowed())
        .put("single-socket", p.singleSocket());
  }

  /** A TCB version in words, e.g. "bootloader 3, tee 0, snp 8, microcode 115". */
  public static String tcb(TcbVersion t) {
    return "bootloader " + t.bootloader() + ", tee " + t.tee() + ", snp " + t.snp()
        + ", microcode " + t.microcode()
        + (t.fmc().isPresent() ? ", fmc " + t.fmc().getAsInt() : "");
  }

  private static String hex(ByteString b) {
    return HEX.formatHex(b.toByteArray());
  }
}
