package org.certifier.testing.intel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.certifier.testing.intel.FakeIntelDcap.PckCa;
import org.certifier.testing.intel.FakeIntelDcap.Tee;

/**
 * Writes a fake Intel's collateral as an air-gapped site's collateral bundle directory
 * (docs/operations.md, "Collateral for air-gapped sites"), the files the PCS would have
 * served:
 *
 * <pre>
 * intel/tcb/{sgx|tdx}-{FMSPC}.json and .chain.pem   PCS tcb body, TCB-Info-Issuer-Chain
 * intel/qe/{sgx|tdx}.json and .chain.pem            PCS qe/identity body and its chain
 * intel/pckcrl-{processor|platform}.der, .chain.pem  PCK CRLs and SGX-PCK-CRL-Issuer-Chain
 * intel/rootcrl.der                                 the root CA's CRL
 * </pre>
 */
public final class FakeIntelBundle {
  private FakeIntelBundle() {}

  /** Writes {@code sgx} and {@code tdx} collateral under {@code root}; returns {@code root}. */
  public static Path write(Path root, Collateral sgx, Collateral tdx) throws IOException {
    if (sgx.tee() != Tee.SGX || tdx.tee() != Tee.TDX) {
      throw new IllegalArgumentException("SGX collateral first, then TDX");
    }
    for (Collateral c : new Collateral[] {sgx, tdx}) {
      String tee = c.tee() == Tee.SGX ? "sgx" : "tdx";
      text(root.resolve("intel/tcb/" + tee + "-" + c.fmspc() + ".json"), c.pcsTcbInfoBody());
      text(root.resolve("intel/tcb/" + tee + "-" + c.fmspc() + ".chain.pem"),
          c.tcbSigningChain());
      text(root.resolve("intel/qe/" + tee + ".json"), c.pcsQeIdentityBody());
      text(root.resolve("intel/qe/" + tee + ".chain.pem"), c.tcbSigningChain());
    }
    // The PCK CRLs and the root CRL are the same for both TEEs; the PCS serves SGX's.
    for (PckCa ca : PckCa.values()) {
      Path crl = root.resolve("intel/pckcrl-" + ca.pcsName() + ".der");
      Files.createDirectories(crl.getParent());
      Files.write(crl, sgx.pckCrl(ca));
      text(root.resolve("intel/pckcrl-" + ca.pcsName() + ".chain.pem"),
          sgx.pckCrlIssuerChain(ca));
    }
    Files.write(root.resolve("intel/rootcrl.der"), sgx.rootCaCrl());
    return root;
  }

  /** The default collateral of {@code dcap} for both TEEs. */
  public static Path write(Path root, FakeIntelDcap dcap) throws IOException {
    return write(root, dcap.collateral(Tee.SGX).build(), dcap.collateral(Tee.TDX).build());
  }

  private static void text(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.US_ASCII);
  }
}
