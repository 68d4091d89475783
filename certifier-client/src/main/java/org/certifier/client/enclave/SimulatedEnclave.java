package org.certifier.client.enclave;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.certifier.crypto.AuthenticatedEncryption;
import org.certifier.crypto.KeyMessages;
import org.certifier.crypto.Randomness;
import org.certifier.crypto.Signatures;
import org.certifier.crypto.SymmetricAlgorithm;
import org.certifier.proto.evidence;
import org.certifier.proto.key_message;
import org.certifier.proto.signed_claim_message;
import org.certifier.proto.signed_report;
import org.certifier.proto.vse_attestation_report_info;
import org.certifier.protocol.MalformedMessageException;
import org.certifier.protocol.Messages;
import org.certifier.protocol.TimeStrings;

/**
 * The reference's simulated enclave (reference-certifier.md §4.7): a software stand-in that
 * signs attestation reports with a provisioned "attest key" endorsed by a "platform key", and
 * seals with a fixed, publicly known key. It proves the plumbing, not a hardware boundary:
 * anything it seals can be unsealed by anyone who reads this class, which is why its data must
 * never be a real secret.
 */
public final class SimulatedEnclave implements Enclave {
  public static final String ENCLAVE_TYPE = "simulated-enclave";
  public static final String EVIDENCE_TYPE = "vse-attestation-package";
  public static final String REPORT_EVIDENCE = "signed-vse-attestation-report";
  /** File names the reference's example apps read from their data directory (§5.2). */
  public static final String ATTEST_KEY_FILE = "attest_key_file.bin";
  public static final String MEASUREMENT_FILE = "example_app.measurement";
  public static final String ENDORSEMENT_FILE = "platform_attest_endorsement.bin";

  private static final Duration REPORT_LIFETIME = Duration.ofDays(365);

  private final PrivateKey attestPrivateKey;
  private final key_message attestPublicKey;
  private final String signingAlgorithm;
  private final byte[] measurement;
  private final signed_claim_message endorsement;
  private final Clock clock;

  private SimulatedEnclave(key_message attestKey, byte[] measurement,
      signed_claim_message endorsement, Clock clock) throws EnclaveException {
    if (measurement.length == 0) {
      throw new EnclaveException("simulated enclave: empty measurement");
    }
    // §4.7: the reference renames whatever key it is given to "attestKey".
    key_message named = attestKey.toBuilder().setKeyName("attestKey").build();
    try {
      this.attestPrivateKey = KeyMessages.toPrivateKey(named);
      this.attestPublicKey = KeyMessages.publicPart(named);
      this.signingAlgorithm = Signatures.defaultLabel(KeyMessages.toPublicKey(named));
    } catch (GeneralSecurityException e) {
      throw new EnclaveException("simulated enclave: unusable attest key: " + e.getMessage(), e);
    }
    this.measurement = measurement.clone();
    this.endorsement = endorsement;
    this.clock = clock;
  }

  /** An enclave from its parts: private attest key, measurement, and the platform's endorsement. */
  public static SimulatedEnclave of(key_message attestKey, byte[] measurement,
      signed_claim_message endorsement, Clock clock) throws EnclaveException {
    return new SimulatedEnclave(attestKey, measurement, endorsement, clock);
  }

  /**
   * Reads the three provisioning files of the reference's example apps from {@code dataDir}:
   * {@value #ATTEST_KEY_FILE}, {@value #MEASUREMENT_FILE} and {@value #ENDORSEMENT_FILE}.
   */
  public static SimulatedEnclave fromDirectory(Path dataDir, Clock clock)
      throws EnclaveException {
    try {
      key_message key = Messages.parse(key_message.parser(),
          Files.readAllBytes(dataDir.resolve(ATTEST_KEY_FILE)), ATTEST_KEY_FILE);
      byte[] measurement = Files.readAllBytes(dataDir.resolve(MEASUREMENT_FILE));
      signed_claim_message endorsement = Messages.parse(signed_claim_message.parser(),
          Files.readAllBytes(dataDir.resolve(ENDORSEMENT_FILE)), ENDORSEMENT_FILE);
      return new SimulatedEnclave(key, measurement, endorsement, clock);
    } catch (IOException e) {
      throw new EnclaveException("simulated enclave: cannot read provisioning files in "
          + dataDir + ": " + e.getMessage(), e);
    } catch (MalformedMessageException e) {
      throw new EnclaveException("simulated enclave: " + e.getMessage(), e);
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

  @Override
  public List<evidence> platformEvidence() {
    return List.of(evidence.newBuilder().setEvidenceType("signed-claim")
        .setSerializedEvidence(endorsement.toByteString()).build());
  }

  @Override
  public evidence attest(byte[] whatToSay) throws EnclaveException {
    Instant now = clock.instant();
    vse_attestation_report_info info = vse_attestation_report_info.newBuilder()
        .setEnclaveType(ENCLAVE_TYPE)
        .setVerifiedMeasurement(ByteString.copyFrom(measurement))
        .setNotBefore(TimeStrings.format(now))
        .setNotAfter(TimeStrings.format(now.plus(REPORT_LIFETIME)))
        .setUserData(ByteString.copyFrom(whatToSay))
        .build();
    byte[] report = info.toByteArray();
    try {
      signed_report signed = signed_report.newBuilder()
          .setReportFormat("vse-attestation-report")
          .setReport(ByteString.copyFrom(report))
          .setSigningKey(attestPublicKey)
          .setSigningAlgorithm(signingAlgorithm)
          .setSignature(ByteString.copyFrom(
              Signatures.sign(signingAlgorithm, attestPrivateKey, report)))
          .build();
      return evidence.newBuilder().setEvidenceType(REPORT_EVIDENCE)
          .setSerializedEvidence(signed.toByteString()).build();
    } catch (GeneralSecurityException e) {
      throw new EnclaveException("simulated enclave: signing the report failed", e);
    }
  }

  @Override
  public byte[] seal(byte[] data) throws EnclaveException {
    byte[] plaintext = new byte[measurement.length + data.length];
    System.arraycopy(measurement, 0, plaintext, 0, measurement.length);
    System.arraycopy(data, 0, plaintext, measurement.length, data.length);
    try {
      return AuthenticatedEncryption.encrypt(SymmetricAlgorithm.AES_256_CBC_HMAC_SHA256,
          sealingKey(), plaintext, Randomness.secureRandom());
    } catch (GeneralSecurityException e) {
      throw new EnclaveException("simulated enclave: sealing failed", e);
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  @Override
  public byte[] unseal(byte[] sealed) throws EnclaveException {
    byte[] plaintext;
    try {
      plaintext = AuthenticatedEncryption.decrypt(SymmetricAlgorithm.AES_256_CBC_HMAC_SHA256,
          sealingKey(), sealed);
    } catch (GeneralSecurityException e) {
      throw new EnclaveException("simulated enclave: sealed data is corrupt or was not sealed"
          + " by a simulated enclave", e);
    }
    try {
      // §4.6.5: Unseal checks that the blob was sealed under the same measurement.
      if (plaintext.length < measurement.length || !MessageDigest.isEqual(measurement,
          Arrays.copyOf(plaintext, measurement.length))) {
        throw new EnclaveException("simulated enclave: data was sealed by a program with a"
            + " different measurement");
      }
      return Arrays.copyOfRange(plaintext, measurement.length, plaintext.length);
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  @Override
  public byte[] measurement() {
    return measurement.clone();
  }

  /** The public attestation key, as it appears in reports and must appear in the endorsement. */
  public key_message attestPublicKey() {
    return attestPublicKey;
  }

  @Override
  public String toString() {
    return "SimulatedEnclave[measurement=" + java.util.HexFormat.of().formatHex(measurement)
        + "]";
  }

  /** §4.6.5: the simulated enclave's fixed sealing key, key[i] = (5 * i) mod 16. */
  private static byte[] sealingKey() {
    byte[] key = new byte[64];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) ((5 * i) % 16);
    }
    return key;
  }
}
