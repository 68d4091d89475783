package org.certifier.client.enclave;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.certifier.crypto.Certificates;
import org.certifier.crypto.CryptoException;
import org.certifier.crypto.SymmetricAlgorithm;
import org.certifier.proto.evidence;
import org.certifier.proto.sev_attestation_message;

/**
 * An AMD SEV-SNP guest, attesting through Linux configfs-tsm, with the reference's evidence:
 * what the reference's {@code sev-enclave} sends (reference-certifier.md §4.3, §4.4, §6.1), so
 * a Java program on SEV-SNP is certified by our service and by the Go service alike.
 *
 * <ul>
 *   <li>{@link #attest}: REPORT_DATA = SHA-384(what to say) followed by 16 zero bytes, as the
 *       reference's {@code sev_Attest}; the report comes from {@code outblob}; the evidence is
 *       {@code sev-attestation}, a serialized {@code sev_attestation_message{what_was_said,
 *       reported_attestation}}.</li>
 *   <li>{@link #platformEvidence}: {@code cert} ARK, {@code cert} ASK, {@code cert} VCEK (DER),
 *       given to the builder as the reference's {@code initialize_sev_enclave} takes them, or
 *       read from the host's certificate table ({@code auxblob}) when the host provides
 *       one.</li>
 *   <li>{@link #measurement}: the MEASUREMENT of a report made when the enclave is built.</li>
 *   <li>Sealing needs a key the AMD secure processor derives for this guest
 *       (SNP_GET_DERIVED_KEY), which only an ioctl on {@code /dev/sev-guest} returns: Java
 *       cannot issue it without native code, and configfs-tsm does not offer it. So sealing
 *       works only when the caller passes that derived key to
 *       {@link Builder#derivedSealingKey}, obtained before the JVM starts by a native tool
 *       inside the guest; the enclave then seals exactly as the reference does, so their
 *       sealed stores are interchangeable. Without it {@link #seal} and {@link #unseal} fail,
 *       and with them {@code TrustManager}'s sealed store. See docs/platforms.md.</li>
 * </ul>
 *
 * <p>The report is not verified here: the Certifier Service does that, and a guest has no
 * better reason to believe the host's certificates than the service has.
 */
public final class SevSnpEnclave implements Enclave {
  public static final String ENCLAVE_TYPE = "sev-enclave";
  public static final String EVIDENCE_TYPE = "sev-platform-package";
  public static final String CERT_EVIDENCE = "cert";
  public static final String ATTESTATION_EVIDENCE = "sev-attestation";
  /** The size of SNP_GET_DERIVED_KEY's key (ABI spec 56860, MSG_KEY_RSP). */
  public static final int DERIVED_KEY_SIZE = 32;
  /** The configfs-tsm provider name of Linux's sev-guest driver. */
  static final String PROVIDER = "sev_guest";

  private static final int REPORT_SIZE = 0x4A0;
  private static final int REPORT_DATA = 0x50;
  private static final int REPORT_DATA_SIZE = 64;
  private static final int MEASUREMENT = 0x90;
  private static final int MEASUREMENT_SIZE = 48;
  /** The reference's KDF (sev_support.cc, kdf): salt, iterations, output size. */
  private static final byte[] KDF_SALT = {0x07, 0x01, 0x08, 0x02, 0x08, 0x33, 0x11, 0x44};
  private static final int KDF_ITERATIONS = 100;
  private static final int SEALING_KEY_SIZE = 64;

  private final ConfigfsTsm tsm;
  private final List<evidence> platformEvidence;
  private final byte[] measurement;
  private final Sealer sealer;

  private SevSnpEnclave(ConfigfsTsm tsm, List<evidence> platformEvidence, byte[] measurement,
      byte[] sealingKey) {
    this.tsm = tsm;
    this.platformEvidence = List.copyOf(platformEvidence);
    this.measurement = measurement;
    this.sealer = new Sealer("SEV-SNP", SymmetricAlgorithm.AES_256_CBC_HMAC_SHA256,
        sealingKey,
        "SEV-SNP sealing needs the key the AMD secure processor derives for this guest"
            + " (SNP_GET_DERIVED_KEY), which only an ioctl on /dev/sev-guest returns and Java"
            + " cannot issue without native code; obtain it in the guest before starting the"
            + " JVM and pass it to SevSnpEnclave.Builder.derivedSealingKey (docs/platforms.md)",
        "under another derived key (another measurement, guest policy or chip)");
  }

  /** Starts with configfs-tsm at its usual place, VMPL left to the kernel, no sealing. */
  public static Builder builder() {
    return new Builder();
  }

  /** How to reach the secure processor and where the certificates come from. */
  public static final class Builder {
    private Path reportRoot = ConfigfsTsm.DEFAULT_REPORT_ROOT;
    private OptionalInt vmpl = OptionalInt.empty();
    private List<byte[]> certificates;
    private byte[] derivedKey;

    private Builder() {}

    /**
     * The configfs-tsm report directory, {@code /sys/kernel/config/tsm/report} by default;
     * tests use a fake one.
     */
    public Builder reportRoot(Path root) {
      reportRoot = Objects.requireNonNull(root, "root");
      return this;
    }

    /** Asks for reports at this VMPL (0 to 3; configfs-tsm's {@code privlevel}). */
    public Builder vmpl(int level) {
      if (level < 0 || level > 3) {
        throw new IllegalArgumentException("VMPL is 0 to 3, not " + level);
      }
      vmpl = OptionalInt.of(level);
      return this;
    }

    /**
     * AMD's certificates for this chip, DER-encoded, as the reference's
     * {@code initialize_sev_enclave} takes them (e.g. from AMD's KDS). Without them the host's
     * certificate table is used.
     */
    public Builder certificates(byte[] arkDer, byte[] askDer, byte[] vcekDer) {
      certificates = List.of(arkDer.clone(), askDer.clone(), vcekDer.clone());
      return this;
    }

    /**
     * The 32-byte key SNP_GET_DERIVED_KEY returns for this guest with the reference's
     * parameters: root key VCEK, guest field select MEASUREMENT and GUEST_POLICY (value 9), VMPL
     * 0, guest SVN 0, TCB version 0. Whoever holds it can read everything this enclave seals,
     * so it must come straight from the firmware inside the guest and never leave it. The
     * array is zeroed by {@link #build}, whether it succeeds or not.
     */
    public Builder derivedSealingKey(byte[] snpDerivedKey) {
      if (snpDerivedKey.length != DERIVED_KEY_SIZE) {
        throw new IllegalArgumentException("an SNP derived key is " + DERIVED_KEY_SIZE
            + " bytes, not " + snpDerivedKey.length);
      }
      derivedKey = snpDerivedKey;
      return this;
    }

    /**
     * Asks the secure processor for one report, to learn the measurement (and the host's
     * certificates, if none were given).
     *
     * @throws EnclaveException if there is no SEV-SNP configfs-tsm, the report is not one, or
     *     there are no usable certificates
     */
    public SevSnpEnclave build() throws EnclaveException {
      try {
        return buildEnclave();
      } finally {
        if (derivedKey != null) {
          Arrays.fill(derivedKey, (byte) 0);
        }
      }
    }

    private SevSnpEnclave buildEnclave() throws EnclaveException {
      ConfigfsTsm tsm = new ConfigfsTsm(reportRoot, PROVIDER, vmpl);
      ConfigfsTsm.Blobs probe = tsm.report(new byte[REPORT_DATA_SIZE]);
      byte[] report = checkedReport(probe.outblob(), new byte[REPORT_DATA_SIZE]);
      List<byte[]> chain;
      if (certificates != null) {
        chain = certificates;
        String[] names = {"ARK", "ASK", "VCEK"};
        for (int i = 0; i < 3; i++) {
          try {
            Certificates.parseDer(chain.get(i));
          } catch (CryptoException e) {
            throw new EnclaveException("the " + names[i] + " given to SevSnpEnclave is not a"
                + " DER certificate", e);
          }
        }
      } else if (probe.auxblob().length > 0) {
        chain = List.of(SevCertificateTable.arkAskVcek(probe.auxblob()));
      } else {
        throw new EnclaveException("the host supplied no certificates with the SEV-SNP report"
            + " (configfs-tsm auxblob is empty): give the ARK, ASK and VCEK to"
            + " SevSnpEnclave.Builder.certificates, e.g. from AMD's KDS");
      }
      byte[] key = derivedKey == null ? null : sealingKey(derivedKey);
      return new SevSnpEnclave(tsm, chain.stream().map(c -> evidence.newBuilder()
          .setEvidenceType(CERT_EVIDENCE).setSerializedEvidence(ByteString.copyFrom(c))
          .build()).toList(),
          Arrays.copyOfRange(report, MEASUREMENT, MEASUREMENT + MEASUREMENT_SIZE), key);
    }
  }

  @Override
  public String enclaveType() {
    return ENCLAVE_TYPE;
  }

  @Override
  public String submittedEvidenceType() {
    return EVIDENCE_TYPE;
  }

  /** {@code cert} ARK, {@code cert} ASK, {@code cert} VCEK, in the reference's order. */
  @Override
  public List<evidence> platformEvidence() {
    return platformEvidence;
  }

  @Override
  public evidence attest(byte[] whatToSay) throws EnclaveException {
    byte[] reportData = reportData(whatToSay);
    byte[] report = checkedReport(tsm.report(reportData).outblob(), reportData);
    return evidence.newBuilder()
        .setEvidenceType(ATTESTATION_EVIDENCE)
        .setSerializedEvidence(sev_attestation_message.newBuilder()
            .setWhatWasSaid(ByteString.copyFrom(whatToSay))
            .setReportedAttestation(ByteString.copyFrom(report))
            .build().toByteString())
        .build();
  }

  /**
   * Encrypts with the reference's SEV construction (§4.6.5): aes-256-cbc-hmac-sha256 under the
   * 64-byte key made from the derived key; the derived key already binds the measurement and
   * guest policy, so nothing else is mixed in.
   */
  @Override
  public byte[] seal(byte[] data) throws EnclaveException {
    return sealer.seal(data);
  }

  @Override
  public byte[] unseal(byte[] sealed) throws EnclaveException {
    return sealer.unseal(sealed);
  }

  @Override
  public byte[] measurement() {
    return measurement.clone();
  }

  /** Whether {@link #seal} and {@link #unseal} work, i.e. a derived key was given. */
  public boolean canSeal() {
    return sealer.canSeal();
  }

  @Override
  public String toString() {
    return "SevSnpEnclave[measurement=" + HexFormat.of().formatHex(measurement) + ", "
        + tsm.reportRoot() + (canSeal() ? ", sealing" : ", no sealing") + "]";
  }

  /** SHA-384 of what to say, then 16 zero bytes (§6.1, the reference's {@code sev_Attest}). */
  static byte[] reportData(byte[] whatToSay) throws EnclaveException {
    try {
      return Arrays.copyOf(MessageDigest.getInstance("SHA-384").digest(whatToSay),
          REPORT_DATA_SIZE);
    } catch (GeneralSecurityException e) {
      throw new EnclaveException("the JDK lacks SHA-384", e);
    }
  }

  /**
   * The reference's KDF from the derived key to the 64-byte sealing key (sev_support.cc,
   * {@code kdf}; reference-certifier.md §4.6.5): PBKDF2-like with HMAC-SHA256 keyed by the
   * derived key, 100 iterations, and for block j (from 1) the input of the first iteration is
   * the fixed salt's first 28 bytes followed by j as a little-endian 32-bit number (the C++
   * copies an int in host order, little-endian on every SEV-SNP machine).
   */
  static byte[] sealingKey(byte[] derivedKey) throws EnclaveException {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(derivedKey, "HmacSHA256"));
      int blockSize = mac.getMacLength();
      byte[] firstInput = new byte[blockSize];
      for (int i = 0; i < blockSize - Integer.BYTES; i++) {
        firstInput[i] = KDF_SALT[i % KDF_SALT.length];
      }
      byte[] out = new byte[SEALING_KEY_SIZE];
      for (int block = 1; (block - 1) * blockSize < out.length; block++) {
        ByteBuffer.wrap(firstInput).order(ByteOrder.LITTLE_ENDIAN)
            .putInt(blockSize - Integer.BYTES, block);
        byte[] u = mac.doFinal(firstInput);
        byte[] t = u.clone();
        for (int i = 1; i < KDF_ITERATIONS; i++) {
          u = mac.doFinal(u);
          for (int k = 0; k < t.length; k++) {
            t[k] ^= u[k];
          }
        }
        int offset = (block - 1) * blockSize;
        System.arraycopy(t, 0, out, offset, Math.min(blockSize, out.length - offset));
      }
      return out;
    } catch (GeneralSecurityException e) {
      throw new EnclaveException("the JDK lacks HMAC-SHA256", e);
    }
  }

  /** The report as configfs-tsm returned it, if it is an SEV-SNP report binding our data. */
  private static byte[] checkedReport(byte[] outblob, byte[] reportData)
      throws EnclaveException {
    if (outblob.length != REPORT_SIZE) {
      throw new EnclaveException("configfs-tsm returned " + outblob.length + " bytes, not an"
          + " SEV-SNP attestation report of " + REPORT_SIZE);
    }
    if (!MessageDigest.isEqual(reportData,
        Arrays.copyOfRange(outblob, REPORT_DATA, REPORT_DATA + REPORT_DATA_SIZE))) {
      throw new EnclaveException("the SEV-SNP report does not carry the REPORT_DATA we asked"
          + " for: it was made for someone else");
    }
    return outblob;
  }
}
