package org.certifier.verifiers.intel;

import static org.certifier.verifiers.intel.IntelPackages.ENCLAVE_KEY;
import static org.certifier.verifiers.intel.IntelPackages.NOW;
import static org.certifier.verifiers.intel.IntelPackages.assertFailure;
import static org.certifier.verifiers.intel.IntelPackages.gramine;
import static org.certifier.verifiers.intel.IntelPackages.gramineAttestation;
import static org.certifier.verifiers.intel.IntelPackages.item;
import static org.certifier.verifiers.intel.IntelPackages.reportData;
import static org.certifier.verifiers.intel.IntelPackages.userData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.Arrays;
import org.certifier.crypto.KeyMessages;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerifiedEvidence;
import org.certifier.policy.Entities;
import org.certifier.policy.Equality;
import org.certifier.policy.Statements;
import org.certifier.proto.entity_message;
import org.certifier.proto.evidence_package;
import org.certifier.proto.gramine_attestation_message;
import org.certifier.testing.intel.FakeIntelBundle;
import org.certifier.testing.intel.FakeIntelDcap;
import org.certifier.verifiers.collateral.BundleDirectory;
import org.certifier.verifiers.dcap.IntelRoots;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reference's {@code gramine-evidence} from a {@link FakeIntelDcap}, and its mutations. */
class GramineEvidenceVerifierTest {
  @TempDir
  static Path dir;
  private static FakeIntelDcap dcap;
  private static byte[] mrEnclave;
  private static GramineEvidenceVerifier verifier;

  @BeforeAll
  static void fakeIntel() throws Exception {
    dcap = FakeIntelDcap.create();
    mrEnclave = dcap.filler("the enclave's MRENCLAVE", 32);
    verifier = new GramineEvidenceVerifier(IntelRoots.insecureForTesting(dcap.rootCa()),
        new BundleDirectory(FakeIntelBundle.write(dir, dcap)));
  }

  @Test
  void aValidPackageProvesTheIntelStatementsForAnSgxPlatform() throws Exception {
    VerifiedEvidence verified = verifier.verify(IntelPackages.validGramine(dcap, mrEnclave),
        NOW);

    assertTrue(Equality.sameKey(ENCLAVE_KEY, verified.enclaveKey()));
    assertEquals(4, verified.statements().size());
    entity_message root = Entities.key(KeyMessages.fromCertificate(dcap.rootCa()));
    assertTrue(Equality.sameEntity(root, verified.statements().get(0).getSubject()));
    entity_message env = verified.statements().get(3).getClause().getObject();
    assertEquals(ByteString.copyFrom(mrEnclave), env.getEnvironmentEnt().getTheMeasurement());
    String described = Statements.describe(env);
    assertTrue(described.startsWith("environment[platform[sgx, no key, debug: no,"
        + " tcb-status: UpToDate, advisory-ids: , cpu-svn-0: 3, "), described);
    assertTrue(described.contains("mrsigner: "
        + java.util.HexFormat.of().formatHex(dcap.filler("MRSIGNER", 32))), described);
    assertTrue(described.contains("isv-prod-id: 0, isv-svn: 0, config-svn: 0, attributes: 5,"
        + " xfrm: 231, misc-select: 0]"), described);
  }

  @Test
  void aDebugEnclaveSaysSo() throws Exception {
    byte[] said = userData(GramineEvidenceVerifier.ENCLAVE_TYPE);
    VerifiedEvidence verified = verifier.verify(gramine(dcap.pckCertificateDer(),
        gramineAttestation(said, dcap.sgxQuote().mrEnclave(mrEnclave).debug(true)
            .reportData(reportData("SHA-256", said)).signed())), NOW);
    assertTrue(Statements.describe(verified.statements().get(2).getClause().getSubject())
        .startsWith("environment[platform[sgx, no key, debug: yes, "));
  }

  @Test
  void malformedEvidenceWithoutAPlatformCertificate() throws Exception {
    evidence_package valid = IntelPackages.validGramine(dcap, mrEnclave);
    assertFailure(Failure.MALFORMED_EVIDENCE, verifier, valid.toBuilder()
        .removeFactAssertion(0).build());
    assertFailure(Failure.MALFORMED_EVIDENCE, verifier, valid.toBuilder()
        .setFactAssertion(0, item("cert", Arrays.copyOf(dcap.pckCertificateDer(), 50)))
        .build());
    assertFailure(Failure.MALFORMED_EVIDENCE, verifier, valid.toBuilder()
        .setFactAssertion(0, item("pem-cert-chain", dcap.pckCertificateDer())).build());
    // The reference's order only: attestation last.
    assertFailure(Failure.MALFORMED_EVIDENCE, verifier, evidence_package.newBuilder()
        .addFactAssertion(valid.getFactAssertion(1)).addFactAssertion(valid.getFactAssertion(0))
        .build());
  }

  @Test
  void malformedEvidenceForTruncatedItems() throws Exception {
    evidence_package valid = IntelPackages.validGramine(dcap, mrEnclave);
    byte[] attestation = valid.getFactAssertion(1).getSerializedEvidence().toByteArray();
    gramine_attestation_message message = gramine_attestation_message.parseFrom(attestation);
    byte[] quote = message.getReportedAttestation().toByteArray();
    for (int length : new int[] {0, FakeIntelDcap.HEADER_SIZE + 100, quote.length - 1}) {
      assertFailure(Failure.MALFORMED_EVIDENCE, verifier, gramine(dcap.pckCertificateDer(),
          gramineAttestation(message.getWhatWasSaid().toByteArray(),
              Arrays.copyOf(quote, length))));
    }
    assertFailure(Failure.MALFORMED_EVIDENCE, verifier, gramine(dcap.pckCertificateDer(),
        Arrays.copyOf(attestation, attestation.length - 1)));
  }

  @Test
  void reportDataMismatchForTdxsBindingOrAnotherKey() throws Exception {
    byte[] said = userData(GramineEvidenceVerifier.ENCLAVE_TYPE);
    assertFailure(Failure.REPORT_DATA_MISMATCH, verifier, gramine(dcap.pckCertificateDer(),
        gramineAttestation(said, dcap.sgxQuote().mrEnclave(mrEnclave)
            .reportData(reportData("SHA-384", said)).signed())));
    assertFailure(Failure.REPORT_DATA_MISMATCH, verifier, gramine(dcap.pckCertificateDer(),
        gramineAttestation(said, dcap.sgxQuote().mrEnclave(mrEnclave)
            .reportData(reportData("SHA-256", userData("other"))).signed())));
  }

  @Test
  void unsupportedEvidenceTypeForAnotherEnclaveTypeOrATdxQuote() throws Exception {
    byte[] tdxSaid = userData(TdxEvidenceVerifier.ENCLAVE_TYPE);
    assertFailure(Failure.UNSUPPORTED_EVIDENCE_TYPE, verifier, gramine(
        dcap.pckCertificateDer(), gramineAttestation(tdxSaid, dcap.sgxQuote()
            .reportData(reportData("SHA-256", tdxSaid)).signed())));
    byte[] said = userData(GramineEvidenceVerifier.ENCLAVE_TYPE);
    assertFailure(Failure.UNSUPPORTED_EVIDENCE_TYPE, verifier, gramine(
        dcap.pckCertificateDer(), gramineAttestation(said, dcap.tdxQuote()
            .reportData(reportData("SHA-256", said)).signed())));
  }
}
