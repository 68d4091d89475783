package org.certifier.verifiers.sevsnp;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.certifier.crypto.Certificates;

/**
 * A minimal AMD look-alike for paths the real vectors cannot reach (VLEK, Turin and version 5
 * reports, odd certificates): an ARK, ASK and ASVK of RSA-2048 keys (AMD's are RSA-4096, which
 * is only slower) and VCEKs/VLEKs with KDS extensions, all from a seeded generator. Only for
 * tests in this package; the fake AMD signer for end-to-end tests belongs to
 * certifier-testing.
 */
final class FakeAmd {
  static final Instant NOT_BEFORE = Instant.parse("2024-01-01T00:00:00Z");
  static final Instant NOT_AFTER = Instant.parse("2031-01-01T00:00:00Z");
  static final Instant TIME = Instant.parse("2026-01-01T00:00:00Z");

  static final PSSParameterSpec AMD_PSS = new PSSParameterSpec(
      "SHA-384", "MGF1", MGF1ParameterSpec.SHA384, 48, PSSParameterSpec.TRAILER_FIELD_BC);

  private static final String KDS = "1.3.6.1.4.1.3704.1.";

  final SnpProduct product;
  final PrivateKey askKey;
  final PrivateKey asvkKey;
  final byte[] ark;
  final byte[] ask;
  final byte[] asvk;
  private final SecureRandom random;

  FakeAmd(SnpProduct product, long seed) throws Exception {
    this.product = product;
    this.random = SecureRandom.getInstance("SHA1PRNG");
    random.setSeed(seed);
    KeyPair arkPair = rsa();
    KeyPair askPair = rsa();
    KeyPair asvkPair = rsa();
    PrivateKey arkKey = arkPair.getPrivate();
    askKey = askPair.getPrivate();
    asvkKey = asvkPair.getPrivate();
    String name = product.kdsName();
    ark = new CertificateSpec("ARK-" + name, "ARK-" + name, arkPair.getPublic(), arkKey)
        .ca().der();
    ask = new CertificateSpec("SEV-" + name, "ARK-" + name, askPair.getPublic(), arkKey)
        .ca().der();
    asvk = new CertificateSpec("SEV-VLEK-" + name, "ARK-" + name, asvkPair.getPublic(), arkKey)
        .ca().der();
  }

  AmdRoots roots() throws Exception {
    return AmdRoots.insecureForTesting(List.of(new AmdRoots.ProductRoots(product,
        Certificates.parseDer(ark), Certificates.parseDer(ask), Certificates.parseDer(asvk))));
  }

  KeyPair ecKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp384r1"), random);
    return generator.generateKeyPair();
  }

  /** A VCEK certificate spec for this product: KDS extensions for the TCB and hwID. */
  CertificateSpec vcek(PublicKey key, TcbVersion tcb, byte[] hwId) {
    return new CertificateSpec("SEV-VCEK", "SEV-" + product.kdsName(), key, askKey)
        .kdsExtensions(product.kdsName() + "-B0", tcb)
        .extension(KDS + "4", false, hwId);
  }

  /** A VLEK certificate spec for this product, signed by the ASVK. */
  CertificateSpec vlek(PublicKey key, TcbVersion tcb) {
    return new CertificateSpec("SEV-VLEK", "SEV-VLEK-" + product.kdsName(), key, asvkKey)
        .kdsExtensions(product.kdsName(), tcb);
  }

  /** Signs a report in place, as the firmware does: R and S little-endian in 72 bytes. */
  static byte[] sign(byte[] report, PrivateKey key) throws Exception {
    byte[] signed = report.clone();
    Signature signer = Signature.getInstance("SHA384withECDSAinP1363Format");
    signer.initSign(key);
    signer.update(signed, 0, SnpLayout.SIGNATURE);
    byte[] rs = signer.sign();
    Arrays.fill(signed, SnpLayout.SIGNATURE, SnpLayout.REPORT_SIZE, (byte) 0);
    for (int i = 0; i < 48; i++) {
      signed[SnpLayout.SIGNATURE_R + i] = rs[47 - i];
      signed[SnpLayout.SIGNATURE_S + i] = rs[95 - i];
    }
    return signed;
  }

  private KeyPair rsa() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048, random);
    return generator.generateKeyPair();
  }

  /** An X.509 v3 certificate in AMD's profile, with knobs for breaking it. */
  final class CertificateSpec {
    private final String subject;
    private final String issuer;
    private final PublicKey key;
    private final PrivateKey issuerKey;
    private final List<byte[]> extensions = new ArrayList<>();
    private PSSParameterSpec pss = AMD_PSS;

    CertificateSpec(String subject, String issuer, PublicKey key, PrivateKey issuerKey) {
      this.subject = subject;
      this.issuer = issuer;
      this.key = key;
      this.issuerKey = issuerKey;
    }

    CertificateSpec ca() {
      extension("2.5.29.19", true, seq(bool()));
      return extension("2.5.29.15", true, bitString(new byte[] {(byte) 0x06}, 1));
    }

    CertificateSpec kdsExtensions(String productName, TcbVersion tcb) {
      extension(KDS + "1", false, integer(BigInteger.ONE));
      extension(KDS + "2", false, tlv(0x16, productName.getBytes(StandardCharsets.US_ASCII)));
      if (tcb.fmc().isPresent()) {
        spl("3.9", tcb.fmc().getAsInt());
      }
      spl("3.1", tcb.bootloader());
      spl("3.2", tcb.tee());
      spl("3.3", tcb.snp());
      return spl("3.8", tcb.microcode());
    }

    CertificateSpec spl(String arc, int value) {
      return extension(KDS + arc, false, integer(BigInteger.valueOf(value)));
    }

    CertificateSpec extension(String oid, boolean critical, byte[] value) {
      extensions.add(critical
          ? seq(oid(oid), bool(), tlv(0x04, value))
          : seq(oid(oid), tlv(0x04, value)));
      return this;
    }

    CertificateSpec pss(PSSParameterSpec spec) {
      pss = spec;
      return this;
    }

    byte[] der() throws Exception {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("RSASSA-PSS");
      parameters.init(pss);
      byte[] algorithm = seq(oid("1.2.840.113549.1.1.10"), parameters.getEncoded());
      byte[] tbs = seq(
          tlv(0xA0, integer(BigInteger.TWO)),
          integer(BigInteger.ZERO),
          algorithm,
          name(issuer),
          seq(utcTime(NOT_BEFORE), utcTime(NOT_AFTER)),
          name(subject),
          key.getEncoded(),
          tlv(0xA3, seq(extensions.toArray(byte[][]::new))));
      Signature signer = Signature.getInstance("RSASSA-PSS");
      signer.setParameter(pss);
      signer.initSign(issuerKey);
      signer.update(tbs);
      return seq(tbs, algorithm, bitString(signer.sign(), 0));
    }
  }

  private static byte[] name(String commonName) {
    return new X500Principal("CN=" + commonName + ", O=Advanced Micro Devices, ST=CA, "
        + "L=Santa Clara, C=US, OU=Engineering").getEncoded();
  }

  static byte[] seq(byte[]... parts) {
    return tlv(0x30, parts);
  }

  static byte[] integer(BigInteger value) {
    return tlv(0x02, value.toByteArray());
  }

  private static byte[] bool() {
    return tlv(0x01, new byte[] {(byte) 0xff});
  }

  private static byte[] bitString(byte[] bits, int unusedBits) {
    byte[] content = new byte[bits.length + 1];
    content[0] = (byte) unusedBits;
    System.arraycopy(bits, 0, content, 1, bits.length);
    return tlv(0x03, content);
  }

  private static byte[] utcTime(Instant time) {
    return tlv(0x17, DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC)
        .format(time).getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] oid(String dotted) {
    String[] arcs = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(40 * Integer.parseInt(arcs[0]) + Integer.parseInt(arcs[1]));
    for (int i = 2; i < arcs.length; i++) {
      long arc = Long.parseLong(arcs[i]);
      int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(arc) + 6) / 7);
      for (int g = groups - 1; g >= 0; g--) {
        out.write((int) ((arc >>> (7 * g)) & 0x7f) | (g > 0 ? 0x80 : 0));
      }
    }
    return tlv(0x06, out.toByteArray());
  }

  static byte[] tlv(int tag, byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      content.writeBytes(p);
    }
    int length = content.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    if (length < 0x80) {
      out.write(length);
    } else if (length < 0x100) {
      out.write(0x81);
      out.write(length);
    } else {
      out.write(0x82);
      out.write(length >>> 8);
      out.write(length & 0xff);
    }
    out.writeBytes(content.toByteArray());
    return out.toByteArray();
  }
}
