package org.certifier.client.enclave;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import org.certifier.crypto.SymmetricAlgorithm;
import org.certifier.proto.evidence;
import org.certifier.proto.tdx_attestation_message;

/**
 * An Intel TDX guest (a trust domain), attesting through Linux configfs-tsm with the
 * {@code tdx_guest} provider. The reference has no TDX support; the evidence follows its pattern
 * for the other platforms (docs/compatibility.md):
 *
 * <ul>
 *   <li>{@link #attest}: REPORTDATA = SHA-384(what to say) followed by 16 zero bytes, exactly
 *       as {@link SevSnpEnclave} binds (SHA-384 is TDX's own measurement hash, and one rule for
 *       both configfs-tsm platforms keeps the verifiers alike); the quote (version 4 or 5, with
 *       the PCK chain inside) comes from {@code outblob}; the evidence is
 *       {@code tdx-attestation}, a serialized {@code tdx_attestation_message{what_was_said,
 *       reported_attestation}}.</li>
 *   <li>{@link #platformEvidence}: none; the quote carries the PCK certificate chain.</li>
 *   <li>{@link #measurement}: MRTD (48 bytes) of a quote made when the enclave is built.</li>
 *   <li>Sealing: a TD has no hardware sealing key at all (the TDX module derives none for
 *       guests), so, as {@link SevSnpEnclave} without its derived key, {@link #seal} and
 *       {@link #unseal} fail unless the program passes key material to
 *       {@link Builder#sealingKeyMaterial}, e.g. released by a key broker to this attested
 *       TD. The AES-256-GCM key is HKDF-SHA256 of that material and MRTD, so another MRTD
 *       cannot unseal even with the same material.</li>
 * </ul>
 */
public final class TdxEnclave implements Enclave {
  public static final String ENCLAVE_TYPE = "tdx-enclave";
  public static final String EVIDENCE_TYPE = "tdx-evidence";
  public static final String ATTESTATION_EVIDENCE = "tdx-attestation";
  /** The configfs-tsm provider name of Linux's tdx-guest driver. */
  static final String PROVIDER = "tdx_guest";
  /** The size of the key material {@link Builder#sealingKeyMaterial} takes. */
  public static final int SEALING_KEY_MATERIAL_SIZE = 32;
  private static final int REPORT_DATA_SIZE = 64;
  private static final String SOURCE = "configfs-tsm (tdx_guest)";

  private final ConfigfsTsm tsm;
  private final byte[] measurement;
  private final Sealer sealer;

  private TdxEnclave(ConfigfsTsm tsm, byte[] measurement, byte[] sealingKey) {
    this.tsm = tsm;
    this.measurement = measurement;
    this.sealer = new Sealer("TDX", SymmetricAlgorithm.AES_256_GCM, sealingKey,
        "a TDX guest has no hardware sealing key: the TDX module derives none for trust"
            + " domains. Pass 32 bytes of key material only this TD holds (e.g. released by a"
            + " key broker after attestation) to TdxEnclave.Builder.sealingKeyMaterial"
            + " (docs/platforms.md)",
        "under other key material or another MRTD");
  }

  /** Starts with configfs-tsm at its usual place and no sealing. */
  public static Builder builder() {
    return new Builder();
  }

  /** Where the TDX quotes come from, and the sealing key material if there is one. */
  public static final class Builder {
    private Path reportRoot = ConfigfsTsm.DEFAULT_REPORT_ROOT;
    private byte[] keyMaterial;

    private Builder() {}

    /**
     * The configfs-tsm report directory, {@code /sys/kernel/config/tsm/report} by default;
     * tests use a fake one.
     */
    public Builder reportRoot(Path root) {
      reportRoot = Objects.requireNonNull(root, "root");
      return this;
    }

    /**
     * 32 bytes of secret key material that only this TD may hold. Whoever holds it can read
     * what this enclave seals (for the same MRTD). The array is zeroed by {@link #build},
     * whether it succeeds or not.
     */
    public Builder sealingKeyMaterial(byte[] material) {
      if (material.length != SEALING_KEY_MATERIAL_SIZE) {
        throw new IllegalArgumentException("sealing key material is "
            + SEALING_KEY_MATERIAL_SIZE + " bytes, not " + material.length);
      }
      keyMaterial = material;
      return this;
    }

    /**
     * Asks for one quote, to learn MRTD.
     *
     * @throws EnclaveException if there is no TDX configfs-tsm or its quote is not one
     */
    public TdxEnclave build() throws EnclaveException {
      try {
        ConfigfsTsm tsm = new ConfigfsTsm(reportRoot, PROVIDER, OptionalInt.empty());
        byte[] zeros = new byte[REPORT_DATA_SIZE];
        DcapQuote probe = DcapQuote.parse(tsm.report(zeros).outblob(), DcapQuote.TEE_TDX,
            SOURCE);
        probe.requireReportData(zeros, SOURCE);
        byte[] mrTd = probe.measurement();
        byte[] key = keyMaterial == null ? null : SealingKeys.derive(keyMaterial,
            concat("certifier tdx-enclave sealing ".getBytes(StandardCharsets.US_ASCII), mrTd));
        return new TdxEnclave(tsm, mrTd, key);
      } finally {
        if (keyMaterial != null) {
          Arrays.fill(keyMaterial, (byte) 0);
        }
      }
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

  /** None: the quote carries its PCK certificate chain. */
  @Override
  public List<evidence> platformEvidence() {
    return List.of();
  }

  @Override
  public evidence attest(byte[] whatToSay) throws EnclaveException {
    byte[] reportData = reportData(whatToSay);
    byte[] quote = tsm.report(reportData).outblob();
    DcapQuote.parse(quote, DcapQuote.TEE_TDX, SOURCE).requireReportData(reportData, SOURCE);
    return evidence.newBuilder()
        .setEvidenceType(ATTESTATION_EVIDENCE)
        .setSerializedEvidence(tdx_attestation_message.newBuilder()
            .setWhatWasSaid(ByteString.copyFrom(whatToSay))
            .setReportedAttestation(ByteString.copyFrom(quote))
            .build().toByteString())
        .build();
  }

  /** AES-256-GCM with a random nonce under the key derived from the given key material. */
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

  /** Whether {@link #seal} and {@link #unseal} work, i.e. key material was given. */
  public boolean canSeal() {
    return sealer.canSeal();
  }

  @Override
  public String toString() {
    return "TdxEnclave[MRTD=" + HexFormat.of().formatHex(measurement) + ", "
        + tsm.reportRoot() + (canSeal() ? ", sealing" : ", no sealing") + "]";
  }

  /** SHA-384 of what to say, then 16 zero bytes: the same binding as SEV-SNP's. */
  static byte[] reportData(byte[] whatToSay) throws EnclaveException {
    return SevSnpEnclave.reportData(whatToSay);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
