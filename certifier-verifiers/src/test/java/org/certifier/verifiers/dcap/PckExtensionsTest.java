package org.certifier.verifiers.dcap;

import static org.certifier.testing.der.Der.octetString;
import static org.certifier.testing.der.Der.oid;
import static org.certifier.testing.der.Der.seq;
import static org.certifier.testing.der.Der.tlv;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.testing.der.Der;
import org.junit.jupiter.api.Test;

/** The SGX Extensions reader on Intel's real extensions and on hand-made DER. */
class PckExtensionsTest {
  private static final String SGX = PckExtensions.SGX_EXTENSIONS_OID;
  private static final byte[] PPID = new byte[16];
  private static final byte[] CPUSVN = DcapVectors.hex("0b0b0202ff0100000000000000000000");

  @Test
  void theRealExtensionReadsTheSameFromItsBytes() throws Exception {
    for (DcapVectors vector : DcapVectors.values()) {
      X509Certificate pck = new QuoteVerifier(IntelRoots.embedded())
          .verify(vector.bytes(), vector.time).pckCertificate();
      assertEquals(PckExtensions.read(pck),
          PckExtensions.parse(pck.getExtensionValue(SGX)));
    }
  }

  @Test
  void aHandMadeExtensionReads() throws Exception {
    PckExtensions e = PckExtensions.parse(extension(entries()));
    assertArrayEquals(new int[] {11, 11, 2, 2, 255, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
        e.cpuSvnComponents());
    assertEquals(0x1234, e.pceSvn());
    assertEquals(ByteString.copyFrom(CPUSVN), e.cpuSvn());
    assertEquals(QuoteBytes.bytes("00a067110000"), e.fmspc());
    assertEquals(2, e.sgxType());
    assertEquals(Optional.empty(), e.configuration());

    List<byte[]> withConfiguration = entries();
    withConfiguration.add(entry(SGX + ".6", octetString(new byte[16])));
    withConfiguration.add(entry(SGX + ".7", seq(entry(SGX + ".7.3", bool(0x00)))));
    PckExtensions platform = PckExtensions.parse(extension(withConfiguration));
    assertEquals(Optional.of(new PckExtensions.PlatformConfiguration(Optional.empty(),
        Optional.empty(), Optional.of(false))), platform.configuration());
    assertNotEquals(e, platform);
  }

  @Test
  void theComponentsAreCopied() throws Exception {
    PckExtensions e = PckExtensions.parse(extension(entries()));
    e.cpuSvnComponents()[0] = 99;
    assertEquals(11, e.cpuSvnComponent(1));
    assertEquals(e, PckExtensions.parse(extension(entries())));
    assertEquals(e.hashCode(), PckExtensions.parse(extension(entries())).hashCode());
  }

  @Test
  void anythingButTheProfilesDerIsMalformed() {
    List<byte[]> missing = entries();
    missing.remove(3);
    assertMalformed(extension(missing));
    List<byte[]> swapped = entries();
    swapped.add(2, swapped.remove(3));
    assertMalformed(extension(swapped));
    List<byte[]> unknown = entries();
    unknown.add(entry(SGX + ".8", octetString(new byte[1])));
    assertMalformed(extension(unknown));
    List<byte[]> badType = entries();
    badType.set(4, entry(SGX + ".5", tlv(0x0a, new byte[] {3})));
    assertMalformed(extension(badType));
    List<byte[]> shortFmspc = entries();
    shortFmspc.set(3, entry(SGX + ".4", octetString(new byte[5])));
    assertMalformed(extension(shortFmspc));
    List<byte[]> badBoolean = entries();
    badBoolean.add(entry(SGX + ".6", octetString(new byte[16])));
    badBoolean.add(entry(SGX + ".7", seq(entry(SGX + ".7.1", bool(0x01)))));
    assertMalformed(extension(badBoolean));

    assertMalformed(extension(entries(integer(256), integer(1))));
    assertMalformed(extension(entries(tlv(0x02, new byte[] {0, 5}), integer(1))));
    assertMalformed(extension(entries(tlv(0x02, new byte[] {(byte) 0x85}), integer(1))));
    assertMalformed(extension(entries(tlv(0x02, new byte[0]), integer(1))));
    assertMalformed(extension(entries(integer(1), integer(0x10000))));

    byte[] good = extension(entries());
    byte[] trailing = new byte[good.length + 1];
    System.arraycopy(good, 0, trailing, 0, good.length);
    assertMalformed(trailing);
    assertMalformed(tlv(0x04, seq(entries().toArray(byte[][]::new)), new byte[] {0}));
    assertMalformed(new byte[] {0x04, (byte) 0x81, 0x05, 0x30, 0x03, 0x30, 0x01, 0x00});
    assertMalformed(new byte[] {0x04, 0x03, 0x30, (byte) 0x80, 0x00});
    assertMalformed(new byte[] {0x04, 0x05, 0x30, (byte) 0x82, 0x00, 0x01, 0x00});
    assertMalformed(new byte[0]);
    assertMalformed(octetString(new byte[0]));
  }

  /** PPID, TCB, PCE-ID, FMSPC and SGX Type as in Intel's profile, with 11 as Comp01. */
  private static List<byte[]> entries() {
    return entries(integer(11), integer(0x1234));
  }

  private static List<byte[]> entries(byte[] comp01, byte[] pceSvn) {
    int[] components = {11, 11, 2, 2, 255, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    List<byte[]> tcb = new ArrayList<>();
    for (int i = 1; i <= 16; i++) {
      tcb.add(entry(SGX + ".2." + i, i == 1 ? comp01 : integer(components[i - 1])));
    }
    tcb.add(entry(SGX + ".2.17", pceSvn));
    tcb.add(entry(SGX + ".2.18", octetString(CPUSVN)));
    List<byte[]> entries = new ArrayList<>();
    entries.add(entry(SGX + ".1", octetString(PPID)));
    entries.add(entry(SGX + ".2", seq(tcb.toArray(byte[][]::new))));
    entries.add(entry(SGX + ".3", octetString(new byte[2])));
    entries.add(entry(SGX + ".4", octetString(DcapVectors.hex("00a067110000"))));
    entries.add(entry(SGX + ".5", tlv(0x0a, new byte[] {2})));
    return entries;
  }

  private static byte[] extension(List<byte[]> entries) {
    return octetString(seq(entries.toArray(byte[][]::new)));
  }

  private static byte[] entry(String oid, byte[] value) {
    return seq(oid(oid), value);
  }

  private static byte[] integer(long value) {
    return Der.integer(BigInteger.valueOf(value));
  }

  private static byte[] bool(int value) {
    return tlv(0x01, new byte[] {(byte) value});
  }

  private static void assertMalformed(byte[] extension) {
    VerificationException e = assertThrows(VerificationException.class,
        () -> PckExtensions.parse(extension));
    assertEquals(Failure.MALFORMED_EVIDENCE, e.failure(), e.getMessage());
  }
}
