package org.certifier.verifiers.intel;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.certifier.crypto.CryptoException;
import org.certifier.crypto.KeyMessages;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.evidence.VerifiedEvidence;
import org.certifier.policy.Clauses;
import org.certifier.policy.Entities;
import org.certifier.policy.Verb;
import org.certifier.proto.attestation_user_data;
import org.certifier.proto.entity_message;
import org.certifier.proto.environment;
import org.certifier.proto.evidence;
import org.certifier.proto.evidence_package;
import org.certifier.proto.key_message;
import org.certifier.proto.platform;
import org.certifier.protocol.MalformedMessageException;
import org.certifier.protocol.Messages;
import org.certifier.verifiers.AttestedUserData;
import org.certifier.verifiers.collateral.CollateralSource;
import org.certifier.verifiers.dcap.DcapAppraisal;
import org.certifier.verifiers.dcap.IntelRoots;
import org.certifier.verifiers.dcap.Quote;
import org.certifier.verifiers.dcap.TeeType;
import org.certifier.verifiers.dcap.collateral.TcbStatus;

/**
 * What the TDX and the Gramine evidence verifiers share: reading the package's items and the
 * attestation message (what was said, the quote), the checks from the quote's TEE type to the
 * attested user data, and the statements, in the fixed form of the SEV-SNP verifier.
 */
final class DcapEvidence {
  /**
   * How one platform binds and names things.
   *
   * @param tee the TEE type the quote must have
   * @param reportDataHash the hash of {@code what_was_said} that starts REPORT_DATA; the rest
   *     of the 64 bytes are zero
   * @param enclaveType the enclave type the attested user data must name
   * @param describe the observed platform of an appraisal
   * @param measurement the environment's measurement (MRTD, MRENCLAVE) of an appraisal
   */
  record Binding(TeeType tee, String reportDataHash, String enclaveType,
      Function<DcapAppraisal.Result, platform> describe,
      Function<DcapAppraisal.Result, ByteString> measurement) {}

  private static final int REPORT_DATA_SIZE = 64;
  private static final String WHAT_WAS_SAID = "what_was_said";
  private static final String REPORTED_ATTESTATION = "reported_attestation";

  private final DcapAppraisal appraisal;
  private final CollateralSource collateral;
  private final Binding binding;

  DcapEvidence(IntelRoots roots, CollateralSource collateral, Binding binding)
      throws VerificationException {
    this.appraisal = new DcapAppraisal(Objects.requireNonNull(roots, "roots"));
    this.collateral = Objects.requireNonNull(collateral, "collateral");
    this.binding = binding;
  }

  /**
   * The serialized items of {@code pkg}, which must be exactly {@code types} in this order, none
   * empty ({@link Failure#MALFORMED_EVIDENCE}).
   */
  static List<byte[]> items(evidence_package pkg, String evidenceType, String... types)
      throws VerificationException {
    Objects.requireNonNull(pkg, "pkg");
    if (pkg.getFactAssertionCount() != types.length) {
      throw malformed("a " + evidenceType + " holds exactly " + types.length + " item"
          + (types.length == 1 ? "" : "s") + " (" + String.join(", ", types) + "), got "
          + pkg.getFactAssertionCount());
    }
    List<byte[]> items = new ArrayList<>(types.length);
    for (int i = 0; i < types.length; i++) {
      items.add(item(pkg, i, types[i]));
    }
    return items;
  }

  /**
   * Verifies the attestation message of {@code type} in {@code attestation}: it parses strictly
   * (no unknown fields) with both {@code what_was_said} and {@code reported_attestation}
   * ({@link Failure#MALFORMED_EVIDENCE}), then its quote binds what was said, as {@link
   * #verify(byte[], ByteString, Instant)} checks.
   */
  <M extends Message> VerifiedEvidence verify(Parser<M> parser, byte[] attestation, String type,
      Instant now) throws VerificationException {
    Objects.requireNonNull(now, "now");
    M message = attestation(parser, attestation, type);
    Descriptor descriptor = message.getDescriptorForType();
    ByteString quote = (ByteString) message.getField(
        descriptor.findFieldByName(REPORTED_ATTESTATION));
    ByteString whatWasSaid = (ByteString) message.getField(
        descriptor.findFieldByName(WHAT_WAS_SAID));
    return verify(quote.toByteArray(), whatWasSaid, now);
  }

  /**
   * Checks, in this order: the quote's TEE type ({@link Failure#UNSUPPORTED_EVIDENCE_TYPE});
   * the quote, its collateral and Intel's grade ({@link DcapAppraisal}, its failures); that
   * Intel has not revoked the TCB level ({@link Failure#TCB_STATUS_NOT_ACCEPTED}: no policy
   * can accept that); all 64 bytes of REPORT_DATA ({@link Failure#REPORT_DATA_MISMATCH}); the
   * attested user data and its enclave type ({@link AttestedUserData},
   * {@link Failure#UNSUPPORTED_EVIDENCE_TYPE}).
   */
  private VerifiedEvidence verify(byte[] quote, ByteString whatWasSaid, Instant now)
      throws VerificationException {
    TeeType tee = Quote.parse(quote).header().teeType();
    if (tee != binding.tee()) {
      throw new VerificationException(Failure.UNSUPPORTED_EVIDENCE_TYPE, "the quote is an "
          + tee + " quote, but this evidence carries " + binding.tee() + " quotes");
    }
    DcapAppraisal.Result result = appraisal.appraise(quote, collateral, now);
    if (result.verdict().status() == TcbStatus.REVOKED) {
      throw new VerificationException(Failure.TCB_STATUS_NOT_ACCEPTED, "Intel has revoked the"
          + " platform's TCB level (advisories " + result.verdict().advisoryIds() + "): no"
          + " policy can accept it");
    }
    ByteString expected = reportData(binding.reportDataHash(), whatWasSaid);
    ByteString actual = result.quote().body().reportData();
    if (!actual.equals(expected)) {
      throw new VerificationException(Failure.REPORT_DATA_MISMATCH, "REPORT_DATA " + hex(actual)
          + " is not " + binding.reportDataHash() + "(what_was_said) followed by zero bytes, "
          + hex(expected) + ": the quote does not attest this enclave key");
    }
    attestation_user_data userData = AttestedUserData.parse(whatWasSaid);
    if (!binding.enclaveType().equals(userData.getEnclaveType())) {
      throw new VerificationException(Failure.UNSUPPORTED_EVIDENCE_TYPE, "attested user data"
          + " comes from enclave type \"" + userData.getEnclaveType() + "\", not "
          + binding.enclaveType());
    }

    // Claims: Intel's root vouches for the PCK CA, the CA for the PCK, whose QE signed the
    // quote describing the environment and binding the enclave key to it.
    List<X509Certificate> chain = result.quote().pckChain();
    entity_message rootKey = keyOf(chain.get(chain.size() - 1));
    entity_message caKey = keyOf(chain.get(1));
    entity_message pckKey = keyOf(chain.get(0));
    key_message enclaveKey = userData.getEnclaveKey();
    entity_message env = Entities.environment(environment.newBuilder()
        .setThePlatform(binding.describe().apply(result))
        .setTheMeasurement(binding.measurement().apply(result))
        .build());
    return new VerifiedEvidence(enclaveKey, List.of(
        Clauses.says(rootKey, Clauses.unary(caKey, Verb.IS_TRUSTED_FOR_ATTESTATION)),
        Clauses.says(caKey, Clauses.unary(pckKey, Verb.IS_TRUSTED_FOR_ATTESTATION)),
        Clauses.says(pckKey, Clauses.unary(env, Verb.IS_ENVIRONMENT)),
        Clauses.says(pckKey, Clauses.simple(Entities.key(enclaveKey), Verb.SPEAKS_FOR, env))));
  }

  /** {@code hash(whatWasSaid)} followed by zero bytes up to 64. */
  static ByteString reportData(String hash, ByteString whatWasSaid) {
    try {
      byte[] reportData = new byte[REPORT_DATA_SIZE];
      byte[] digest = MessageDigest.getInstance(hash).digest(whatWasSaid.toByteArray());
      System.arraycopy(digest, 0, reportData, 0, digest.length);
      return ByteString.copyFrom(reportData);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has " + hash, e);
    }
  }

  /** Item {@code index} of {@code pkg}, which must be of {@code type} and not empty. */
  private static byte[] item(evidence_package pkg, int index, String type)
      throws VerificationException {
    evidence item = pkg.getFactAssertion(index);
    if (!type.equals(item.getEvidenceType())) {
      throw malformed("evidence item " + index + " is \"" + item.getEvidenceType()
          + "\" where " + type + " belongs");
    }
    if (!item.hasSerializedEvidence() || item.getSerializedEvidence().isEmpty()) {
      throw malformed("evidence item " + index + " (" + type + ") is empty");
    }
    return item.getSerializedEvidence().toByteArray();
  }

  /**
   * The attestation message of {@code type}: it parses strictly (no unknown fields) and has
   * both {@code what_was_said} and {@code reported_attestation}.
   */
  private static <M extends Message> M attestation(Parser<M> parser, byte[] bytes,
      String type) throws VerificationException {
    M message;
    try {
      message = Messages.parse(parser, bytes, type);
    } catch (MalformedMessageException e) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE, e.getMessage(), e);
    }
    Descriptor descriptor = message.getDescriptorForType();
    for (String field : List.of(WHAT_WAS_SAID, REPORTED_ATTESTATION)) {
      if (!message.hasField(descriptor.findFieldByName(field))) {
        throw malformed(type + " lacks " + field);
      }
    }
    return message;
  }

  private static VerificationException malformed(String detail) {
    return new VerificationException(Failure.MALFORMED_EVIDENCE, detail);
  }

  private static entity_message keyOf(X509Certificate cert) throws VerificationException {
    try {
      return Entities.key(KeyMessages.fromCertificate(cert));
    } catch (CryptoException e) {
      throw new VerificationException(Failure.UNSUPPORTED_ALGORITHM,
          "cannot describe the key of " + cert.getSubjectX500Principal().getName(), e);
    }
  }

  private static String hex(ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }
}
