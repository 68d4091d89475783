package org.certifier.testing.amd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import org.certifier.crypto.Certificates;
import org.junit.jupiter.api.Test;

/**
 * The fake is only useful if it is deterministic and imitates AMD faithfully; these checks use
 * the JDK's own certificate and signature code, not the verifier under test.
 */
class FakeAmdSpTest {
  private final FakeAmdSp milan = FakeAmdSp.milan();

  @Test
  void theSameSeedGivesTheSameKeysAgain() throws Exception {
    // A fresh generator, bypassing the per-JVM cache.
    assertEquals(milan.ark().getPublicKey(), FakeAmdSp.rsa4096(FakeAmdSp.random(
        FakeAmdSp.Product.MILAN, FakeAmdSp.DEFAULT_SEED, "ARK")).getPublic());
    // And the same keys in every JVM: these fingerprints were taken with JDK 17 and JDK 25. If
    // a JDK changes its key generation they change too, and the fakes are no longer the same
    // everywhere.
    assertEquals("1f748b46034fb0c13fffabfde8bf117f584ffd6b0312ae1937d1bc8d078b1f24",
        sha256(milan.ark().getPublicKey().getEncoded()));
    assertEquals("d00b07a907d5d954648911cafc2888edb7987248510c9294ee567f3f58688791",
        sha256(milan.vcekKeyPair().getPublic().getEncoded()));
  }

  @Test
  void sameInputsGiveTheSameBytes() {
    assertArrayEquals(milan.vcekDer(), FakeAmdSp.milan().vcekDer());
    assertArrayEquals(milan.report().signed(), FakeAmdSp.milan().report().signed());
  }

  @Test
  void otherSeedsAndProductsAreOtherAmds() {
    assertNotEquals(milan.ark(), FakeAmdSp.of(FakeAmdSp.Product.MILAN, 7).ark());
    assertNotEquals(milan.ark(), FakeAmdSp.of(FakeAmdSp.Product.TURIN).ark());
  }

  @Test
  void theChainIsSignedAsAmdSignsIt() throws Exception {
    X509Certificate ark = milan.ark();
    ark.verify(ark.getPublicKey());
    milan.ask().verify(ark.getPublicKey());
    milan.asvk().verify(ark.getPublicKey());
    milan.vcek().verify(milan.ask().getPublicKey());
    for (X509Certificate c : new X509Certificate[] {ark, milan.ask(), milan.vcek()}) {
      assertEquals("RSASSA-PSS", c.getSigAlgName());
    }
    assertEquals("CN=ARK-Milan", ark.getSubjectX500Principal().getName().split(",")[0]);
    assertEquals("CN=SEV-Milan", milan.ask().getSubjectX500Principal().getName().split(",")[0]);
    assertEquals("CN=SEV-VCEK", milan.vcek().getSubjectX500Principal().getName().split(",")[0]);
    assertEquals(4096, ((java.security.interfaces.RSAKey) ark.getPublicKey()).getModulus()
        .bitLength());
  }

  @Test
  void theVcekCarriesTheKdsExtensionsOfItsTcb() {
    FakeAmdSp older = milan.withTcb(0x4405_0000_0000_0002L);
    X509Certificate vcek = older.vcek();

    // extnValue = OCTET STRING { INTEGER }: the SPL is the last byte.
    assertEquals(2, last(vcek.getExtensionValue("1.3.6.1.4.1.3704.1.3.1")));
    assertEquals(0, last(vcek.getExtensionValue("1.3.6.1.4.1.3704.1.3.2")));
    assertEquals(5, last(vcek.getExtensionValue("1.3.6.1.4.1.3704.1.3.3")));
    assertEquals(68, last(vcek.getExtensionValue("1.3.6.1.4.1.3704.1.3.8")));
    byte[] hwId = vcek.getExtensionValue("1.3.6.1.4.1.3704.1.4");
    assertArrayEquals(milan.chipId(), Arrays.copyOfRange(hwId, 2, hwId.length));
    assertEquals(vcek.getPublicKey(), milan.vcek().getPublicKey());
  }

  @Test
  void reportsAreSignedByTheVcekOverTheirFirst0x2A0Bytes() throws Exception {
    byte[] reportData = new byte[64];
    reportData[0] = 42;
    byte[] measurement = new byte[48];
    Arrays.fill(measurement, (byte) 7);
    byte[] report = milan.report().reportData(reportData).measurement(measurement)
        .policy(FakeAmdSp.DEFAULT_POLICY | FakeAmdSp.POLICY_DEBUG).vmpl(2).signed();

    ByteBuffer in = ByteBuffer.wrap(report).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(FakeAmdSp.REPORT_SIZE, report.length);
    assertEquals(3, in.getInt(0));
    assertEquals(0xB0000L, in.getLong(0x08));
    assertEquals(2, in.getInt(0x30));
    assertEquals(milan.tcb(), in.getLong(0x180));
    assertArrayEquals(reportData, Arrays.copyOfRange(report, 0x50, 0x90));
    assertArrayEquals(measurement, Arrays.copyOfRange(report, 0x90, 0xC0));
    assertArrayEquals(milan.chipId(), Arrays.copyOfRange(report, 0x1A0, 0x1E0));

    byte[] p1363 = new byte[96];
    for (int i = 0; i < 48; i++) {
      p1363[47 - i] = report[0x2A0 + i];
      p1363[95 - i] = report[0x2E8 + i];
    }
    Signature verifier = Signature.getInstance("SHA384withECDSAinP1363Format");
    verifier.initVerify(milan.vcek().getPublicKey());
    verifier.update(report, 0, 0x2A0);
    assertTrue(verifier.verify(p1363));
  }

  @Test
  void theCertificateTableListsVcekAskArkByGuid() throws Exception {
    byte[] table = milan.certificateTable();
    ByteBuffer in = ByteBuffer.wrap(table).order(ByteOrder.LITTLE_ENDIAN);
    String[] guids = {FakeAmdSp.VCEK_GUID, FakeAmdSp.ASK_GUID, FakeAmdSp.ARK_GUID};
    byte[][] certs = {milan.vcekDer(), milan.askDer(), milan.arkDer()};
    for (int i = 0; i < 3; i++) {
      byte[] guid = Arrays.copyOfRange(table, 24 * i, 24 * i + 16);
      assertEquals(guids[i].replace("-", ""), HexFormat.of().formatHex(guid));
      int offset = in.getInt(24 * i + 16);
      int length = in.getInt(24 * i + 20);
      assertArrayEquals(certs[i], Arrays.copyOfRange(table, offset, offset + length));
      Certificates.parseDer(Arrays.copyOfRange(table, offset, offset + length));
    }
    assertArrayEquals(new byte[24], Arrays.copyOfRange(table, 72, 96));
  }

  @Test
  void turinHasAnEightByteHwIdAndItsOwnTcbLayout() {
    FakeAmdSp turin = FakeAmdSp.of(FakeAmdSp.Product.TURIN);
    X509Certificate vcek = turin.vcek();

    byte[] hwId = vcek.getExtensionValue("1.3.6.1.4.1.3704.1.4");
    assertEquals(8, hwId.length - 2);
    assertArrayEquals(new byte[56], Arrays.copyOfRange(turin.chipId(), 8, 64));
    // Default Turin TCB 0x0900000001020301: FMC 1, boot loader 3, TEE 2, SNP 1, microcode 9.
    assertEquals(1, last(vcek.getExtensionValue("1.3.6.1.4.1.3704.1.3.9")));
    assertEquals(3, last(vcek.getExtensionValue("1.3.6.1.4.1.3704.1.3.1")));
    assertEquals(9, last(vcek.getExtensionValue("1.3.6.1.4.1.3704.1.3.8")));
  }

  private static int last(byte[] extension) {
    return extension[extension.length - 1] & 0xff;
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void theCrlIsAnX509CrlOfTheArkListingTheChosenSerials() throws Exception {
    FakeAmdSp sp = FakeAmdSp.milan();
    java.security.cert.X509CRL crl = (java.security.cert.X509CRL)
        java.security.cert.CertificateFactory.getInstance("X.509").generateCRL(
            new java.io.ByteArrayInputStream(sp.crl().revoke(FakeAmdSp.ASK_SERIAL).der()));

    assertEquals(sp.ark().getSubjectX500Principal(), crl.getIssuerX500Principal());
    Signature pss = Signature.getInstance("RSASSA-PSS");
    pss.setParameter(FakeAmdSp.AMD_PSS);
    pss.initVerify(sp.ark().getPublicKey());
    pss.update(crl.getTBSCertList());
    assertTrue(pss.verify(crl.getSignature()));
    assertTrue(crl.isRevoked(sp.ask()));
    assertEquals(false, crl.isRevoked(sp.asvk()));
    assertEquals(FakeAmdSp.ASVK_SERIAL, sp.asvk().getSerialNumber());
  }

  @Test
  void vlekReportsSayVlekAndVerifyUnderTheVlek() throws Exception {
    FakeAmdSp sp = FakeAmdSp.milan();
    byte[] report = sp.report().vlek().signed();
    assertEquals(1 << 2, ByteBuffer.wrap(report).order(ByteOrder.LITTLE_ENDIAN).getInt(0x48));
    X509Certificate vlek = Certificates.parseDer(sp.vlekDer());
    assertEquals(sp.vlekKeyPair().getPublic(), vlek.getPublicKey());
    assertEquals(sp.asvk().getSubjectX500Principal(), vlek.getIssuerX500Principal());
  }
}
