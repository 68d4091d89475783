package org.certifier.claims;

import com.google.protobuf.ByteString;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import org.certifier.crypto.KeyMessages;
import org.certifier.crypto.Signatures;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.policy.Clauses;
import org.certifier.policy.Equality;
import org.certifier.policy.Verb;
import org.certifier.proto.claim_message;
import org.certifier.proto.key_message;
import org.certifier.proto.signed_claim_message;
import org.certifier.proto.vse_clause;
import org.certifier.protocol.MalformedMessageException;
import org.certifier.protocol.Messages;
import org.certifier.protocol.TimeStrings;

/**
 * Makes and checks {@code signed_claim_message}s: "K says S", signed by K, valid for a period.
 * The signature covers the carried {@code serialized_claim_message} bytes exactly (§3.8), so
 * claims made by the C++ utilities verify here and ours verify there.
 */
public final class SignedClaims {
  public static final String FORMAT_VSE_CLAUSE = "vse-clause";

  private SignedClaims() {}

  /**
   * Signs {@code clause}, which must be {@code signer says ...} with {@code signer} the public
   * part of {@code signerKey}, as {@code make_signed_claim_from_vse_clause} does (§5.1).
   */
  public static signed_claim_message sign(vse_clause clause, key_message signerKey,
      Instant notBefore, Instant notAfter, String descriptor) throws GeneralSecurityException {
    PrivateKey privateKey = KeyMessages.toPrivateKey(signerKey);
    PublicKey publicKey = KeyMessages.toPublicKey(signerKey);
    String label = Signatures.defaultLabel(publicKey);
    byte[] claim = claim_message.newBuilder()
        .setClaimFormat(FORMAT_VSE_CLAUSE)
        .setClaimDescriptor(descriptor)
        .setNotBefore(TimeStrings.format(notBefore))
        .setNotAfter(TimeStrings.format(notAfter))
        .setSerializedClaim(clause.toByteString())
        .build().toByteArray();
    return signed_claim_message.newBuilder()
        .setSerializedClaimMessage(ByteString.copyFrom(claim))
        .setSigningKey(KeyMessages.referencePublicKey(signerKey))
        .setSigningAlgorithm(label)
        .setSignature(ByteString.copyFrom(Signatures.sign(label, privateKey, claim)))
        .build();
  }

  /**
   * Checks a claim against the key embedded in it (an endorsement inside evidence) and returns
   * its clause. The clause must be {@code K says ...} where K is the signing key, so nobody can
   * sign words into someone else's mouth.
   */
  public static vse_clause verify(signed_claim_message claim, Instant now)
      throws VerificationException {
    if (!claim.hasSigningKey()) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE, "signed claim has no signer");
    }
    return verify(claim, claim.getSigningKey(), now);
  }

  /** As {@link #verify(signed_claim_message, Instant)} but the signer must be {@code signer}. */
  public static vse_clause verify(signed_claim_message claim, key_message signer, Instant now)
      throws VerificationException {
    return check(claim, signer, now).clause();
  }

  /** A verified claim's statement and the period in which it holds. */
  public record Checked(vse_clause clause, Instant notBefore, Instant notAfter) {
    public boolean validAt(Instant t) {
      return !t.isBefore(notBefore) && !t.isAfter(notAfter);
    }
  }

  /**
   * Verifies signer, signature, format and validity at {@code now}, returning the statement with
   * its validity period.
   */
  public static Checked check(signed_claim_message claim, key_message signer, Instant now)
      throws VerificationException {
    if (!claim.hasSigningKey() || !Equality.sameKey(claim.getSigningKey(), signer)) {
      throw new VerificationException(Failure.UNTRUSTED_SIGNER,
          "signed claim is not signed by the expected key");
    }
    if (!claim.hasSignature() || !claim.hasSerializedClaimMessage()
        || !claim.hasSigningAlgorithm()) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE,
          "signed claim lacks its claim, algorithm or signature");
    }
    byte[] signed = claim.getSerializedClaimMessage().toByteArray();
    try {
      PublicKey key = KeyMessages.toPublicKey(signer);
      if (!Signatures.verify(claim.getSigningAlgorithm(), key, signed,
          claim.getSignature().toByteArray())) {
        throw new VerificationException(Failure.BAD_SIGNATURE,
            "signature of the claim does not verify");
      }
    } catch (GeneralSecurityException e) {
      throw new VerificationException(Failure.UNSUPPORTED_ALGORITHM,
          "cannot check the claim's signature: " + e.getMessage(), e);
    }
    vse_clause clause;
    Instant notBefore;
    Instant notAfter;
    try {
      claim_message inner = Messages.parse(claim_message.parser(), signed, "claim");
      if (!FORMAT_VSE_CLAUSE.equals(inner.getClaimFormat())) {
        throw new VerificationException(Failure.UNSUPPORTED_EVIDENCE_TYPE,
            "claim format \"" + inner.getClaimFormat() + "\" is not " + FORMAT_VSE_CLAUSE);
      }
      checkValidity(inner.getNotBefore(), inner.getNotAfter(), now, "claim");
      notBefore = TimeStrings.parse(inner.getNotBefore());
      notAfter = TimeStrings.parse(inner.getNotAfter());
      clause = Messages.parse(vse_clause.parser(), inner.getSerializedClaim(), "claim clause");
    } catch (MalformedMessageException e) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE, e.getMessage(), e);
    }
    Clauses.validate(clause);
    if (!Verb.SAYS.label().equals(clause.getVerb())
        || !Equality.sameKey(clause.getSubject().getKey(), signer)) {
      throw new VerificationException(Failure.UNTRUSTED_SIGNER,
          "a signed claim must be \"signer says ...\" by its own signer");
    }
    return new Checked(clause, notBefore, notAfter);
  }

  /** Checks a not_before / not_after pair of time strings against {@code now}. */
  public static void checkValidity(String notBefore, String notAfter, Instant now, String what)
      throws VerificationException {
    try {
      if (now.isBefore(TimeStrings.parse(notBefore))) {
        throw new VerificationException(Failure.NOT_YET_VALID, what + " is not valid before "
            + notBefore.strip());
      }
      if (now.isAfter(TimeStrings.parse(notAfter))) {
        throw new VerificationException(Failure.EXPIRED, what + " expired at "
            + notAfter.strip());
      }
    } catch (MalformedMessageException e) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE, what + ": " + e.getMessage(),
          e);
    }
  }
}
