package org.certifier.testing.amd;

import static org.certifier.testing.der.Der.bitString;
import static org.certifier.testing.der.Der.booleanTrue;
import static org.certifier.testing.der.Der.ia5String;
import static org.certifier.testing.der.Der.integer;
import static org.certifier.testing.der.Der.octetString;
import static org.certifier.testing.der.Der.oid;
import static org.certifier.testing.der.Der.seq;
import static org.certifier.testing.der.Der.tlv;
import static org.certifier.testing.der.Der.utcTime;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.security.auth.x500.X500Principal;
import org.certifier.crypto.Certificates;
import org.certifier.crypto.CryptoException;
import org.certifier.testing.der.SeededRandom;
import org.certifier.testing.tsm.FakeConfigfsTsm;

/**
 * A fake AMD secure processor for tests: one chip of a product line, with AMD's certificate
 * chain in AMD's profile (KDS spec 57230) and SEV-SNP attestation reports in the firmware's
 * layout (ABI spec 56860, §7.3), all signed by keys of its own.
 *
 * <p>The ARK, ASK and ASVK are RSA-4096 keys that sign with RSASSA-PSS (SHA-384, MGF1-SHA-384,
 * salt 48), as AMD's do; the VCEK is a P-384 key whose certificate carries the KDS extensions
 * (product name, SPLs of the TCB, hwID). Every key is generated from a fixed seed in this code:
 * no private key is committed anywhere, and the same product and seed give the same keys in
 * every JVM. Certificate and report signatures take their randomness from the signed bytes, so
 * the same inputs give the same bytes. Generating RSA-4096 keys takes seconds, so the keys of a
 * product and seed are made once per JVM and shared. It also issues a VLEK (signed by the ASVK,
 * {@link #vlekDer()}, reports from {@link ReportBuilder#vlek()}) and AMD's CRL signed by the
 * ARK ({@link #crl()}), revoking chosen serials ({@link #ASK_SERIAL}, {@link #ASVK_SERIAL}).
 *
 * <p>Nothing here is trusted by production code: a verifier accepts these certificates only
 * through {@code AmdRoots.insecureForTesting}, with {@link #ark()}, {@link #ask()} and
 * {@link #asvk()}.
 */
public final class FakeAmdSp {
  /** Validity of every fake certificate. */
  public static final Instant NOT_BEFORE = Instant.parse("2024-01-01T00:00:00Z");
  public static final Instant NOT_AFTER = Instant.parse("2031-01-01T00:00:00Z");
  /** A time inside every fake certificate's validity, for pinned clocks. */
  public static final Instant TIME = Instant.parse("2026-01-01T00:00:00Z");

  /** The only RSASSA-PSS parameters AMD signs with. */
  public static final PSSParameterSpec AMD_PSS = new PSSParameterSpec(
      "SHA-384", "MGF1", MGF1ParameterSpec.SHA384, 48, PSSParameterSpec.TRAILER_FIELD_BC);

  /** Guest policy bit 16: SMT allowed (ABI spec 56860, §4.3). */
  public static final long POLICY_SMT = 1L << 16;
  /** Guest policy bit 17: reserved, must be one. */
  public static final long POLICY_RESERVED_ONE = 1L << 17;
  /** Guest policy bit 18: a migration agent may be associated. */
  public static final long POLICY_MIGRATE_MA = 1L << 18;
  /** Guest policy bit 19: the host may debug the guest. */
  public static final long POLICY_DEBUG = 1L << 19;
  /** Guest policy bit 20: single socket only. */
  public static final long POLICY_SINGLE_SOCKET = 1L << 20;
  /** The policy most real guests run with (0x30000): SMT allowed, ABI 0.0, no debugging. */
  public static final long DEFAULT_POLICY = POLICY_RESERVED_ONE | POLICY_SMT;

  /** The ATTESTATION_REPORT is 0x4A0 bytes in versions 2 to 5. */
  public static final int REPORT_SIZE = 0x4A0;
  /** Offset of the 64-byte REPORT_DATA. */
  public static final int REPORT_DATA = 0x050;
  /** Offset of the 48-byte MEASUREMENT. */
  public static final int MEASUREMENT = 0x090;
  /** Offset of the signature; the signature covers every byte before it. */
  public static final int SIGNATURE = 0x2A0;

  /**
   * GUIDs of the extended report's certificate table (GHCB spec 56421, "SNP Extended Guest
   * Request"; reference-certifier.md §4.3).
   */
  public static final String VCEK_GUID = "63da758d-e664-4564-adc5-f4b93be8accd";
  public static final String ASK_GUID = "4ab7b379-bbac-4fe4-a02f-05aef327c782";
  public static final String ARK_GUID = "c0b406a4-a803-4952-9743-3fb6014cd0ae";

  private static final int VERSION = 0x000;
  private static final int GUEST_SVN = 0x004;
  private static final int POLICY = 0x008;
  private static final int FAMILY_ID = 0x010;
  private static final int IMAGE_ID = 0x020;
  private static final int VMPL = 0x030;
  private static final int SIGNATURE_ALGO = 0x034;
  private static final int CURRENT_TCB = 0x038;
  private static final int PLATFORM_INFO = 0x040;
  private static final int KEY_INFO = 0x048;
  private static final int HOST_DATA = 0x0C0;
  private static final int REPORTED_TCB = 0x180;
  private static final int CPUID_FAM_ID = 0x188;
  private static final int CHIP_ID = 0x1A0;
  private static final int COMMITTED_TCB = 0x1E0;
  private static final int CURRENT_BUILD = 0x1E8;
  private static final int COMMITTED_BUILD = 0x1EC;
  private static final int LAUNCH_TCB = 0x1F0;
  private static final int SIGNATURE_S = 0x2E8;
  private static final int P384_BYTES = 48;

  /** Serial numbers of the fake ARK, ASK and ASVK. */
  public static final BigInteger ARK_SERIAL = BigInteger.ONE;
  public static final BigInteger ASK_SERIAL = BigInteger.TWO;
  public static final BigInteger ASVK_SERIAL = BigInteger.valueOf(3);

  private static final String KDS = "1.3.6.1.4.1.3704.1.";
  private static final String RSASSA_PSS = "1.2.840.113549.1.1.10";
  static final long DEFAULT_SEED = 0x5EED_A3D0L;
  private static final Map<String, Keys> KEYS = new ConcurrentHashMap<>();

  /**
   * The product lines, with what the fake needs to imitate each: the productName extension,
   * the CPUID family a version 3 report carries, the hwID length and the TCB_VERSION layout.
   */
  public enum Product {
    MILAN("Milan", "Milan-B0", 0x19, 0x01, 64, false, 0x7308_0000_0000_0003L),
    GENOA("Genoa", "Genoa", 0x19, 0x11, 64, false, 0x1A16_0000_0000_0007L),
    TURIN("Turin", "Turin", 0x1A, 0x02, 8, true, 0x0900_0000_0102_0301L);

    private final String kdsName;
    private final String productName;
    private final int cpuidFamily;
    private final int cpuidModel;
    private final int hwIdLength;
    private final boolean turinLayout;
    private final long defaultTcb;

    Product(String kdsName, String productName, int cpuidFamily, int cpuidModel, int hwIdLength,
        boolean turinLayout, long defaultTcb) {
      this.kdsName = kdsName;
      this.productName = productName;
      this.cpuidFamily = cpuidFamily;
      this.cpuidModel = cpuidModel;
      this.hwIdLength = hwIdLength;
      this.turinLayout = turinLayout;
      this.defaultTcb = defaultTcb;
    }

    /** The name in AMD's certificate names and KDS URLs, e.g. {@code Milan}. */
    public String kdsName() {
      return kdsName;
    }

    /** The VCEK's productName extension, e.g. {@code Milan-B0}. */
    public String productName() {
      return productName;
    }

    /** The length of the VCEK's hwID: the whole CHIP_ID up to Genoa, 8 bytes from Turin on. */
    public int hwIdLength() {
      return hwIdLength;
    }

    /**
     * The SPLs of a TCB_VERSION value in this product's layout (ABI spec 56860, §2.2): boot
     * loader, TEE, SNP, microcode, and FMC (Turin only, else -1).
     */
    int[] spls(long tcb) {
      return turinLayout
          ? new int[] {byteAt(tcb, 1), byteAt(tcb, 2), byteAt(tcb, 3), byteAt(tcb, 7),
              byteAt(tcb, 0)}
          : new int[] {byteAt(tcb, 0), byteAt(tcb, 1), byteAt(tcb, 6), byteAt(tcb, 7), -1};
    }
  }

  /** The keys and root certificates of one product and seed, made once per JVM. */
  private record Keys(Product product, long seed, KeyPair ark, KeyPair ask, KeyPair asvk,
      KeyPair vcek, byte[] arkDer, byte[] askDer, byte[] asvkDer, byte[] chipId) {}

  private final Keys keys;
  private final long tcb;
  private final byte[] vcekDer;

  private FakeAmdSp(Keys keys, long tcb) {
    this.keys = keys;
    this.tcb = tcb;
    this.vcekDer = vcek(keys.vcek().getPublic(), tcb, hwId()).der();
  }

  /** The default Milan chip. */
  public static FakeAmdSp milan() {
    return of(Product.MILAN);
  }

  /** The default chip of a product, at the product's default TCB. */
  public static FakeAmdSp of(Product product) {
    return of(product, DEFAULT_SEED);
  }

  /**
   * The chip of a product made from {@code seed}, at the product's default TCB. Different
   * seeds give different ARKs, so two seeds make two unrelated AMDs.
   */
  public static FakeAmdSp of(Product product, long seed) {
    Objects.requireNonNull(product, "product");
    Keys keys = KEYS.computeIfAbsent(product + "/" + seed, k -> generate(product, seed));
    return new FakeAmdSp(keys, product.defaultTcb);
  }

  /**
   * The same chip after a firmware or microcode change: reports carry {@code tcbVersion} as
   * their TCBs and {@link #vcekDer()} certifies the VCEK for it, as AMD's KDS would.
   *
   * @param tcbVersion the 64-bit TCB_VERSION in this product's layout
   */
  public FakeAmdSp withTcb(long tcbVersion) {
    return new FakeAmdSp(keys, tcbVersion);
  }

  public Product product() {
    return keys.product();
  }

  /** The TCB_VERSION this chip reports and its VCEK certificate vouches for. */
  public long tcb() {
    return tcb;
  }

  public X509Certificate ark() {
    return parse(keys.arkDer());
  }

  public X509Certificate ask() {
    return parse(keys.askDer());
  }

  public X509Certificate asvk() {
    return parse(keys.asvkDer());
  }

  public byte[] arkDer() {
    return keys.arkDer().clone();
  }

  public byte[] askDer() {
    return keys.askDer().clone();
  }

  public byte[] asvkDer() {
    return keys.asvkDer().clone();
  }

  /** The VCEK certificate for this chip at {@link #tcb()}. */
  public byte[] vcekDer() {
    return vcekDer.clone();
  }

  public X509Certificate vcek() {
    return parse(vcekDer);
  }

  /** The VLEK certificate (signed by the ASVK) for this product at {@link #tcb()}. */
  public byte[] vlekDer() {
    return vlek(vlekKeyPair().getPublic(), tcb).der();
  }

  /** The VLEK's key pair: {@link #p384KeyPair} with label {@code VLEK}. */
  public KeyPair vlekKeyPair() {
    return p384KeyPair("VLEK");
  }

  /** The VCEK's key pair, to sign reports made by hand. */
  public KeyPair vcekKeyPair() {
    return keys.vcek();
  }

  /** The ASK's private key, to issue odd VCEK certificates with {@link #certificate}. */
  public PrivateKey askKey() {
    return keys.ask().getPrivate();
  }

  /** The ASVK's private key, to issue VLEK certificates. */
  public PrivateKey asvkKey() {
    return keys.asvk().getPrivate();
  }

  /** This chip's 64-byte CHIP_ID; from Turin on only its first 8 bytes identify the chip. */
  public byte[] chipId() {
    return keys.chipId().clone();
  }

  /** The hwID of the VCEK: the CHIP_ID's first {@link Product#hwIdLength()} bytes. */
  public byte[] hwId() {
    return Arrays.copyOf(keys.chipId(), product().hwIdLength());
  }

  /** A P-384 key pair made from this fake's seed and {@code label}, e.g. for a fake VLEK. */
  public KeyPair p384KeyPair(String label) {
    return ecKeyPair(random(product(), keys.seed(), label));
  }

  /** A report of this chip, to fill in and sign. */
  public ReportBuilder report() {
    return new ReportBuilder();
  }

  /**
   * The certificate table of an extended report, as the host hands it to the guest (and Linux
   * passes it on as configfs-tsm's {@code auxblob}): entries of GUID, offset and length, ended
   * by an all-zero entry, then the DER certificates VCEK, ASK, ARK (GHCB spec 56421, "SNP
   * Extended Guest Request").
   */
  public byte[] certificateTable() {
    return certificateTable(List.of(
        new TableEntry(VCEK_GUID, vcekDer), new TableEntry(ASK_GUID, keys.askDer()),
        new TableEntry(ARK_GUID, keys.arkDer())));
  }

  /** One certificate of a certificate table. */
  public record TableEntry(String guid, byte[] certificate) {}

  /** A certificate table with the given entries, in order, for malformed-table tests. */
  public static byte[] certificateTable(List<TableEntry> entries) {
    int entrySize = 24;
    int offset = (entries.size() + 1) * entrySize;
    ByteBuffer head = ByteBuffer.allocate(offset).order(ByteOrder.LITTLE_ENDIAN);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (TableEntry e : entries) {
      head.put(HexFormat.of().parseHex(e.guid().replace("-", "")));
      head.putInt(offset + body.size());
      head.putInt(e.certificate().length);
      body.writeBytes(e.certificate());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.array());
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  /**
   * This chip behind Linux's {@code sev_guest} driver, as configfs-tsm shows it: each
   * {@code inblob} (zero-padded to 64 bytes, as the driver pads it) becomes REPORT_DATA and
   * {@code privlevel} the VMPL of a report that {@code guest} fills in further (measurement,
   * policy, ...); {@code auxblob} is {@link #certificateTable()} when the host supplies
   * certificates, else empty.
   */
  public FakeConfigfsTsm configfsTsm(Consumer<ReportBuilder> guest,
      boolean hostSuppliesCertificates) {
    return new FakeConfigfsTsm("sev_guest", 0, (inblob, privlevel) -> {
      ReportBuilder report = report();
      guest.accept(report);
      byte[] auxblob = hostSuppliesCertificates ? certificateTable() : new byte[0];
      return new FakeConfigfsTsm.Blobs(
          report.reportData(Arrays.copyOf(inblob, 64)).vmpl(privlevel).signed(), auxblob);
    });
  }

  /**
   * A VCEK certificate in AMD's profile, signed by this product's ASK, with the KDS
   * extensions for {@code tcbVersion} and the hwID.
   */
  public CertificateSpec vcek(PublicKey key, long tcbVersion, byte[] hwId) {
    return certificate("SEV-VCEK", "SEV-" + product().kdsName(), key, keys.ask().getPrivate())
        .kdsExtensions(product().productName(), tcbVersion)
        .extension(KDS + "4", false, hwId);
  }

  /** A VLEK certificate in AMD's profile, signed by this product's ASVK. */
  public CertificateSpec vlek(PublicKey key, long tcbVersion) {
    return certificate("SEV-VLEK", "SEV-VLEK-" + product().kdsName(), key,
        keys.asvk().getPrivate()).kdsExtensions(product().kdsName(), tcbVersion);
  }

  /**
   * A CRL as AMD's KDS serves it for this product ({@code /vcek/v1/{product}/crl}, or the
   * {@code vlek} one): X.509 v2 (RFC 5280 §5), issued and signed by the ARK with AMD's
   * RSASSA-PSS, valid from {@link #NOT_BEFORE} to {@link #NOT_AFTER}, revoking nothing until
   * told to.
   */
  public CrlSpec crl() {
    return new CrlSpec("ARK-" + product().kdsName(), keys.ark().getPrivate());
  }

  /** Any certificate with AMD's names, for tests that need one AMD would never issue. */
  public CertificateSpec certificate(String subjectCn, String issuerCn, PublicKey key,
      PrivateKey issuerKey) {
    return new CertificateSpec(product(), subjectCn, issuerCn, key, issuerKey);
  }

  /**
   * Signs a report as the firmware does: ECDSA P-384 with SHA-384 over bytes 0x000 to 0x29F,
   * R and S little-endian in 72-byte fields at 0x2A0 and 0x2E8, the rest of the signature area
   * zero (ABI spec 56860, chapter 10).
   */
  public static byte[] sign(byte[] report, PrivateKey key) {
    if (report.length != REPORT_SIZE) {
      throw new IllegalArgumentException("a report is 0x4A0 bytes, not " + report.length);
    }
    byte[] signed = report.clone();
    byte[] rs;
    try {
      Signature signer = Signature.getInstance("SHA384withECDSAinP1363Format");
      signer.initSign(key, deterministicRandom(Arrays.copyOf(signed, SIGNATURE)));
      signer.update(signed, 0, SIGNATURE);
      rs = signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a fake report", e);
    }
    Arrays.fill(signed, SIGNATURE, REPORT_SIZE, (byte) 0);
    for (int i = 0; i < P384_BYTES; i++) {
      signed[SIGNATURE + i] = rs[P384_BYTES - 1 - i];
      signed[SIGNATURE_S + i] = rs[2 * P384_BYTES - 1 - i];
    }
    return signed;
  }

  @Override
  public String toString() {
    return "FakeAmdSp[" + product().kdsName() + ", seed " + keys.seed() + ", tcb 0x"
        + Long.toHexString(tcb) + "]";
  }

  /** Fills in an ATTESTATION_REPORT; unset fields are zero or this chip's values. */
  public final class ReportBuilder {
    private int version = 3;
    private long guestSvn;
    private long policy = DEFAULT_POLICY;
    private int vmpl;
    private byte[] reportData = new byte[64];
    private byte[] measurement = new byte[48];
    private byte[] hostData = new byte[32];
    private byte[] familyId = new byte[16];
    private byte[] imageId = new byte[16];
    private byte[] chipId = keys.chipId().clone();
    private long reportedTcb = tcb;
    private int signingKeyField;
    private boolean vlekSigns;

    private ReportBuilder() {}

    /** Version 2 (no CPUID) or 3 (the default, with this product's CPUID family). */
    public ReportBuilder version(int reportVersion) {
      if (reportVersion != 2 && reportVersion != 3) {
        throw new IllegalArgumentException("the fake writes versions 2 and 3");
      }
      version = reportVersion;
      return this;
    }

    public ReportBuilder guestSvn(long svn) {
      guestSvn = svn;
      return this;
    }

    /** The 64-bit guest policy, e.g. {@code DEFAULT_POLICY | POLICY_DEBUG}. */
    public ReportBuilder policy(long guestPolicy) {
      policy = guestPolicy;
      return this;
    }

    public ReportBuilder vmpl(int level) {
      vmpl = level;
      return this;
    }

    /** The 64 bytes the guest asked to be reported. */
    public ReportBuilder reportData(byte[] data) {
      reportData = sized(data, 64, "REPORT_DATA");
      return this;
    }

    /** The 48-byte launch measurement. */
    public ReportBuilder measurement(byte[] launchDigest) {
      measurement = sized(launchDigest, 48, "MEASUREMENT");
      return this;
    }

    public ReportBuilder hostData(byte[] data) {
      hostData = sized(data, 32, "HOST_DATA");
      return this;
    }

    public ReportBuilder familyId(byte[] id) {
      familyId = sized(id, 16, "FAMILY_ID");
      return this;
    }

    public ReportBuilder imageId(byte[] id) {
      imageId = sized(id, 16, "IMAGE_ID");
      return this;
    }

    /** A CHIP_ID other than this chip's, e.g. to impersonate another chip. */
    public ReportBuilder chipId(byte[] id) {
      chipId = sized(id, 64, "CHIP_ID");
      return this;
    }

    /**
     * REPORTED_TCB only, leaving the other TCB fields at the chip's TCB: a report that claims
     * a TCB its VCEK was not derived for.
     */
    public ReportBuilder reportedTcb(long tcbVersion) {
      reportedTcb = tcbVersion;
      return this;
    }

    /** Signed by the VLEK, and saying so in SIGNING_KEY (1), as a cloud provider's chip does. */
    public ReportBuilder vlek() {
      signingKeyField = 1;
      vlekSigns = true;
      return this;
    }

    /**
     * The SIGNING_KEY field (KEY_INFO bits 4:2: 0 VCEK, 1 VLEK, 7 none) whatever key signs: a
     * report that names another signer than the one that signed it.
     */
    public ReportBuilder signingKeyField(int value) {
      signingKeyField = value;
      return this;
    }

    /** The report's bytes with an all-zero signature area. */
    public byte[] unsigned() {
      ByteBuffer out = ByteBuffer.allocate(REPORT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
      out.putInt(VERSION, version);
      out.putInt(GUEST_SVN, (int) guestSvn);
      out.putLong(POLICY, policy);
      out.put(FAMILY_ID, familyId);
      out.put(IMAGE_ID, imageId);
      out.putInt(VMPL, vmpl);
      out.putInt(SIGNATURE_ALGO, 1);
      out.putLong(CURRENT_TCB, tcb);
      out.putLong(PLATFORM_INFO, 1); // SMT enabled on the host
      out.putInt(KEY_INFO, signingKeyField << 2); // chip id not masked
      out.put(REPORT_DATA, reportData);
      out.put(MEASUREMENT, measurement);
      out.put(HOST_DATA, hostData);
      out.putLong(REPORTED_TCB, reportedTcb);
      if (version >= 3) {
        out.put(CPUID_FAM_ID, (byte) product().cpuidFamily);
        out.put(CPUID_FAM_ID + 1, (byte) product().cpuidModel);
        out.put(CPUID_FAM_ID + 2, (byte) 1);
      }
      out.put(CHIP_ID, chipId);
      out.putLong(COMMITTED_TCB, tcb);
      // Firmware 1.55 build 21, current and committed.
      out.put(CURRENT_BUILD, new byte[] {21, 55, 1});
      out.put(COMMITTED_BUILD, new byte[] {21, 55, 1});
      out.putLong(LAUNCH_TCB, tcb);
      return out.array();
    }

    /** The report signed by this chip's VCEK, or by the VLEK after {@link #vlek()}. */
    public byte[] signed() {
      return sign(unsigned(), vlekSigns ? vlekKeyPair().getPrivate() : keys.vcek().getPrivate());
    }
  }

  /** An X.509 v3 certificate in AMD's profile, with knobs for breaking it. */
  public static final class CertificateSpec {
    private final Product product;
    private final String subject;
    private final String issuer;
    private final PublicKey key;
    private final PrivateKey issuerKey;
    private final List<byte[]> extensions = new ArrayList<>();
    private PSSParameterSpec pss = AMD_PSS;
    private Instant notBefore = NOT_BEFORE;
    private Instant notAfter = NOT_AFTER;
    private BigInteger serial = BigInteger.ZERO;

    private CertificateSpec(Product product, String subject, String issuer, PublicKey key,
        PrivateKey issuerKey) {
      this.product = product;
      this.subject = subject;
      this.issuer = issuer;
      this.key = key;
      this.issuerKey = issuerKey;
    }

    /** Marks the certificate as a CA: basic constraints and key usage keyCertSign, cRLSign. */
    public CertificateSpec ca() {
      extension("2.5.29.19", true, seq(booleanTrue()));
      return extension("2.5.29.15", true, bitString(new byte[] {(byte) 0x06}, 1));
    }

    /** The KDS extensions of a VCEK or VLEK: struct version, product name and the SPLs. */
    public CertificateSpec kdsExtensions(String productName, long tcbVersion) {
      extension(KDS + "1", false, integer(BigInteger.ONE));
      extension(KDS + "2", false, ia5String(productName));
      int[] spls = product.spls(tcbVersion);
      if (spls[4] >= 0) {
        spl("3.9", spls[4]);
      }
      spl("3.1", spls[0]);
      spl("3.2", spls[1]);
      spl("3.3", spls[2]);
      return spl("3.8", spls[3]);
    }

    /** An SPL extension {@code 1.3.6.1.4.1.3704.1.<arc>} holding {@code value}. */
    public CertificateSpec spl(String arc, int value) {
      return extension(KDS + arc, false, integer(BigInteger.valueOf(value)));
    }

    /** Adds an extension whose extnValue holds {@code value}. */
    public CertificateSpec extension(String oid, boolean critical, byte[] value) {
      extensions.add(critical
          ? seq(oid(oid), booleanTrue(), octetString(value))
          : seq(oid(oid), octetString(value)));
      return this;
    }

    /** Signs with other RSASSA-PSS parameters than AMD's. */
    public CertificateSpec pss(PSSParameterSpec spec) {
      pss = spec;
      return this;
    }

    public CertificateSpec validity(Instant from, Instant to) {
      notBefore = from;
      notAfter = to;
      return this;
    }

    /** The serial number; 0 unless set, as in AMD's VCEKs. */
    public CertificateSpec serial(BigInteger serialNumber) {
      serial = serialNumber;
      return this;
    }

    /** The DER certificate. */
    public byte[] der() {
      try {
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("RSASSA-PSS");
        parameters.init(pss);
        byte[] algorithm = seq(oid(RSASSA_PSS), parameters.getEncoded());
        byte[] tbs = seq(
            tlv(0xA0, integer(BigInteger.TWO)),
            integer(serial),
            algorithm,
            name(issuer),
            seq(utcTime(notBefore), utcTime(notAfter)),
            name(subject),
            key.getEncoded(),
            tlv(0xA3, seq(extensions.toArray(byte[][]::new))));
        Signature signer = Signature.getInstance("RSASSA-PSS");
        signer.setParameter(pss);
        signer.initSign(issuerKey, deterministicRandom(tbs));
        signer.update(tbs);
        return seq(tbs, algorithm, bitString(signer.sign(), 0));
      } catch (GeneralSecurityException | java.io.IOException e) {
        throw new IllegalStateException("cannot make a fake AMD certificate", e);
      }
    }
  }

  /** An X.509 v2 CRL in AMD's profile, with knobs for breaking it. */
  public static final class CrlSpec {
    private final String issuer;
    private PrivateKey signer;
    private final List<BigInteger> revoked = new ArrayList<>();
    private Instant thisUpdate = NOT_BEFORE;
    private Instant nextUpdate = NOT_AFTER;

    private CrlSpec(String issuer, PrivateKey signer) {
      this.issuer = issuer;
      this.signer = signer;
    }

    /** Lists {@code serial} as revoked since thisUpdate. */
    public CrlSpec revoke(BigInteger serial) {
      revoked.add(serial);
      return this;
    }

    public CrlSpec validity(Instant from, Instant until) {
      thisUpdate = from;
      nextUpdate = until;
      return this;
    }

    /** Signs with another key than the ARK's, under the ARK's name. */
    public CrlSpec signedBy(PrivateKey key) {
      signer = key;
      return this;
    }

    public byte[] der() {
      try {
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("RSASSA-PSS");
        parameters.init(AMD_PSS);
        byte[] algorithm = seq(oid(RSASSA_PSS), parameters.getEncoded());
        List<byte[]> entries = new ArrayList<>();
        for (BigInteger serial : revoked) {
          entries.add(seq(integer(serial), utcTime(thisUpdate)));
        }
        List<byte[]> tbs = new ArrayList<>(List.of(integer(BigInteger.ONE), algorithm,
            name(issuer), utcTime(thisUpdate), utcTime(nextUpdate)));
        if (!entries.isEmpty()) {
          tbs.add(seq(entries.toArray(byte[][]::new)));
        }
        byte[] tbsCertList = seq(tbs.toArray(byte[][]::new));
        Signature s = Signature.getInstance("RSASSA-PSS");
        s.setParameter(AMD_PSS);
        s.initSign(signer, deterministicRandom(tbsCertList));
        s.update(tbsCertList);
        return seq(tbsCertList, algorithm, bitString(s.sign(), 0));
      } catch (GeneralSecurityException | java.io.IOException e) {
        throw new IllegalStateException("cannot make a fake AMD CRL", e);
      }
    }
  }

  private static Keys generate(Product product, long seed) {
    KeyPair ark = rsa4096(random(product, seed, "ARK"));
    KeyPair ask = rsa4096(random(product, seed, "ASK"));
    KeyPair asvk = rsa4096(random(product, seed, "ASVK"));
    KeyPair vcek = ecKeyPair(random(product, seed, "VCEK"));
    byte[] hwId = new byte[product.hwIdLength];
    random(product, seed, "CHIP_ID").nextBytes(hwId);
    byte[] chipId = Arrays.copyOf(hwId, 64);
    String name = product.kdsName();
    // Distinct serials, so that a CRL can name the ASK or the ASVK.
    byte[] arkDer = new CertificateSpec(product, "ARK-" + name, "ARK-" + name, ark.getPublic(),
        ark.getPrivate()).ca().serial(ARK_SERIAL).der();
    byte[] askDer = new CertificateSpec(product, "SEV-" + name, "ARK-" + name, ask.getPublic(),
        ark.getPrivate()).ca().serial(ASK_SERIAL).der();
    byte[] asvkDer = new CertificateSpec(product, "SEV-VLEK-" + name, "ARK-" + name,
        asvk.getPublic(), ark.getPrivate()).ca().serial(ASVK_SERIAL).der();
    return new Keys(product, seed, ark, ask, asvk, vcek, arkDer, askDer, asvkDer, chipId);
  }

  /** Each key has its own generator, so keys do not depend on the order they are made in. */
  static SecureRandom random(Product product, long seed, String label) {
    return deterministicRandom(("certifier-testing FakeAmdSp/" + product + "/" + seed + "/"
        + label).getBytes(StandardCharsets.UTF_8));
  }

  private static SecureRandom deterministicRandom(byte[] seedMaterial) {
    return SeededRandom.of(seedMaterial);
  }

  // The JDK's generators by name: they draw every bit from the seeded random, so the fake's
  // keys are the same in every run; a native provider (CryptoProviders) may use its own DRBG.
  static KeyPair rsa4096(SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA", "SunRsaSign");
      generator.initialize(new RSAKeyGenParameterSpec(4096, RSAKeyGenParameterSpec.F4), random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate RSA-4096", e);
    }
  }

  private static KeyPair ecKeyPair(SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", "SunEC");
      generator.initialize(new ECGenParameterSpec("secp384r1"), random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate P-384", e);
    }
  }

  private static byte[] name(String commonName) {
    return new X500Principal("CN=" + commonName + ", O=Advanced Micro Devices, ST=CA, "
        + "L=Santa Clara, C=US, OU=Engineering").getEncoded();
  }

  private static X509Certificate parse(byte[] der) {
    try {
      return Certificates.parseDer(der);
    } catch (CryptoException e) {
      throw new IllegalStateException("the fake made an unreadable certificate", e);
    }
  }

  private static byte[] sized(byte[] value, int size, String field) {
    if (value.length != size) {
      throw new IllegalArgumentException(field + " is " + size + " bytes, not " + value.length);
    }
    return value.clone();
  }

  private static int byteAt(long value, int index) {
    return (int) (value >>> (8 * index)) & 0xff;
  }
}
