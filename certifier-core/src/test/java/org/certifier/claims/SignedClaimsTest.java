package org.certifier.claims;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.proto.claim_message;
import org.certifier.proto.key_message;
import org.certifier.proto.signed_claim_message;
import org.certifier.proto.vse_clause;
import org.certifier.protocol.Messages;
import org.certifier.protocol.TimeStrings;
import org.certifier.testing.TestVectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SignedClaimsTest {

  /**
   * RSA PKCS#1 v1.5 is deterministic, so signing the reference's clause with the reference's key
   * and validity reproduces the C++ utility's signed claim byte for byte.
   */
  @ParameterizedTest
  @CsvSource({"vse_policy1.bin, signed_claim_1.bin, policy_key_file.datica-test",
      "vse_policy2.bin, signed_claim_2.bin, policy_key_file.datica-test",
      "vse_policy3.bin, platform_attest_endorsement.bin, platform_key_file.bin"})
  void signingTheReferenceClauseReproducesTheReferenceClaim(String clauseFile, String claimFile,
      String keyFile) throws Exception {
    vse_clause clause = Messages.parse(vse_clause.parser(),
        TestVectors.reference("provisioning/" + clauseFile), clauseFile);
    key_message key = Messages.parse(key_message.parser(),
        TestVectors.reference("provisioning/" + keyFile), keyFile);
    byte[] reference = TestVectors.reference("provisioning/" + claimFile);
    claim_message inner = Messages.parse(claim_message.parser(),
        Messages.parse(signed_claim_message.parser(), reference, claimFile)
            .getSerializedClaimMessage(), "claim");

    signed_claim_message ours = SignedClaims.sign(clause, key,
        TimeStrings.parse(inner.getNotBefore()), TimeStrings.parse(inner.getNotAfter()),
        inner.getClaimDescriptor());

    assertArrayEquals(reference, ours.toByteArray());
  }

  @ParameterizedTest
  @CsvSource({"signed_claim_1.bin, 2026-11-22T05:13:42Z, NOT_YET_VALID",
      "signed_claim_1.bin, 2027-12-01T05:13:44Z, EXPIRED"})
  void validityIsChecked(String claimFile, String at, Failure expected) throws Exception {
    signed_claim_message claim = Messages.parse(signed_claim_message.parser(),
        TestVectors.reference("provisioning/" + claimFile), claimFile);
    VerificationException e = assertThrows(VerificationException.class,
        () -> SignedClaims.verify(claim, Instant.parse(at)));
    assertEquals(expected, e.failure());
  }
}
