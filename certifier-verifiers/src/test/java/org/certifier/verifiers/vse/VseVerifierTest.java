package org.certifier.verifiers.vse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.evidence.VerifiedEvidence;
import org.certifier.policy.Statements;
import org.certifier.proto.evidence_package;
import org.certifier.proto.trust_request_message;
import org.certifier.protocol.MalformedMessageException;
import org.certifier.protocol.Messages;
import org.certifier.testing.TestVectors;
import org.junit.jupiter.api.Test;

/** The reference capture's evidence, and what mutated or hostile evidence does to the verifier. */
class VseVerifierTest {
  private static final Instant PINNED = Instant.parse("2026-11-22T12:00:00Z");
  private final VseVerifier verifier = new VseVerifier();

  private static evidence_package referencePackage() throws MalformedMessageException {
    return Messages.parse(evidence_package.parser(),
        TestVectors.reference("wire/evidence_package.pb"), "package");
  }

  @Test
  void referenceEvidenceEstablishesTheEndorsementAndTheAttestation() throws Exception {
    VerifiedEvidence verified = verifier.verify(referencePackage(), PINNED);
    assertEquals("auth-key", verified.enclaveKey().getKeyName());
    List<String> statements = verified.statements().stream().map(Statements::describe).toList();
    assertEquals(2, statements.size());
    assertEquals(true, statements.get(0).matches(
        "Key\\[rsa, platformKey, [0-9a-f]+\\] says Key\\[rsa, attestKey, [0-9a-f]+\\]"
            + " is-trusted-for-attestation"), statements.get(0));
    assertEquals(true, statements.get(1).matches(
        "Key\\[rsa, attestKey, [0-9a-f]+\\] says Key\\[rsa, auth-key, [0-9a-f]+\\] speaks-for"
            + " Measurement\\[9f2be451d6089d7ae4c72a79b042d993f49de901ddca775c26afd15746fb8154\\]"),
        statements.get(1));
  }

  @Test
  void tamperedReportSignature() throws Exception {
    evidence_package tampered = Messages.parse(trust_request_message.parser(),
        TestVectors.reference("wire/trust_request.tampered.pb"), "request").getSupport();
    VerificationException e = assertThrows(VerificationException.class,
        () -> verifier.verify(tampered, PINNED));
    assertEquals(Failure.BAD_SIGNATURE, e.failure());
  }

  @Test
  void outsideTheValidityWindows() throws Exception {
    evidence_package pkg = referencePackage();
    assertEquals(Failure.NOT_YET_VALID, assertThrows(VerificationException.class,
        () -> verifier.verify(pkg, Instant.parse("2026-11-21T00:00:00Z"))).failure());
    assertEquals(Failure.EXPIRED, assertThrows(VerificationException.class,
        () -> verifier.verify(pkg, Instant.parse("2028-01-01T00:00:00Z"))).failure());
  }

  @Test
  void emptyAndOverlongPackagesAreMalformed() throws Exception {
    assertEquals(Failure.MALFORMED_EVIDENCE, assertThrows(VerificationException.class,
        () -> verifier.verify(evidence_package.getDefaultInstance(), PINNED)).failure());
    evidence_package.Builder many = evidence_package.newBuilder();
    for (int i = 0; i < 100; i++) {
      many.addFactAssertion(referencePackage().getFactAssertion(0));
    }
    assertEquals(Failure.MALFORMED_EVIDENCE, assertThrows(VerificationException.class,
        () -> verifier.verify(many.build(), PINNED)).failure());
  }

  /**
   * Fuzzing with the real package as corpus: any byte flipped, any truncation, any inserted
   * garbage either fails to parse as a message or is refused by the verifier with a failure code
   * other than internal-error; nothing else may escape.
   */
  @Property(tries = 1500)
  void mutatedEvidenceIsRefusedCleanly(@ForAll @IntRange(min = 0, max = 2596) int position,
      @ForAll @IntRange(min = 1, max = 255) int xor, @ForAll @IntRange(min = 0, max = 2) int kind)
      throws Exception {
    byte[] bytes = TestVectors.reference("wire/evidence_package.pb");
    byte[] mutated = switch (kind) {
      case 0 -> flip(bytes, position, xor);
      case 1 -> java.util.Arrays.copyOf(bytes, position);
      default -> insert(bytes, position, (byte) xor);
    };
    evidence_package pkg;
    try {
      pkg = Messages.parse(evidence_package.parser(), mutated, "package");
    } catch (MalformedMessageException e) {
      return;
    }
    try {
      verifier.verify(pkg, PINNED);
    } catch (VerificationException e) {
      assertNotEquals(Failure.INTERNAL_ERROR, e.failure());
    }
  }

  private static byte[] flip(byte[] bytes, int position, int xor) {
    byte[] copy = bytes.clone();
    copy[position % copy.length] ^= (byte) xor;
    return copy;
  }

  private static byte[] insert(byte[] bytes, int position, byte b) {
    int at = position % (bytes.length + 1);
    byte[] out = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, out, 0, at);
    out[at] = b;
    System.arraycopy(bytes, at, out, at + 1, bytes.length - at);
    return out;
  }
}
