package org.certifier.client.enclave;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.certifier.crypto.Certificates;
import org.certifier.crypto.CryptoException;
import org.certifier.crypto.SymmetricAlgorithm;
import org.certifier.proto.evidence;
import org.certifier.proto.gramine_attestation_message;

/**
 * An SGX enclave under Gramine, attesting with DCAP through Gramine's {@code /dev/attestation}
 * pseudo-files, with exactly the reference's {@code gramine-evidence} (reference-certifier.md
 * §3.7.5, §4.4, §6.2), so a Java program under Gramine is certified by our service and by the
 * Go service alike:
 *
 * <ul>
 *   <li>{@link #attest}: writes SHA-256(what to say) followed by 32 zero bytes to
 *       {@code user_report_data}, reads the DCAP quote (version 3) from {@code quote}; the
 *       evidence is {@code gramine-attestation}, a serialized
 *       {@code gramine_attestation_message{what_was_said, reported_attestation}}.</li>
 *   <li>{@link #platformEvidence}: {@code cert} with the platform certificate (DER), as the
 *       reference's {@code initialize_gramine_enclave} takes it.</li>
 *   <li>{@link #measurement}: MRENCLAVE (32 bytes) of a quote made when the enclave is
 *       built.</li>
 *   <li>Sealing: the reference encrypts with AES-GCM using the SGX seal key as its own nonce
 *       for every blob (§4.6.5, a deterministic nonce: two blobs reveal the XOR of their
 *       plaintexts and allow forgeries). We do not reproduce that: the key is derived with
 *       HKDF-SHA256 from Gramine's MRENCLAVE-bound seal key
 *       ({@code /dev/attestation/keys/_sgx_mrenclave}) and used with AES-256-GCM and a random
 *       nonce per blob. Blobs sealed by the C++ library therefore do not open here. Without
 *       that key file (older Gramine), sealing fails with a clear error.</li>
 * </ul>
 */
public final class GramineEnclave implements Enclave {
  public static final String ENCLAVE_TYPE = "gramine-enclave";
  public static final String EVIDENCE_TYPE = "gramine-evidence";
  public static final String CERT_EVIDENCE = "cert";
  public static final String ATTESTATION_EVIDENCE = "gramine-attestation";
  /** The only attestation type we can use: Gramine's {@code dcap}. */
  static final String DCAP = "dcap";
  private static final String DEVICE = "dev/attestation";
  private static final int REPORT_DATA_SIZE = 64;
  private static final int SEAL_KEY_SIZE = 16;
  /** More than any quote (a v3 quote with its PCK chain is about 4.6 KiB). */
  private static final int MAX_QUOTE = 1 << 16;
  private static final String SOURCE = "/dev/attestation/quote";

  private final Path device;
  private final evidence platformCertificate;
  private final byte[] measurement;
  private final Sealer sealer;

  private GramineEnclave(Path device, evidence platformCertificate, byte[] measurement,
      byte[] sealingKey) {
    this.device = device;
    this.platformCertificate = platformCertificate;
    this.measurement = measurement;
    this.sealer = new Sealer("Gramine", SymmetricAlgorithm.AES_256_GCM, sealingKey,
        "Gramine offers no seal key at /dev/attestation/keys/_sgx_mrenclave (Gramine 1.4 or"
            + " later does): cannot seal",
        "by another enclave (another MRENCLAVE or CPU)");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Where Gramine's files are and the platform certificate to send. */
  public static final class Builder {
    private Path root = Path.of("/");
    private byte[] platformCertificate;

    private Builder() {}

    /** The file-system root holding {@code dev/attestation}, {@code /} by default. */
    public Builder root(Path fileSystemRoot) {
      root = Objects.requireNonNull(fileSystemRoot, "fileSystemRoot");
      return this;
    }

    /**
     * The platform certificate (DER) the reference's {@code initialize_gramine_enclave} takes
     * and the service's policy names (issued by the policy key or self-signed, §3.7.5).
     */
    public Builder platformCertificate(byte[] der) {
      platformCertificate = der.clone();
      return this;
    }

    /**
     * Checks that Gramine attests with DCAP, asks for one quote to learn MRENCLAVE, and reads
     * the seal key if Gramine offers one.
     *
     * @throws EnclaveException if {@code /dev/attestation} is missing, the attestation type is
     *     not {@code dcap}, the quote is not an SGX quote, or no platform certificate was given
     */
    public GramineEnclave build() throws EnclaveException {
      if (platformCertificate == null) {
        throw new EnclaveException("Gramine evidence starts with a platform certificate: give"
            + " it (DER) to GramineEnclave.Builder.platformCertificate");
      }
      try {
        Certificates.parseDer(platformCertificate);
      } catch (CryptoException e) {
        throw new EnclaveException("the platform certificate given to GramineEnclave is not a"
            + " DER certificate", e);
      }
      Path device = root.resolve(DEVICE);
      String type;
      try {
        type = new String(ConfigfsTsm.readBounded(device.resolve("attestation_type"),
            64), StandardCharsets.US_ASCII).strip();
      } catch (IOException e) {
        throw new EnclaveException("cannot read " + device.resolve("attestation_type") + " ("
            + e + "): this needs an SGX enclave under Gramine with remote attestation enabled"
            + " (sgx.remote_attestation = \"dcap\" in the manifest)", e);
      }
      if (!type.equals(DCAP)) {
        throw new EnclaveException("Gramine's attestation type is \"" + type + "\", not dcap:"
            + " set sgx.remote_attestation = \"dcap\" in the manifest");
      }
      byte[] zeros = new byte[REPORT_DATA_SIZE];
      byte[] probe = quote(device, zeros);
      byte[] mrEnclave = DcapQuote.parse(probe, DcapQuote.TEE_SGX, SOURCE).measurement();
      evidence cert = evidence.newBuilder().setEvidenceType(CERT_EVIDENCE)
          .setSerializedEvidence(ByteString.copyFrom(platformCertificate)).build();
      return new GramineEnclave(device, cert, mrEnclave, sealingKey(device));
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

  /** {@code cert} with the platform certificate, as the reference sends it. */
  @Override
  public List<evidence> platformEvidence() {
    return List.of(platformCertificate);
  }

  @Override
  public evidence attest(byte[] whatToSay) throws EnclaveException {
    byte[] reportData = reportData(whatToSay);
    byte[] quote = quote(device, reportData);
    return evidence.newBuilder()
        .setEvidenceType(ATTESTATION_EVIDENCE)
        .setSerializedEvidence(gramine_attestation_message.newBuilder()
            .setWhatWasSaid(ByteString.copyFrom(whatToSay))
            .setReportedAttestation(ByteString.copyFrom(quote))
            .build().toByteString())
        .build();
  }

  /** AES-256-GCM with a random nonce under the key derived from Gramine's seal key. */
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

  /** Whether {@link #seal} and {@link #unseal} work, i.e. Gramine offers the seal key. */
  public boolean canSeal() {
    return sealer.canSeal();
  }

  @Override
  public String toString() {
    return "GramineEnclave[MRENCLAVE=" + HexFormat.of().formatHex(measurement)
        + (canSeal() ? ", sealing" : ", no sealing") + "]";
  }

  /** SHA-256 of what to say, then 32 zero bytes (§6.2, the reference's Gramine Attest). */
  static byte[] reportData(byte[] whatToSay) throws EnclaveException {
    try {
      return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(whatToSay),
          REPORT_DATA_SIZE);
    } catch (GeneralSecurityException e) {
      throw new EnclaveException("the JDK lacks SHA-256", e);
    }
  }

  /** One quote: write the report data, then read the quote Gramine made for it. */
  private static byte[] quote(Path device, byte[] reportData) throws EnclaveException {
    // One write without O_CREAT: a missing pseudo-file is an error, never a new file.
    try (OutputStream out = Files.newOutputStream(device.resolve("user_report_data"),
        StandardOpenOption.WRITE)) {
      out.write(reportData);
    } catch (IOException e) {
      throw new EnclaveException("Gramine refused user_report_data: " + e, e);
    }
    byte[] quote;
    try {
      quote = ConfigfsTsm.readBounded(device.resolve("quote"), MAX_QUOTE);
    } catch (IOException e) {
      throw new EnclaveException("Gramine could not produce a quote: " + e, e);
    }
    DcapQuote.parse(quote, DcapQuote.TEE_SGX, SOURCE).requireReportData(reportData, SOURCE);
    return quote;
  }

  /** HKDF of {@code keys/_sgx_mrenclave}, or null if this Gramine does not offer it. */
  private static byte[] sealingKey(Path device) throws EnclaveException {
    byte[] sealKey;
    try {
      sealKey = ConfigfsTsm.readBounded(device.resolve("keys/_sgx_mrenclave"),
          SEAL_KEY_SIZE);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new EnclaveException("cannot read Gramine's seal key: " + e, e);
    }
    try {
      if (sealKey.length != SEAL_KEY_SIZE) {
        throw new EnclaveException("Gramine's _sgx_mrenclave key is " + sealKey.length
            + " bytes, not " + SEAL_KEY_SIZE);
      }
      return SealingKeys.derive(sealKey,
          "certifier gramine-enclave sealing".getBytes(StandardCharsets.US_ASCII));
    } finally {
      Arrays.fill(sealKey, (byte) 0);
    }
  }
}
