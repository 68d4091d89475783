package org.certifier.testing.intel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.certifier.testing.TestVectors;
import org.certifier.testing.intel.CollateralBuilder.IsvTcbLevel;
import org.certifier.testing.intel.CollateralBuilder.TdxModuleIdentity;
import org.certifier.testing.intel.FakeIntelDcap.PckCa;
import org.certifier.testing.intel.FakeIntelDcap.Tee;
import org.junit.jupiter.api.Test;

/**
 * The fake is only useful if it writes Intel's formats exactly: its quotes are walked with the
 * same layout walker as the real quotes in {@code testvectors/intel-*} and must have the same
 * structure, its certificates the same names and extensions, its collateral the same fields;
 * every signature is checked with plain JDK code, not with the verifier under test.
 */
class FakeIntelDcapTest {
  private static final byte[] REPORT_DATA = filled(64, 0x3C);
  private final FakeIntelDcap dcap = FakeIntelDcap.create();

  /** A quote cut into its parts, by the layout of the quote format appendices. */
  record Layout(int version, int teeType, int bodyOffset, int bodySize, int signedSize,
      byte[] signature, byte[] attestationKey, byte[] qeReport, byte[] qeSignature,
      byte[] qeAuthData, int certDataType, byte[] certData, int end) {

    static Layout of(byte[] quote) {
      ByteBuffer in = ByteBuffer.wrap(quote).order(ByteOrder.LITTLE_ENDIAN);
      int version = in.getShort(0);
      int teeType = in.getInt(4);
      int bodyOffset = FakeIntelDcap.HEADER_SIZE;
      int bodySize = switch (version) {
        case 3 -> FakeIntelDcap.SGX_REPORT_BODY_SIZE;
        case 4 -> FakeIntelDcap.TD10_REPORT_BODY_SIZE;
        case 5 -> {
          bodyOffset += FakeIntelDcap.V5_BODY_PREFIX;
          yield in.getInt(FakeIntelDcap.HEADER_SIZE + 2);
        }
        default -> throw new IllegalArgumentException("version " + version);
      };
      int signedSize = bodyOffset + bodySize;
      int signatureDataSize = in.getInt(signedSize);
      in.position(signedSize + 4);
      byte[] signature = bytes(in, 64);
      byte[] key = bytes(in, 64);
      if (version != 3) {
        assertEquals(FakeIntelDcap.CERT_DATA_QE_REPORT, in.getShort());
        int size = in.getInt();
        assertEquals(signedSize + 4 + signatureDataSize - in.position(), size);
      }
      byte[] qeReport = bytes(in, 384);
      byte[] qeSignature = bytes(in, 64);
      byte[] authData = bytes(in, in.getShort());
      int certType = in.getShort();
      byte[] certData = bytes(in, in.getInt());
      assertEquals(signedSize + 4 + signatureDataSize, in.position(), "signature data size");
      return new Layout(version, teeType, bodyOffset, bodySize, signedSize, signature, key,
          qeReport, qeSignature, authData, certType, certData, in.position());
    }

    private static byte[] bytes(ByteBuffer in, int length) {
      byte[] out = new byte[length];
      in.get(out);
      return out;
    }

    /** Everything but the values: what must be the same in a fake and a real quote. */
    String shape() {
      return "v" + version + " tee " + teeType + " body " + bodyOffset + "+" + bodySize
          + " auth " + qeAuthData.length + " cert type " + certDataType + " certs "
          + pemCertificates(certData).size() + " NUL-terminated "
          + (certData[certData.length - 1] == 0);
    }
  }

  @Test
  void sgxQuoteHasTheStructureOfARealOne() throws Exception {
    byte[] quote = dcap.sgxQuote().reportData(REPORT_DATA).signed();
    Layout fake = Layout.of(quote);
    Layout real = Layout.of(TestVectors.bytes("intel-sgx/sgx_quote"));
    assertEquals(real.shape(), fake.shape());
    assertEquals(quote.length, fake.end());
    assertArrayEquals(Arrays.copyOf(TestVectors.bytes("intel-sgx/sgx_quote"), 8),
        Arrays.copyOf(quote, 8), "version 3, ECDSA P-256, SGX");
    assertArrayEquals(REPORT_DATA, slice(quote, 48 + FakeIntelDcap.SGX_REPORT_DATA, 64));
    verifyQuote(fake, quote);
  }

  @Test
  void tdxQuotesHaveTheStructureOfRealOnes() throws Exception {
    byte[] v4 = dcap.tdxQuote().reportData(REPORT_DATA).signed();
    byte[] realV4 = TestVectors.bytes("intel-tdx/phala-v4/tdx_quote");
    assertEquals(Layout.of(realV4).shape(), Layout.of(v4).shape());
    assertArrayEquals(Arrays.copyOf(realV4, 12), Arrays.copyOf(v4, 12),
        "version 4, ECDSA P-256, TDX, reserved zero");
    assertArrayEquals(REPORT_DATA, slice(v4, 48 + FakeIntelDcap.TD_REPORT_DATA, 64));
    verifyQuote(Layout.of(v4), v4);

    byte[] v5 = dcap.tdxQuote().version(5).reportData(REPORT_DATA).signed();
    byte[] realV5 = TestVectors.bytes("intel-tdx/phala-v5-no-tcb-match/tdx_quote_outdated");
    assertEquals(Layout.of(realV5).shape(), Layout.of(v5).shape());
    assertArrayEquals(Arrays.copyOf(realV5, 54), concat(Arrays.copyOf(v5, 28),
        Arrays.copyOfRange(realV5, 28, 48), Arrays.copyOfRange(v5, 48, 54)),
        "header (but the QE ID) and the body type and size prefix");
    assertArrayEquals(REPORT_DATA, slice(v5, 54 + FakeIntelDcap.TD_REPORT_DATA, 64));
    verifyQuote(Layout.of(v5), v5);
  }

  @Test
  void chosenFieldsLandWhereIntelPutsThem() {
    byte[] mrEnclave = filled(32, 0xE1);
    byte[] sgx = dcap.sgxQuote().mrEnclave(mrEnclave).mrSigner(filled(32, 0x51)).debug(true)
        .isvProdId(0x1234).isvSvn(0x5678).signed();
    int body = FakeIntelDcap.HEADER_SIZE;
    assertArrayEquals(mrEnclave, slice(sgx, body + 64, 32));
    assertArrayEquals(filled(32, 0x51), slice(sgx, body + 128, 32));
    assertEquals(0x07, sgx[body + 48], "INIT | DEBUG | MODE64BIT");
    assertEquals(0x1234, le16(sgx, body + 256));
    assertEquals(0x5678, le16(sgx, body + 258));

    byte[] mrTd = filled(48, 0x7D);
    byte[] tdx = dcap.tdxQuote().mrTd(mrTd).rtmr(2, filled(48, 0x22)).debug(true).signed();
    assertArrayEquals(mrTd, slice(tdx, body + 136, 48));
    assertArrayEquals(filled(48, 0x22), slice(tdx, body + 328 + 96, 48));
    assertEquals(1, tdx[body + 120] & 1, "TUD.DEBUG");
    assertEquals(0x10, tdx[body + 123], "SEPT_VE_DISABLE kept");
    assertArrayEquals(dcap.teeTcbSvn(), slice(tdx, body, 16));
  }

  @Test
  void theSameSeedGivesTheSameBytes() throws Exception {
    FakeIntelDcap again = FakeIntelDcap.create();
    assertArrayEquals(dcap.rootCaDer(), again.rootCaDer());
    assertArrayEquals(dcap.pckCertificateDer(), again.pckCertificateDer());
    assertArrayEquals(dcap.tdxQuote().signed(), again.tdxQuote().signed());
    assertArrayEquals(dcap.sgxQuote().signed(), again.sgxQuote().signed());
    assertEquals(dcap.collateral(Tee.TDX).build().json(),
        again.collateral(Tee.TDX).build().json());
    // And in every JVM: a fingerprint of the root key (taken with JDK 25).
    assertEquals("2a07fa0bee2d1971373baea3ff53f5e864c255b61530111783aa3bf518427c6a",
        hex(sha256(dcap.rootCa().getPublicKey().getEncoded())));
  }

  @Test
  void anotherSeedIsAnotherIntel() {
    FakeIntelDcap other = FakeIntelDcap.builder().seed(7).build();
    assertNotEquals(dcap.rootCa().getPublicKey(), other.rootCa().getPublicKey());
    assertNotEquals(dcap.attestationKeyPair().getPublic(),
        other.attestationKeyPair().getPublic());
  }

  @Test
  void certificatesHaveIntelsNamesAndExtensions() throws Exception {
    X509Certificate realRoot = certificate(TestVectors.bytes("intel-sgx/Intel_SGX_RootCA.der"));
    X509Certificate root = dcap.rootCa();
    assertArrayEquals(realRoot.getSubjectX500Principal().getEncoded(),
        root.getSubjectX500Principal().getEncoded(), "byte-identical name");
    assertNotEquals(realRoot.getPublicKey(), root.getPublicKey(), "but its own key");
    assertEquals(realRoot.getCriticalExtensionOIDs(), root.getCriticalExtensionOIDs());
    assertEquals(realRoot.getNonCriticalExtensionOIDs(), root.getNonCriticalExtensionOIDs());
    assertEquals(realRoot.getBasicConstraints(), root.getBasicConstraints());
    assertArrayEquals(realRoot.getKeyUsage(), root.getKeyUsage());

    for (PckCa ca : PckCa.values()) {
      FakeIntelDcap platform = FakeIntelDcap.builder().pckCa(ca).build();
      List<X509Certificate> real = pemCertificates(Layout.of(TestVectors.bytes(
          ca == PckCa.PROCESSOR ? "intel-sgx/sgx_quote" : "intel-tdx/phala-v4/tdx_quote"))
          .certData());
      List<X509Certificate> fake = pemCertificates(platform.pckChainPem().getBytes(
          StandardCharsets.US_ASCII));
      for (int i = 0; i < 3; i++) {
        X509Certificate r = real.get(i);
        X509Certificate f = fake.get(i);
        assertArrayEquals(r.getSubjectX500Principal().getEncoded(),
            f.getSubjectX500Principal().getEncoded());
        assertArrayEquals(r.getIssuerX500Principal().getEncoded(),
            f.getIssuerX500Principal().getEncoded());
        assertEquals(r.getCriticalExtensionOIDs(), f.getCriticalExtensionOIDs());
        assertEquals(r.getNonCriticalExtensionOIDs(), f.getNonCriticalExtensionOIDs());
        assertEquals(r.getBasicConstraints(), f.getBasicConstraints());
        assertEquals(r.getSigAlgName(), f.getSigAlgName());
      }
      // The SGX extension has exactly the real one's structure, value by value in order.
      assertEquals(oids(real.get(0).getExtensionValue(FakeIntelDcap.SGX_EXTENSION_OID)),
          oids(fake.get(0).getExtensionValue(FakeIntelDcap.SGX_EXTENSION_OID)), ca.name());
      X509Certificate pck = fake.get(0);
      pck.verify(fake.get(1).getPublicKey());
      fake.get(1).verify(fake.get(2).getPublicKey());
      fake.get(2).verify(fake.get(2).getPublicKey());
    }
    byte[] extension = dcap.pckCertificate().getExtensionValue(FakeIntelDcap.SGX_EXTENSION_OID);
    assertTrue(indexOf(extension, dcap.fmspc()) > 0, "FMSPC in the extension");
    assertTrue(indexOf(extension, dcap.cpuSvn()) > 0, "CPUSVN in the extension");
    certificate(dcap.tcbSigningDer()).verify(root.getPublicKey());
  }

  @Test
  void collateralHasIntelsFieldsAndVerifies() throws Exception {
    String realSgx = new String(TestVectors.bytes("intel-sgx/sgx_quote_collateral.json"),
        StandardCharsets.UTF_8);
    String realTdx = new String(TestVectors.bytes("intel-tdx/phala-v4/tdx_quote_collateral.json"),
        StandardCharsets.UTF_8);
    // A level with advisories, as the real SGX TCB info has.
    Collateral sgx = dcap.collateral(Tee.SGX)
        .tcbLevels(dcap.platformTcbLevel("SWHardeningNeeded", "INTEL-SA-00615")).build();
    Collateral tdx = dcap.collateral(Tee.TDX).tcbLevels(dcap.platformTcbLevel("UpToDate"),
        dcap.platformTcbLevel("OutOfDate", "INTEL-SA-00837")).build();
    assertEquals(topLevelKeys(realSgx), topLevelKeys(sgx.json()));
    assertEquals(names(realSgx.substring(realSgx.indexOf("\"tcb_info\""))),
        names(sgx.json().substring(sgx.json().indexOf("\"tcb_info\""))));
    assertEquals(names(realTdx.substring(realTdx.indexOf("\"tcb_info\""))),
        names(tdx.json().substring(tdx.json().indexOf("\"tcb_info\""))));
    assertTrue(tdx.tcbInfo().startsWith("{\"id\":\"TDX\",\"version\":3,"));
    assertTrue(tdx.qeIdentity().startsWith("{\"id\":\"TD_QE\",\"version\":2,"));
    assertTrue(tdx.tcbInfo().contains("\"tdxModuleIdentities\":[{\"id\":\"TDX_01\""));
    assertTrue(sgx.tcbInfo().contains("\"fmspc\":\"50806F000000\""));

    List<X509Certificate> chain = pemCertificates(
        sgx.tcbSigningChain().getBytes(StandardCharsets.US_ASCII));
    PublicKey tcbSigning = chain.get(0).getPublicKey();
    chain.get(0).verify(dcap.rootCa().getPublicKey());
    for (Collateral c : List.of(sgx, tdx)) {
      assertTrue(verifyRaw(tcbSigning, HexFormat.of().parseHex(c.tcbInfoSignature()),
          c.tcbInfo().getBytes(StandardCharsets.UTF_8)));
      assertTrue(verifyRaw(tcbSigning, HexFormat.of().parseHex(c.qeIdentitySignature()),
          c.qeIdentity().getBytes(StandardCharsets.UTF_8)));
      crl(c.rootCaCrl()).verify(dcap.rootCa().getPublicKey());
      crl(c.pckCrl()).verify(certificate(dcap.pckCaDer()).getPublicKey());
      assertFalse(crl(c.pckCrl()).isRevoked(dcap.pckCertificate()));
    }
    assertTrue(sgx.pcsTcbInfoBody().startsWith("{\"tcbInfo\":{\"id\":\"SGX\""));
  }

  @Test
  void collateralOptionsChangeWhatIsSigned() throws Exception {
    BigInteger pckSerial = dcap.pckCertificate().getSerialNumber();
    Collateral c = dcap.collateral(Tee.TDX)
        .tcbLevels(dcap.platformTcbLevel("OutOfDate", "INTEL-SA-00837"))
        .tdxModuleIdentities(new TdxModuleIdentity("TDX_01",
            List.of(new IsvTcbLevel(9, "2025-11-12T00:00:00Z", "UpToDate", List.of()))))
        .qeTcbLevels(new IsvTcbLevel(99, "2025-11-12T00:00:00Z", "UpToDate", List.of()))
        .revokedPckSerials(pckSerial)
        .build();
    assertTrue(c.tcbInfo().contains("\"tcbStatus\":\"OutOfDate\",\"advisoryIDs\":"
        + "[\"INTEL-SA-00837\"]"));
    assertTrue(c.qeIdentity().contains("{\"tcb\":{\"isvsvn\":99}"));
    assertTrue(crl(c.pckCrl()).isRevoked(dcap.pckCertificate()));
    crl(c.pckCrl()).verify(certificate(dcap.pckCaDer()).getPublicKey());
    assertFalse(crl(c.pckCrl(PckCa.PROCESSOR)).isRevoked(dcap.pckCertificate()));
    crl(c.pckCrl(PckCa.PROCESSOR)).verify(certificate(dcap.caDer(PckCa.PROCESSOR))
        .getPublicKey());
  }

  @Test
  void configfsTsmQuotesBindTheInblob() throws Exception {
    var tsm = dcap.configfsTsm(td -> td.mrTd(filled(48, 0x4D)));
    var entry = tsm.reportRoot().resolve("e");
    java.nio.file.Files.createDirectory(entry);
    assertEquals("tdx_guest",
        java.nio.file.Files.readString(entry.resolve("provider")).strip());
    java.nio.file.Files.write(entry.resolve("inblob"), filled(48, 0x11),
        java.nio.file.StandardOpenOption.WRITE);
    byte[] quote = java.nio.file.Files.readAllBytes(entry.resolve("outblob"));
    assertArrayEquals(Arrays.copyOf(filled(48, 0x11), 64),
        slice(quote, 48 + FakeIntelDcap.TD_REPORT_DATA, 64));
    assertArrayEquals(filled(48, 0x4D), slice(quote, 48 + FakeIntelDcap.TD_MR_TD, 48));
    verifyQuote(Layout.of(quote), quote);
  }

  @Test
  void wrongSizesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> dcap.sgxQuote().reportData(new byte[63]));
    assertThrows(IllegalArgumentException.class, () -> dcap.tdxQuote().mrTd(new byte[32]));
    assertThrows(IllegalArgumentException.class, () -> dcap.tdxQuote().version(3));
    assertThrows(IllegalArgumentException.class,
        () -> FakeIntelDcap.builder().fmspc(new byte[5]));
  }

  /** Quote signature, QE report signature by the PCK, QE report binding, PCK chain. */
  private void verifyQuote(Layout layout, byte[] quote) throws Exception {
    assertTrue(verifyRaw(rawKey(layout.attestationKey()), layout.signature(),
        Arrays.copyOf(quote, layout.signedSize())), "quote signature");
    List<X509Certificate> chain = pemCertificates(layout.certData());
    assertArrayEquals(dcap.pckCertificateDer(), chain.get(0).getEncoded());
    assertTrue(verifyRaw(chain.get(0).getPublicKey(), layout.qeSignature(), layout.qeReport()),
        "QE report signature");
    assertArrayEquals(concat(sha256(concat(layout.attestationKey(), layout.qeAuthData())),
        new byte[32]), slice(layout.qeReport(), 320, 64), "QE report binding");
    chain.get(0).verify(chain.get(1).getPublicKey());
    chain.get(1).verify(chain.get(2).getPublicKey());
    assertArrayEquals(dcap.rootCaDer(), chain.get(2).getEncoded());
  }

  private static boolean verifyRaw(PublicKey key, byte[] signature, byte[] data)
      throws Exception {
    Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
    verifier.initVerify(key);
    verifier.update(data);
    return verifier.verify(signature);
  }

  private static PublicKey rawKey(byte[] xy) throws Exception {
    ECPublicKey template = (ECPublicKey) FakeIntelDcap.create().attestationKeyPair().getPublic();
    ECPoint point = new ECPoint(new BigInteger(1, Arrays.copyOf(xy, 32)),
        new BigInteger(1, Arrays.copyOfRange(xy, 32, 64)));
    return KeyFactory.getInstance("EC").generatePublic(
        new ECPublicKeySpec(point, template.getParams()));
  }

  static List<X509Certificate> pemCertificates(byte[] pem) {
    try {
      int end = pem.length;
      while (end > 0 && pem[end - 1] == 0) {
        end--;
      }
      List<X509Certificate> out = new ArrayList<>();
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (var c : factory.generateCertificates(new ByteArrayInputStream(pem, 0, end))) {
        out.add((X509Certificate) c);
      }
      return out;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The OBJECT IDENTIFIERs in a DER value, in order: the shape of the SGX extension. */
  private static List<String> oids(byte[] extnValue) {
    List<String> out = new ArrayList<>();
    walk(extnValue, 0, extnValue.length, true, out);
    return out;
  }

  private static void walk(byte[] der, int from, int to, boolean outer, List<String> out) {
    int i = from;
    while (i < to) {
      int tag = der[i++] & 0xff;
      int length = der[i++] & 0xff;
      if (length > 0x80) {
        int n = length - 0x80;
        length = 0;
        for (int k = 0; k < n; k++) {
          length = (length << 8) | (der[i++] & 0xff);
        }
      }
      if (tag == 0x06) {
        out.add(hex(Arrays.copyOfRange(der, i, i + length)));
      } else if (tag == 0x30 || tag == 0x04 && outer) {
        walk(der, i, i + length, false, out);
      } else {
        out.add("tag " + tag + " length " + (tag == 0x02 ? "int" : length));
      }
      i += length;
    }
  }

  private static Set<String> topLevelKeys(String json) {
    Set<String> keys = new LinkedHashSet<>();
    Matcher m = Pattern.compile("(?m)^  \"(\\w+)\":").matcher(json);
    while (m.find()) {
      keys.add(m.group(1));
    }
    return keys;
  }

  /** Field names in order of first appearance, without the real TDX's informative ones. */
  private static Set<String> names(String json) {
    Set<String> keys = new LinkedHashSet<>();
    Matcher m = Pattern.compile("\\\\\"(\\w+)\\\\\":").matcher(json);
    while (m.find()) {
      if (!m.group(1).equals("category") && !m.group(1).equals("type")) {
        keys.add(m.group(1));
      }
    }
    return keys;
  }

  private static X509Certificate certificate(byte[] der) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(der));
  }

  private static X509CRL crl(byte[] der) throws Exception {
    return (X509CRL) CertificateFactory.getInstance("X.509")
        .generateCRL(new ByteArrayInputStream(der));
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int k = 0; k < needle.length; k++) {
        if (haystack[i + k] != needle[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static int le16(byte[] b, int offset) {
    return (b[offset] & 0xff) | (b[offset + 1] & 0xff) << 8;
  }

  static byte[] slice(byte[] b, int offset, int length) {
    return Arrays.copyOfRange(b, offset, offset + length);
  }

  static byte[] filled(int size, int value) {
    byte[] b = new byte[size];
    Arrays.fill(b, (byte) value);
    return b;
  }

  private static byte[] concat(byte[]... parts) {
    return FakeIntelDcap.concat(parts);
  }

  private static byte[] sha256(byte[] data) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(data);
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
