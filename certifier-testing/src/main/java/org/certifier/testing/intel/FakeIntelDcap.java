package org.certifier.testing.intel;

import static org.certifier.testing.der.Der.booleanTrue;
import static org.certifier.testing.der.Der.enumerated;
import static org.certifier.testing.der.Der.integer;
import static org.certifier.testing.der.Der.octetString;
import static org.certifier.testing.der.Der.oid;
import static org.certifier.testing.der.Der.seq;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import org.certifier.crypto.Certificates;
import org.certifier.crypto.CryptoException;
import org.certifier.testing.der.SeededRandom;
import org.certifier.testing.intel.CollateralBuilder.TcbLevel;
import org.certifier.testing.tsm.FakeConfigfsTsm;

/**
 * A fake Intel for DCAP attestation: its own SGX Root CA, PCK Platform and Processor CAs, a PCK
 * certificate for one platform, a TCB signing certificate and a quoting enclave's attestation
 * key, all ECDSA P-256 keys made from a fixed seed; SGX quotes (version 3), TDX quotes (versions
 * 4 and 5) and collateral in Intel's formats, signed by those keys.
 *
 * <p>Layouts: SGX quote v3 per the Intel SGX ECDSA Quote Library API (Appendix A, "Quote
 * Format"); TDX quote v4 and v5 per the Intel TDX DCAP Quoting Library API (Appendix A); PCK
 * certificates per the Intel SGX PCK Certificate and CRL Profile; TCB info v3 and QE identity v2
 * per the Intel PCS API v4. Each was compared, offset by offset, with the real quotes and
 * collateral in {@code testvectors/intel-sgx} and {@code intel-tdx} (FakeIntelDcapTest).
 *
 * <p>Nothing here is trusted by production code: the root is named "Intel SGX Root CA" but has
 * its own key, so a verifier pinned to Intel's real root refuses everything this fake signs;
 * tests hand {@link #rootCa()} to the verifier instead. The same seed and options give the same
 * bytes in every JVM: signatures take their randomness from the signed bytes.
 *
 * <p>Simplification: real platforms report a raw CPUSVN in reports and a TCB-level CPUSVN in the
 * PCK certificate; the fake uses {@link Builder#cpuSvn} for both.
 */
public final class FakeIntelDcap {
  /** Validity of the fake PCK and TCB signing certificates. */
  public static final Instant NOT_BEFORE = Instant.parse("2024-01-01T00:00:00Z");
  public static final Instant NOT_AFTER = Instant.parse("2031-01-01T00:00:00Z");
  /** The fake root's validity: Intel's root runs to the end of 2049 (the last UTCTime year). */
  public static final Instant ROOT_NOT_AFTER = Instant.parse("2049-12-31T23:59:59Z");
  /** Default issue and next-update times of collateral and CRLs, around {@link #TIME}. */
  public static final Instant ISSUE_DATE = Instant.parse("2025-12-15T00:00:00Z");
  public static final Instant NEXT_UPDATE = Instant.parse("2026-01-14T00:00:00Z");
  /** A time inside every fake certificate's and collateral's validity, for pinned clocks. */
  public static final Instant TIME = Instant.parse("2026-01-01T00:00:00Z");

  /** Quote header and body sizes (quote format appendices). */
  public static final int HEADER_SIZE = 48;
  public static final int SGX_REPORT_BODY_SIZE = 384;
  public static final int TD10_REPORT_BODY_SIZE = 584;
  public static final int TD15_REPORT_BODY_SIZE = 648;
  /** A v5 quote prefixes its body with a u16 body type and a u32 body size. */
  public static final int V5_BODY_PREFIX = 6;
  public static final int TEE_TYPE_SGX = 0x00;
  public static final int TEE_TYPE_TDX = 0x81;
  /** The attestation key type of every DCAP quote: ECDSA-256-with-P-256. */
  public static final int ATT_KEY_TYPE_ECDSA_P256 = 2;
  /** Certification data types: the PEM PCK chain, and (v4, v5) the QE report wrapper. */
  public static final int CERT_DATA_PCK_CHAIN = 5;
  public static final int CERT_DATA_QE_REPORT = 6;
  /** v5 body types: 2 = TD report 1.0 (584 B), 3 = TD report 1.5 (648 B). */
  public static final int BODY_TYPE_TD10 = 2;
  public static final int BODY_TYPE_TD15 = 3;

  /** Offsets in an SGX report body (sgx_report_body_t); also the QE report's layout. */
  public static final int SGX_CPU_SVN = 0;
  public static final int SGX_MISC_SELECT = 16;
  public static final int SGX_ATTRIBUTES = 48;
  public static final int SGX_MR_ENCLAVE = 64;
  public static final int SGX_MR_SIGNER = 128;
  public static final int SGX_ISV_PROD_ID = 256;
  public static final int SGX_ISV_SVN = 258;
  public static final int SGX_REPORT_DATA = 320;
  /** SGX attribute flags (the first 8 bytes of ATTRIBUTES). */
  public static final long SGX_FLAG_INIT = 0x01;
  public static final long SGX_FLAG_DEBUG = 0x02;
  public static final long SGX_FLAG_MODE64BIT = 0x04;
  public static final long SGX_FLAG_PROVISION_KEY = 0x10;

  /** Offsets in a TD report body (TD 1.0; TD 1.5 appends TEE_TCB_SVN2 and MRSERVICETD). */
  public static final int TD_TEE_TCB_SVN = 0;
  public static final int TD_MR_SEAM = 16;
  public static final int TD_MR_SIGNER_SEAM = 64;
  public static final int TD_SEAM_ATTRIBUTES = 112;
  public static final int TD_ATTRIBUTES = 120;
  public static final int TD_XFAM = 128;
  public static final int TD_MR_TD = 136;
  public static final int TD_MR_CONFIG_ID = 184;
  public static final int TD_MR_OWNER = 232;
  public static final int TD_MR_OWNER_CONFIG = 280;
  public static final int TD_RTMR0 = 328;
  public static final int TD_REPORT_DATA = 520;
  public static final int TD_TEE_TCB_SVN2 = 584;
  public static final int TD_MR_SERVICE_TD = 600;
  /** TD attribute bits: TUD.DEBUG, and SEPT_VE_DISABLE (what real production TDs set). */
  public static final long TD_ATTRIBUTE_DEBUG = 1L;
  public static final long TD_ATTRIBUTE_SEPT_VE_DISABLE = 1L << 28;

  /** Intel's QE vendor ID, in every real quote's header. */
  public static final String INTEL_QE_VENDOR_ID = "939a7233f79c4ca9940a0db3957f0607";
  /** The SGX extension of PCK certificates and its arcs. */
  public static final String SGX_EXTENSION_OID = "1.2.840.113741.1.13.1";

  static final long DEFAULT_SEED = 0x5EED_1D7CL;
  private static final String ROOT_CN = "Intel SGX Root CA";
  private static final String ROOT_CRL_URL =
      "https://certificates.trustedservices.intel.com/IntelSGXRootCA.der";
  private static final String PCS = "https://api.trustedservices.intel.com/sgx/certification/v4/";
  private static final int P256 = 32;

  /** The TEE a quote, TCB info or QE identity is for. */
  public enum Tee {
    SGX(TEE_TYPE_SGX, "SGX", "QE", 1,
        "8C4F5775D796503E96137F77C68A829A0056AC8DED70140B081B094490C57BFF"),
    TDX(TEE_TYPE_TDX, "TDX", "TD_QE", 2,
        "DC9E2A7C6F948F17474E34A7FC43ED030F7C1563F1BABDDF6340C82E0E54A8C5");

    private final int teeType;
    private final String tcbInfoId;
    private final String qeIdentityId;
    private final int qeProdId;
    private final String qeMrSigner;

    Tee(int teeType, String tcbInfoId, String qeIdentityId, int qeProdId, String qeMrSigner) {
      this.teeType = teeType;
      this.tcbInfoId = tcbInfoId;
      this.qeIdentityId = qeIdentityId;
      this.qeProdId = qeProdId;
      this.qeMrSigner = qeMrSigner;
    }

    /** The header's TEE type: 0 for SGX, 0x81 for TDX. */
    public int teeType() {
      return teeType;
    }

    /** The {@code id} of its TCB info ({@code SGX}, {@code TDX}). */
    public String tcbInfoId() {
      return tcbInfoId;
    }

    /** The {@code id} of its QE identity ({@code QE}, {@code TD_QE}). */
    public String qeIdentityId() {
      return qeIdentityId;
    }

    /** The quoting enclave's ISVPRODID: 1 for the SGX QE, 2 for the TD QE. */
    public int qeProdId() {
      return qeProdId;
    }

    /** Intel's MRSIGNER of that quoting enclave (public; QE identity carries it). */
    public byte[] qeMrSigner() {
      return HexFormat.of().parseHex(qeMrSigner);
    }
  }

  /** Which intermediate CA issues the PCK certificate. */
  public enum PckCa {
    /** Client platforms and older servers; SGX type Standard (0). */
    PROCESSOR("Intel SGX PCK Processor CA", "processor", 0),
    /** Multi-package (scalable) servers, every TDX host; SGX type Scalable (1). */
    PLATFORM("Intel SGX PCK Platform CA", "platform", 1);

    private final String commonName;
    private final String pcsName;
    private final int sgxType;

    PckCa(String commonName, String pcsName, int sgxType) {
      this.commonName = commonName;
      this.pcsName = pcsName;
      this.sgxType = sgxType;
    }

    public String commonName() {
      return commonName;
    }

    /** The PCS's name for it, the {@code ca} parameter of {@code pckcrl}. */
    public String pcsName() {
      return pcsName;
    }
  }

  private record Keys(KeyPair root, KeyPair processorCa, KeyPair platformCa, KeyPair pck,
      KeyPair tcbSigning, KeyPair attestation) {}

  private final long seed;
  private final PckCa pckCa;
  private final byte[] fmspc;
  private final byte[] cpuSvn;
  private final int pceSvn;
  private final int qeSvn;
  private final byte[] teeTcbSvn;
  private final Keys keys;
  private final byte[] rootDer;
  private final byte[] processorCaDer;
  private final byte[] platformCaDer;
  private final byte[] pckDer;
  private final byte[] tcbSigningDer;

  private FakeIntelDcap(Builder b) {
    this.seed = b.seed;
    this.pckCa = b.pckCa;
    this.fmspc = b.fmspc.clone();
    this.cpuSvn = b.cpuSvn.clone();
    this.pceSvn = b.pceSvn;
    this.qeSvn = b.qeSvn;
    this.teeTcbSvn = b.teeTcbSvn.clone();
    this.keys = new Keys(p256("root"), p256("processor CA"), p256("platform CA"), p256("PCK"),
        p256("TCB signing"), p256("attestation key"));
    this.rootDer = certificate(ROOT_CN, keys.root(), ROOT_CN, keys.root(), "root")
        .validity(NOT_BEFORE, ROOT_NOT_AFTER).standardExtensions(ROOT_CRL_URL).ca(1).der();
    this.processorCaDer = intermediate(PckCa.PROCESSOR, keys.processorCa());
    this.platformCaDer = intermediate(PckCa.PLATFORM, keys.platformCa());
    this.pckDer = pckCertificate(fmspc, cpuSvn, pceSvn).der();
    this.tcbSigningDer = certificate("Intel SGX TCB Signing", keys.tcbSigning(), ROOT_CN,
        keys.root(), "TCB signing").standardExtensions(ROOT_CRL_URL).endEntity().der();
  }

  /** The default platform: seed {@value #DEFAULT_SEED}, PCK Platform CA, see {@link Builder}. */
  public static FakeIntelDcap create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The platform the fake Intel certifies; every option has a realistic default. */
  public static final class Builder {
    private long seed = DEFAULT_SEED;
    private PckCa pckCa = PckCa.PLATFORM;
    private byte[] fmspc = HexFormat.of().parseHex("50806F000000");
    private byte[] cpuSvn = {3, 3, 2, 2, 4, 1, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0};
    private int pceSvn = 13;
    private int qeSvn = 8;
    private byte[] teeTcbSvn = {6, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

    private Builder() {}

    /** Another seed makes another Intel: all keys differ, the root included. */
    public Builder seed(long value) {
      seed = value;
      return this;
    }

    public Builder pckCa(PckCa ca) {
      pckCa = Objects.requireNonNull(ca, "ca");
      return this;
    }

    /** The 6-byte FMSPC (family-model-stepping-platform-customSKU) of the platform. */
    public Builder fmspc(byte[] value) {
      fmspc = sized(value, 6, "FMSPC");
      return this;
    }

    /** The 16 SGX TCB component SVNs (the PCK certificate's and the report body's CPUSVN). */
    public Builder cpuSvn(byte[] value) {
      cpuSvn = sized(value, 16, "CPUSVN");
      return this;
    }

    public Builder pceSvn(int value) {
      pceSvn = value;
      return this;
    }

    /** The quoting enclave's ISVSVN, in its QE report. */
    public Builder qeSvn(int value) {
      qeSvn = value;
      return this;
    }

    /**
     * The TDX TEE_TCB_SVN of TD quotes: byte 0 the TDX module's SVN, byte 1 its major
     * version, the rest further TDX TCB components.
     */
    public Builder teeTcbSvn(byte[] value) {
      teeTcbSvn = sized(value, 16, "TEE_TCB_SVN");
      return this;
    }

    public FakeIntelDcap build() {
      return new FakeIntelDcap(this);
    }
  }

  public PckCa pckCa() {
    return pckCa;
  }

  public byte[] fmspc() {
    return fmspc.clone();
  }

  /** The FMSPC as the PCS and collateral spell it: upper-case hex. */
  public String fmspcHex() {
    return HexFormat.of().withUpperCase().formatHex(fmspc);
  }

  public byte[] cpuSvn() {
    return cpuSvn.clone();
  }

  public int pceSvn() {
    return pceSvn;
  }

  public int qeSvn() {
    return qeSvn;
  }

  public byte[] teeTcbSvn() {
    return teeTcbSvn.clone();
  }

  public byte[] rootCaDer() {
    return rootDer.clone();
  }

  /** The fake root: give it to a verifier as its trust anchor in tests. */
  public X509Certificate rootCa() {
    return parse(rootDer);
  }

  /** The intermediate CA that issued {@link #pckCertificateDer()}. */
  public byte[] pckCaDer() {
    return caDer(pckCa);
  }

  /** Either intermediate CA, e.g. for a CRL of the other one. */
  public byte[] caDer(PckCa ca) {
    return (ca == PckCa.PLATFORM ? platformCaDer : processorCaDer).clone();
  }

  public byte[] pckCertificateDer() {
    return pckDer.clone();
  }

  public X509Certificate pckCertificate() {
    return parse(pckDer);
  }

  public byte[] tcbSigningDer() {
    return tcbSigningDer.clone();
  }

  /** The PEM chain quotes carry (certification data type 5): PCK, its CA, the root. */
  public String pckChainPem() {
    return IntelCertificates.pem("CERTIFICATE", pckDer, caDer(pckCa), rootDer);
  }

  /** The issuer chain of TCB info and QE identity: TCB signing certificate, root. */
  public String tcbSigningChainPem() {
    return IntelCertificates.pem("CERTIFICATE", tcbSigningDer, rootDer);
  }

  /** The issuer chain of a PCK CRL: that CA, root. */
  public String pckCrlIssuerChainPem(PckCa ca) {
    return IntelCertificates.pem("CERTIFICATE", caDer(ca), rootDer);
  }

  public KeyPair rootKeyPair() {
    return keys.root();
  }

  public KeyPair pckCaKeyPair(PckCa ca) {
    return ca == PckCa.PLATFORM ? keys.platformCa() : keys.processorCa();
  }

  public KeyPair pckKeyPair() {
    return keys.pck();
  }

  public KeyPair tcbSigningKeyPair() {
    return keys.tcbSigning();
  }

  /** The quoting enclave's attestation key, which signs quotes. */
  public KeyPair attestationKeyPair() {
    return keys.attestation();
  }

  /**
   * A PCK certificate for other TCB values, signed by this fake's PCK CA for {@link #pckCa()},
   * certifying this fake's PCK key: e.g. a platform whose TCB no TCB level matches.
   */
  public byte[] pckCertificateDer(byte[] fmspcValue, byte[] cpuSvnValue, int pceSvnValue) {
    return pckCertificate(sized(fmspcValue, 6, "FMSPC"), sized(cpuSvnValue, 16, "CPUSVN"),
        pceSvnValue).der();
  }

  /** The serial number of a DER certificate, e.g. to revoke it in a CRL. */
  public static BigInteger serialOf(byte[] der) {
    return parse(der).getSerialNumber();
  }

  /** The root CA CRL (DER), listing {@code revoked} serials of CA certificates. */
  public byte[] rootCrl(Instant thisUpdate, Instant nextUpdate, List<BigInteger> revoked) {
    return IntelCertificates.crl(ROOT_CN, keys.root().getPublic(), keys.root().getPrivate(),
        thisUpdate, nextUpdate, revoked);
  }

  /** A PCK CA's CRL (DER), listing {@code revoked} PCK certificate serials. */
  public byte[] pckCrl(PckCa ca, Instant thisUpdate, Instant nextUpdate,
      List<BigInteger> revoked) {
    KeyPair key = pckCaKeyPair(ca);
    return IntelCertificates.crl(ca.commonName(), key.getPublic(), key.getPrivate(), thisUpdate,
        nextUpdate, revoked);
  }

  /** An SGX enclave's quote (version 3), to fill in and sign. */
  public SgxQuoteBuilder sgxQuote() {
    return new SgxQuoteBuilder();
  }

  /** A TD's quote (version 4, or 5 with {@link TdxQuoteBuilder#version}), to fill in. */
  public TdxQuoteBuilder tdxQuote() {
    return new TdxQuoteBuilder();
  }

  /** TCB info, QE identity and CRLs for this platform, to adjust and sign. */
  public CollateralBuilder collateral(Tee tee) {
    return new CollateralBuilder(this, tee);
  }

  /**
   * This platform's TDX guest behind Linux's {@code tdx_guest} driver, as configfs-tsm shows
   * it: each {@code inblob} (zero-padded to 64 bytes, as the driver pads it) becomes
   * REPORTDATA of a quote that {@code td} fills in further (MRTD, RTMRs, ...); there is no
   * {@code auxblob} (the quote carries its certificates) and no privilege level.
   */
  public FakeConfigfsTsm configfsTsm(Consumer<TdxQuoteBuilder> td) {
    return new FakeConfigfsTsm("tdx_guest", 0, (inblob, privlevel) -> {
      TdxQuoteBuilder quote = tdxQuote();
      td.accept(quote);
      return new FakeConfigfsTsm.Blobs(quote.reportData(Arrays.copyOf(inblob, 64)).signed(),
          new byte[0]);
    });
  }

  /** A TCB level at exactly this platform's TCB (its CPUSVN, PCESVN and TEE_TCB_SVN). */
  public TcbLevel platformTcbLevel(String status, String... advisoryIds) {
    return new TcbLevel(cpuSvn, pceSvn, teeTcbSvn, "2025-11-12T00:00:00Z", status,
        List.of(advisoryIds));
  }

  /** A 32- or 48-byte value made from the seed, for measurements nobody cares about. */
  public byte[] filler(String label, int size) {
    byte[] out = new byte[size];
    random(label).nextBytes(out);
    return out;
  }

  @Override
  public String toString() {
    return "FakeIntelDcap[seed " + seed + ", " + pckCa.commonName() + ", FMSPC " + fmspcHex()
        + "]";
  }

  /** Fills in and signs an SGX quote v3; unset fields are zero or realistic defaults. */
  public final class SgxQuoteBuilder {
    private long flags = SGX_FLAG_INIT | SGX_FLAG_MODE64BIT;
    private long xfrm = 0xE7;
    private byte[] mrEnclave = filler("MRENCLAVE", 32);
    private byte[] mrSigner = filler("MRSIGNER", 32);
    private int isvProdId;
    private int isvSvn;
    private byte[] reportData = new byte[64];
    private byte[] qeAuthData = defaultAuthData();

    private SgxQuoteBuilder() {}

    public SgxQuoteBuilder mrEnclave(byte[] value) {
      mrEnclave = sized(value, 32, "MRENCLAVE");
      return this;
    }

    public SgxQuoteBuilder mrSigner(byte[] value) {
      mrSigner = sized(value, 32, "MRSIGNER");
      return this;
    }

    /** The attribute flags, e.g. {@code SGX_FLAG_INIT | SGX_FLAG_MODE64BIT}. */
    public SgxQuoteBuilder flags(long value) {
      flags = value;
      return this;
    }

    /** Sets or clears {@link #SGX_FLAG_DEBUG}. */
    public SgxQuoteBuilder debug(boolean debug) {
      flags = debug ? flags | SGX_FLAG_DEBUG : flags & ~SGX_FLAG_DEBUG;
      return this;
    }

    public SgxQuoteBuilder xfrm(long value) {
      xfrm = value;
      return this;
    }

    public SgxQuoteBuilder isvProdId(int value) {
      isvProdId = value;
      return this;
    }

    public SgxQuoteBuilder isvSvn(int value) {
      isvSvn = value;
      return this;
    }

    public SgxQuoteBuilder reportData(byte[] value) {
      reportData = sized(value, 64, "REPORT_DATA");
      return this;
    }

    /** The QE authentication data (default: the 32 bytes 0..31, as real quotes carry). */
    public SgxQuoteBuilder qeAuthData(byte[] value) {
      qeAuthData = value.clone();
      return this;
    }

    /** The 384-byte report body. */
    public byte[] reportBody() {
      ByteBuffer body = le(SGX_REPORT_BODY_SIZE);
      body.put(SGX_CPU_SVN, cpuSvn);
      body.putLong(SGX_ATTRIBUTES, flags);
      body.putLong(SGX_ATTRIBUTES + 8, xfrm);
      body.put(SGX_MR_ENCLAVE, mrEnclave);
      body.put(SGX_MR_SIGNER, mrSigner);
      body.putShort(SGX_ISV_PROD_ID, (short) isvProdId);
      body.putShort(SGX_ISV_SVN, (short) isvSvn);
      body.put(SGX_REPORT_DATA, reportData);
      return body.array();
    }

    /** The quote, signed by the attestation key, with QE report and PCK chain. */
    public byte[] signed() {
      return quote(3, Tee.SGX, reportBody(), qeAuthData);
    }
  }

  /** Fills in and signs a TDX quote v4 (TD 1.0 body) or v5 (TD 1.5 body). */
  public final class TdxQuoteBuilder {
    private int version = 4;
    private byte[] tcbSvn = teeTcbSvn.clone();
    private byte[] mrSeam = filler("MRSEAM", 48);
    private byte[] mrSignerSeam = new byte[48];
    private long tdAttributes = TD_ATTRIBUTE_SEPT_VE_DISABLE;
    private long xfam = 0x2_06E7L;
    private byte[] mrTd = filler("MRTD", 48);
    private byte[] mrConfigId = new byte[48];
    private byte[] mrOwner = new byte[48];
    private byte[] mrOwnerConfig = new byte[48];
    private final byte[][] rtmrs = {new byte[48], new byte[48], new byte[48], new byte[48]};
    private byte[] reportData = new byte[64];
    private byte[] tcbSvn2 = new byte[16];
    private byte[] mrServiceTd = new byte[48];
    private byte[] qeAuthData = defaultAuthData();

    private TdxQuoteBuilder() {}

    /** 4 (the default; TD 1.0 body) or 5 (TD 1.5 body with its type and size prefix). */
    public TdxQuoteBuilder version(int quoteVersion) {
      if (quoteVersion != 4 && quoteVersion != 5) {
        throw new IllegalArgumentException("the fake writes TDX quote versions 4 and 5");
      }
      version = quoteVersion;
      return this;
    }

    public TdxQuoteBuilder teeTcbSvn(byte[] value) {
      tcbSvn = sized(value, 16, "TEE_TCB_SVN");
      return this;
    }

    public TdxQuoteBuilder mrSeam(byte[] value) {
      mrSeam = sized(value, 48, "MRSEAM");
      return this;
    }

    public TdxQuoteBuilder mrSignerSeam(byte[] value) {
      mrSignerSeam = sized(value, 48, "MRSIGNERSEAM");
      return this;
    }

    public TdxQuoteBuilder tdAttributes(long value) {
      tdAttributes = value;
      return this;
    }

    /** Sets or clears {@link #TD_ATTRIBUTE_DEBUG}. */
    public TdxQuoteBuilder debug(boolean debug) {
      tdAttributes = debug ? tdAttributes | TD_ATTRIBUTE_DEBUG
          : tdAttributes & ~TD_ATTRIBUTE_DEBUG;
      return this;
    }

    public TdxQuoteBuilder xfam(long value) {
      xfam = value;
      return this;
    }

    public TdxQuoteBuilder mrTd(byte[] value) {
      mrTd = sized(value, 48, "MRTD");
      return this;
    }

    public TdxQuoteBuilder mrConfigId(byte[] value) {
      mrConfigId = sized(value, 48, "MRCONFIGID");
      return this;
    }

    public TdxQuoteBuilder mrOwner(byte[] value) {
      mrOwner = sized(value, 48, "MROWNER");
      return this;
    }

    public TdxQuoteBuilder mrOwnerConfig(byte[] value) {
      mrOwnerConfig = sized(value, 48, "MROWNERCONFIG");
      return this;
    }

    /** RTMR {@code index} (0 to 3). */
    public TdxQuoteBuilder rtmr(int index, byte[] value) {
      rtmrs[Objects.checkIndex(index, 4)] = sized(value, 48, "RTMR" + index);
      return this;
    }

    public TdxQuoteBuilder reportData(byte[] value) {
      reportData = sized(value, 64, "REPORTDATA");
      return this;
    }

    /** TD 1.5 only: TEE_TCB_SVN2. */
    public TdxQuoteBuilder teeTcbSvn2(byte[] value) {
      tcbSvn2 = sized(value, 16, "TEE_TCB_SVN2");
      return this;
    }

    /** TD 1.5 only: MRSERVICETD. */
    public TdxQuoteBuilder mrServiceTd(byte[] value) {
      mrServiceTd = sized(value, 48, "MRSERVICETD");
      return this;
    }

    public TdxQuoteBuilder qeAuthData(byte[] value) {
      qeAuthData = value.clone();
      return this;
    }

    /** The TD report body: 584 bytes for v4, 648 for v5 (without the v5 prefix). */
    public byte[] reportBody() {
      ByteBuffer body = le(version == 4 ? TD10_REPORT_BODY_SIZE : TD15_REPORT_BODY_SIZE);
      body.put(TD_TEE_TCB_SVN, tcbSvn);
      body.put(TD_MR_SEAM, mrSeam);
      body.put(TD_MR_SIGNER_SEAM, mrSignerSeam);
      body.putLong(TD_ATTRIBUTES, tdAttributes);
      body.putLong(TD_XFAM, xfam);
      body.put(TD_MR_TD, mrTd);
      body.put(TD_MR_CONFIG_ID, mrConfigId);
      body.put(TD_MR_OWNER, mrOwner);
      body.put(TD_MR_OWNER_CONFIG, mrOwnerConfig);
      for (int i = 0; i < 4; i++) {
        body.put(TD_RTMR0 + 48 * i, rtmrs[i]);
      }
      body.put(TD_REPORT_DATA, reportData);
      if (version == 5) {
        body.put(TD_TEE_TCB_SVN2, tcbSvn2);
        body.put(TD_MR_SERVICE_TD, mrServiceTd);
      }
      return body.array();
    }

    public byte[] signed() {
      byte[] body = reportBody();
      if (version == 5) {
        ByteBuffer prefixed = le(V5_BODY_PREFIX + body.length);
        prefixed.putShort((short) BODY_TYPE_TD15).putInt(body.length).put(body);
        body = prefixed.array();
      }
      return quote(version, Tee.TDX, body, qeAuthData);
    }
  }

  /**
   * Header, body, then the signature data: the attestation key's signature over header and
   * body, the attestation key, and the QE's certification: its report (binding SHA-256 of
   * attestation key and QE auth data), the PCK's signature over it, the auth data and the PEM
   * PCK chain. Version 3 lays the QE part out directly; versions 4 and 5 wrap it in
   * certification data of type 6.
   */
  private byte[] quote(int version, Tee tee, byte[] body, byte[] qeAuthData) {
    ByteBuffer header = le(HEADER_SIZE);
    header.putShort((short) version).putShort((short) ATT_KEY_TYPE_ECDSA_P256)
        .putInt(tee.teeType());
    if (tee == Tee.SGX) {
      // TDX quotes keep these two reserved (zero), as the real ones do.
      header.putShort((short) qeSvn).putShort((short) pceSvn);
    } else {
      header.putInt(0);
    }
    header.put(HexFormat.of().parseHex(INTEL_QE_VENDOR_ID));
    header.put(filler("QE ID", 16));
    byte[] signedPart = concat(header.array(), body);
    byte[] signature = IntelCertificates.signRaw(keys.attestation().getPrivate(), signedPart);
    byte[] attestationKey = rawPublicKey(keys.attestation());
    byte[] qeReport = qeReport(tee, sha256(concat(attestationKey, qeAuthData)));
    byte[] qeSignature = IntelCertificates.signRaw(keys.pck().getPrivate(), qeReport);
    // The chain is NUL-terminated in real quotes, and the NUL counts in the size.
    byte[] chain = concat(pckChainPem().getBytes(StandardCharsets.US_ASCII), new byte[1]);
    byte[] qeCertification = concat(qeReport, qeSignature, u16(qeAuthData.length), qeAuthData,
        u16(CERT_DATA_PCK_CHAIN), u32(chain.length), chain);
    byte[] signatureData = version == 3
        ? concat(signature, attestationKey, qeCertification)
        : concat(signature, attestationKey, u16(CERT_DATA_QE_REPORT),
            u32(qeCertification.length), qeCertification);
    return concat(signedPart, u32(signatureData.length), signatureData);
  }

  private byte[] qeReport(Tee tee, byte[] binding) {
    ByteBuffer report = le(SGX_REPORT_BODY_SIZE);
    report.put(SGX_CPU_SVN, cpuSvn);
    report.putLong(SGX_ATTRIBUTES, SGX_FLAG_INIT | SGX_FLAG_MODE64BIT | SGX_FLAG_PROVISION_KEY);
    report.putLong(SGX_ATTRIBUTES + 8, 0xE7);
    report.put(SGX_MR_ENCLAVE, filler("QE MRENCLAVE " + tee, 32));
    report.put(SGX_MR_SIGNER, tee.qeMrSigner());
    report.putShort(SGX_ISV_PROD_ID, (short) tee.qeProdId());
    report.putShort(SGX_ISV_SVN, (short) qeSvn);
    report.put(SGX_REPORT_DATA, binding);
    return report.array();
  }

  private byte[] intermediate(PckCa ca, KeyPair key) {
    return certificate(ca.commonName(), key, ROOT_CN, keys.root(), ca.pcsName())
        .validity(NOT_BEFORE, ROOT_NOT_AFTER.minusSeconds(86_400L * 365 * 10))
        .standardExtensions(ROOT_CRL_URL).ca(0).der();
  }

  private IntelCertificates.Spec pckCertificate(byte[] fmspcValue, byte[] cpuSvnValue,
      int pceSvnValue) {
    KeyPair ca = pckCaKeyPair(pckCa);
    return certificate("Intel SGX PCK Certificate", keys.pck(), pckCa.commonName(), ca,
        "PCK " + HexFormat.of().formatHex(fmspcValue) + HexFormat.of().formatHex(cpuSvnValue)
            + pceSvnValue)
        .standardExtensions(PCS + "pckcrl?ca=" + pckCa.pcsName() + "&encoding=der")
        .endEntity()
        .extension(SGX_EXTENSION_OID, false, sgxExtension(fmspcValue, cpuSvnValue, pceSvnValue));
  }

  /**
   * The SGX extension (PCK profile §"SGX Extensions"): PPID, TCB (16 component SVNs, PCESVN,
   * CPUSVN), PCE-ID, FMSPC, SGX type; for the Platform CA also the platform instance ID and
   * the configuration (dynamic platform, cached keys, SMT).
   */
  private byte[] sgxExtension(byte[] fmspcValue, byte[] cpuSvnValue, int pceSvnValue) {
    String sgx = SGX_EXTENSION_OID + ".";
    List<byte[]> tcb = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      tcb.add(seq(oid(sgx + "2." + (i + 1)), integer(BigInteger.valueOf(cpuSvnValue[i] & 0xff))));
    }
    tcb.add(seq(oid(sgx + "2.17"), integer(BigInteger.valueOf(pceSvnValue))));
    tcb.add(seq(oid(sgx + "2.18"), octetString(cpuSvnValue)));
    List<byte[]> parts = new ArrayList<>(List.of(
        seq(oid(sgx + "1"), octetString(filler("PPID", 16))),
        seq(oid(sgx + "2"), seq(tcb.toArray(byte[][]::new))),
        seq(oid(sgx + "3"), octetString(new byte[2])),
        seq(oid(sgx + "4"), octetString(fmspcValue)),
        seq(oid(sgx + "5"), enumerated(pckCa.sgxType))));
    if (pckCa == PckCa.PLATFORM) {
      parts.add(seq(oid(sgx + "6"), octetString(filler("platform instance", 16))));
      parts.add(seq(oid(sgx + "7"), seq(
          seq(oid(sgx + "7.1"), booleanTrue()),
          seq(oid(sgx + "7.2"), booleanTrue()),
          seq(oid(sgx + "7.3"), booleanTrue()))));
    }
    return seq(parts.toArray(byte[][]::new));
  }

  private IntelCertificates.Spec certificate(String subjectCn, KeyPair subject, String issuerCn,
      KeyPair issuer, String serialLabel) {
    return new IntelCertificates.Spec(subjectCn, issuerCn, subject.getPublic(),
        issuer.getPublic(), issuer.getPrivate(), serial(serialLabel), NOT_BEFORE, NOT_AFTER);
  }

  /** A positive 20-byte serial, as Intel's, made from the seed. */
  private BigInteger serial(String label) {
    byte[] bytes = filler("serial " + label, 20);
    bytes[0] = (byte) ((bytes[0] & 0x7f) | 0x40);
    return new BigInteger(1, bytes);
  }

  // The JDK's generator by name: it draws every bit from the seeded random; a native provider
  // (CryptoProviders) may use its own DRBG, and the keys would change from run to run.
  private KeyPair p256(String label) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", "SunEC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), random(label));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate P-256", e);
    }
  }

  /** Each value has its own generator, so values do not depend on the order they are made. */
  private SecureRandom random(String label) {
    return SeededRandom.of(("certifier-testing FakeIntelDcap/" + seed + "/" + label)
        .getBytes(StandardCharsets.UTF_8));
  }

  /** A P-256 public key as quotes carry it: X then Y, 32 bytes each, big-endian. */
  static byte[] rawPublicKey(KeyPair pair) {
    ECPublicKey key = (ECPublicKey) pair.getPublic();
    return concat(unsigned32(key.getW().getAffineX()), unsigned32(key.getW().getAffineY()));
  }

  private static byte[] unsigned32(BigInteger value) {
    byte[] bytes = value.toByteArray();
    byte[] out = new byte[P256];
    int length = Math.min(bytes.length, P256);
    System.arraycopy(bytes, bytes.length - length, out, P256 - length, length);
    return out;
  }

  private static byte[] defaultAuthData() {
    byte[] data = new byte[32];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) i;
    }
    return data;
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  private static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static byte[] u16(int value) {
    return le(2).putShort((short) value).array();
  }

  private static byte[] u32(int value) {
    return le(4).putInt(value).array();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static byte[] sized(byte[] value, int size, String field) {
    if (value.length != size) {
      throw new IllegalArgumentException(field + " is " + size + " bytes, not " + value.length);
    }
    return value.clone();
  }

  static String upperHex(byte[] value) {
    return HexFormat.of().formatHex(value).toUpperCase(Locale.ROOT);
  }

  private static X509Certificate parse(byte[] der) {
    try {
      return Certificates.parseDer(der);
    } catch (CryptoException e) {
      throw new IllegalStateException("the fake made an unreadable certificate", e);
    }
  }

  /** Gives {@link CollateralBuilder} the keys without making them public API twice. */
  PrivateKey tcbSigningKey() {
    return keys.tcbSigning().getPrivate();
  }
}
