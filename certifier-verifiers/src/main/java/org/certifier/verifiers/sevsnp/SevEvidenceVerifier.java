package org.certifier.verifiers.sevsnp;

import com.google.protobuf.ByteString;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.certifier.crypto.Certificates;
import org.certifier.crypto.CryptoException;
import org.certifier.crypto.KeyMessages;
import org.certifier.evidence.EvidenceVerifier;
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
import org.certifier.proto.sev_attestation_message;
import org.certifier.protocol.MalformedMessageException;
import org.certifier.protocol.Messages;
import org.certifier.verifiers.AttestedUserData;

/**
 * Verifies a {@code sev-platform-package}, the reference's SEV-SNP evidence, exactly as the
 * reference's SEV clients send it (reference-certifier.md §3.7.4, §4.4, §6.1): four items,
 * {@code cert} ARK, {@code cert} ASK, {@code cert} VCEK (DER), then {@code sev-attestation}, a
 * serialized {@code sev_attestation_message{what_was_said, reported_attestation}} whose report
 * binds {@code what_was_said}, a serialized {@code attestation_user_data} naming the enclave
 * key. A report signed by a VLEK carries the ASVK and the VLEK in the places of the ASK and the
 * VCEK; the reference has no VLEK, and the shape needs nothing new for it.
 *
 * <p>Checked, in this order, each with its own failure: the item types and the certificates'
 * roles by position ({@link Failure#MALFORMED_EVIDENCE}; an ASK with a VLEK or an ASVK with a
 * VCEK is {@link Failure#BAD_CERTIFICATE_CHAIN}); the ARK is the one pinned in
 * {@link AmdRoots} for the VCEK's product, byte for byte ({@link Failure#UNTRUSTED_ROOT}); the
 * report, its signature and the chain ARK -> ASK -> VCEK (or ARK -> ASVK -> VLEK) with all
 * bindings and, if the verifier has {@link SnpCrls}, AMD's CRL, as {@link SnpVerifier} checks
 * them (its failures); REPORT_DATA is SHA-384({@code what_was_said})
 * followed by 16 zero bytes ({@link Failure#REPORT_DATA_MISMATCH}); {@code what_was_said} names
 * a public enclave key and the enclave type {@value #ENCLAVE_TYPE}.
 *
 * <p>Proved statements, with keys taken from the certificates and named by their CN as in the
 * reference:
 * <pre>
 * ARK says ASK is-trusted-for-attestation
 * ASK says VCEK is-trusted-for-attestation
 * VCEK says environment[platform, measurement] is-environment
 * VCEK says enclaveKey speaks-for environment[platform, measurement]
 * </pre>
 * where the platform is {@link SnpProperties#platform} of the verified report and the
 * measurement its 48-byte MEASUREMENT. Trust in the ARK, the measurement and the platform is
 * the policy's business: {@code policyKey says ARK is-trusted-for-attestation}, {@code policyKey
 * says Measurement[m] is-trusted} and a {@code platform[amd-sev-snp, ...]
 * has-trusted-platform-property} template.
 *
 * <p>Debugging: this verifier does not decide it. The platform reports {@code debug: yes} when
 * the guest policy allows the host to debug the guest (bit 19), and such a platform satisfies
 * only a policy template that names {@code debug} itself, e.g. {@code debug: yes}
 * (docs/policy.md, deviation 10). A policy that says nothing about debugging therefore refuses
 * debuggable guests, and one that wants them must say so.
 *
 * <p>Deviations from the Go service, each failing closed: Go checked no certificate signature
 * and trusted whatever ARK the package named (§3.7.1); it compared only the first 48 bytes of
 * REPORT_DATA (the reference client always zeroes the other 16); it read the guest policy bits
 * wrongly (see {@link SnpProperties}); it panicked on short reports.
 */
public final class SevEvidenceVerifier implements EvidenceVerifier {
  public static final String EVIDENCE_TYPE = "sev-platform-package";
  /** The enclave type the reference's SEV clients attest (§4.3). */
  public static final String ENCLAVE_TYPE = "sev-enclave";
  static final String CERT = "cert";
  static final String SEV_ATTESTATION = "sev-attestation";
  private static final int ITEMS = 4;
  private static final String VCEK_CN = "SEV-VCEK";
  private static final String VLEK_CN = "SEV-VLEK";

  private final AmdRoots roots;
  private final SnpVerifier verifier;

  /**
   * A verifier trusting the given AMD roots, {@link AmdRoots#embedded()} in production, that
   * does not check AMD's CRLs.
   */
  public SevEvidenceVerifier(AmdRoots roots) {
    this(roots, SnpCrls.NONE);
  }

  /** A verifier trusting the given AMD roots that checks revocation with AMD's CRLs. */
  public SevEvidenceVerifier(AmdRoots roots, SnpCrls crls) {
    this.roots = Objects.requireNonNull(roots, "roots");
    this.verifier = new SnpVerifier(roots, crls);
  }

  @Override
  public String evidenceType() {
    return EVIDENCE_TYPE;
  }

  @Override
  public VerifiedEvidence verify(evidence_package pkg, Instant now)
      throws VerificationException {
    Objects.requireNonNull(pkg, "pkg");
    Objects.requireNonNull(now, "now");
    // Parse: four items in the reference's order, each certificate in its place.
    if (pkg.getFactAssertionCount() != ITEMS) {
      throw malformed("a " + EVIDENCE_TYPE + " holds exactly " + ITEMS + " items (cert ARK,"
          + " cert ASK or ASVK, cert VCEK or VLEK, " + SEV_ATTESTATION + "), got "
          + pkg.getFactAssertionCount());
    }
    byte[] arkDer = item(pkg, 0, CERT);
    byte[] intermediateDer = item(pkg, 1, CERT);
    byte[] leafDer = item(pkg, 2, CERT);
    byte[] attestation = item(pkg, 3, SEV_ATTESTATION);
    X509Certificate ark = certificate(arkDer, 0);
    X509Certificate intermediate = certificate(intermediateDer, 1);
    X509Certificate leaf = certificate(leafDer, 2);
    checkRoles(commonName(ark), commonName(intermediate), commonName(leaf));
    sev_attestation_message message;
    try {
      message = Messages.parse(sev_attestation_message.parser(), attestation, SEV_ATTESTATION);
    } catch (MalformedMessageException e) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE, e.getMessage(), e);
    }
    if (!message.hasWhatWasSaid() || !message.hasReportedAttestation()) {
      throw malformed(SEV_ATTESTATION + " lacks what_was_said or reported_attestation");
    }

    // Verify: the pinned ARK, then AMD's chain and signature, then what the report binds.
    SnpProduct product = EndorsementKey.read(leaf).product();
    X509Certificate pinnedArk = roots.forProduct(product).ark();
    if (!MessageDigest.isEqual(arkDer, encoded(pinnedArk))) {
      throw new VerificationException(Failure.UNTRUSTED_ROOT, "the package's ARK \""
          + commonName(ark) + "\" (SHA-256 " + sha256Hex(arkDer) + ") is not AMD's pinned ARK"
          + " of " + product.kdsName());
    }
    SnpClaims claims = verifier.verify(message.getReportedAttestation().toByteArray(), leafDer,
        intermediateDer, now);
    ByteString expected = expectedReportData(message.getWhatWasSaid());
    if (!claims.reportData().equals(expected)) {
      throw new VerificationException(Failure.REPORT_DATA_MISMATCH, "REPORT_DATA "
          + hex(claims.reportData()) + " is not SHA-384(what_was_said) followed by 16 zero bytes, "
          + hex(expected) + ": the report does not attest this enclave key");
    }
    attestation_user_data userData = AttestedUserData.parse(message.getWhatWasSaid());
    if (!ENCLAVE_TYPE.equals(userData.getEnclaveType())) {
      throw new VerificationException(Failure.UNSUPPORTED_EVIDENCE_TYPE, "attested user data"
          + " comes from enclave type \"" + userData.getEnclaveType() + "\", not "
          + ENCLAVE_TYPE);
    }

    // Claims: the statements of §3.7.4, in our fixed form.
    entity_message arkKey = keyOf(pinnedArk);
    entity_message askKey = keyOf(intermediate);
    entity_message vcekKey = keyOf(leaf);
    key_message enclaveKey = userData.getEnclaveKey();
    entity_message env = Entities.environment(environment.newBuilder()
        .setThePlatform(SnpProperties.platform(claims))
        .setTheMeasurement(claims.measurement())
        .build());
    return new VerifiedEvidence(enclaveKey, List.of(
        Clauses.says(arkKey, Clauses.unary(askKey, Verb.IS_TRUSTED_FOR_ATTESTATION)),
        Clauses.says(askKey, Clauses.unary(vcekKey, Verb.IS_TRUSTED_FOR_ATTESTATION)),
        Clauses.says(vcekKey, Clauses.unary(env, Verb.IS_ENVIRONMENT)),
        Clauses.says(vcekKey, Clauses.simple(Entities.key(enclaveKey), Verb.SPEAKS_FOR, env))));
  }

  /**
   * The REPORT_DATA a reference SEV client asks for: SHA-384 of what it says, then 16 zero
   * bytes (§6.1, {@code sev_Attest}).
   */
  static ByteString expectedReportData(ByteString whatWasSaid) {
    try {
      byte[] reportData = new byte[SnpLayout.REPORT_DATA_SIZE];
      byte[] digest = MessageDigest.getInstance("SHA-384").digest(whatWasSaid.toByteArray());
      System.arraycopy(digest, 0, reportData, 0, digest.length);
      return ByteString.copyFrom(reportData);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-384", e);
    }
  }

  /**
   * The certificates must stand where the reference puts them; a package that swaps them is
   * malformed, not a chain to search. The ARK is self-issued under CN ARK-product; the second
   * is the ASK (SEV-product) or the ASVK (SEV-VLEK-product); the third the VCEK (SEV-VCEK) or
   * the VLEK (SEV-VLEK), and it must be the kind the second one issues.
   */
  private static void checkRoles(Optional<String> ark, Optional<String> intermediate,
      Optional<String> leaf) throws VerificationException {
    if (!ark.orElse("").startsWith("ARK-")) {
      throw malformed("evidence item 0 must be the ARK certificate, found " + describe(ark));
    }
    String name = intermediate.orElse("");
    boolean asvk = name.startsWith(VLEK_CN + "-");
    boolean ask = !asvk && name.startsWith("SEV-") && !name.equals(VCEK_CN)
        && !name.equals(VLEK_CN);
    if (!ask && !asvk) {
      throw malformed("evidence item 1 must be the ASK or ASVK certificate, found "
          + describe(intermediate));
    }
    String leafName = leaf.orElse("");
    if (!leafName.equals(VCEK_CN) && !leafName.equals(VLEK_CN)) {
      throw malformed("evidence item 2 must be the VCEK or VLEK certificate, found "
          + describe(leaf));
    }
    boolean vlek = leafName.equals(VLEK_CN);
    if (vlek != asvk) {
      throw new VerificationException(Failure.BAD_CERTIFICATE_CHAIN, "evidence item 2 is a "
          + (vlek ? "VLEK, which the ASVK certifies" : "VCEK, which the ASK certifies")
          + ", but item 1 is the " + (asvk ? "ASVK" : "ASK") + " " + describe(intermediate));
    }
  }

  private static byte[] item(evidence_package pkg, int index, String type)
      throws VerificationException {
    evidence item = pkg.getFactAssertion(index);
    if (!type.equals(item.getEvidenceType())) {
      throw malformed("evidence item " + index + " is \"" + item.getEvidenceType()
          + "\" where the reference puts " + type);
    }
    if (!item.hasSerializedEvidence()) {
      throw malformed("evidence item " + index + " (" + type + ") is empty");
    }
    return item.getSerializedEvidence().toByteArray();
  }

  private static X509Certificate certificate(byte[] der, int index)
      throws VerificationException {
    try {
      return Certificates.parseDer(der);
    } catch (CryptoException e) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE,
          "evidence item " + index + " is not a DER X.509 certificate", e);
    }
  }

  private static Optional<String> commonName(X509Certificate cert) throws VerificationException {
    try {
      return Certificates.subjectAttribute(cert, "CN");
    } catch (CryptoException e) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE,
          "unreadable certificate subject", e);
    }
  }

  private static entity_message keyOf(X509Certificate cert) throws VerificationException {
    try {
      return Entities.key(KeyMessages.fromCertificate(cert));
    } catch (CryptoException e) {
      throw new VerificationException(Failure.UNSUPPORTED_ALGORITHM,
          "cannot describe the key of " + cert.getSubjectX500Principal().getName(), e);
    }
  }

  private static byte[] encoded(X509Certificate cert) throws VerificationException {
    try {
      return cert.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new VerificationException(Failure.INTERNAL_ERROR, "cannot encode a pinned ARK", e);
    }
  }

  private static String describe(Optional<String> commonName) {
    return commonName.map(cn -> "the certificate of \"" + cn + "\"")
        .orElse("a certificate without a common name");
  }

  private static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static String hex(ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }

  private static VerificationException malformed(String detail) {
    return new VerificationException(Failure.MALFORMED_EVIDENCE, detail);
  }
}
