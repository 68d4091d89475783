package org.certifier.service.certify;

import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.certifier.proto.trust_request_message;
import org.certifier.protocol.MalformedMessageException;
import org.certifier.protocol.Messages;
import org.certifier.service.ReferenceDomain;
import org.certifier.testing.TestVectors;

/**
 * The whole decision path fed mutations of the captured request (corpus: the reference's own
 * request): every outcome is a decision, and none is an internal error (which would mean a bug
 * was reached by hostile input).
 */
class CertifierFuzzTest {
  private static final Certifier CERTIFIER;

  static {
    try {
      CERTIFIER = ReferenceDomain.certifier(ReferenceDomain.keys());
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @Property(tries = 1000)
  void mutatedRequestsGetADecisionButNeverAnInternalError(
      @ForAll @IntRange(min = 0, max = 2679) int position,
      @ForAll @IntRange(min = 1, max = 255) int xor,
      @ForAll @IntRange(min = 0, max = 1) int kind) {
    byte[] bytes = TestVectors.reference("wire/trust_request.pb").clone();
    if (kind == 0) {
      bytes[position] ^= (byte) xor;
    } else {
      bytes = java.util.Arrays.copyOf(bytes, position);
    }
    trust_request_message request;
    try {
      request = Messages.parse(trust_request_message.parser(), bytes, "request");
    } catch (MalformedMessageException e) {
      return;
    }
    Decision decision = CERTIFIER.certify(request, Optional.empty());
    if (decision instanceof Decision.Rejected rejected) {
      assertNotEquals(org.certifier.evidence.Failure.INTERNAL_ERROR, rejected.failure(),
          rejected.reason());
    }
  }
}
