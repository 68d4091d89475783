package org.certifier.cli.inspect;

import java.time.Instant;
import org.certifier.cli.output.Facts;
import org.certifier.claims.SignedClaims;
import org.certifier.crypto.CryptoException;
import org.certifier.crypto.KeyMessages;
import org.certifier.crypto.Signatures;
import org.certifier.policy.Equality;
import org.certifier.policy.Statements;
import org.certifier.policy.Verb;
import org.certifier.proto.claim_message;
import org.certifier.proto.key_message;
import org.certifier.proto.signed_claim_message;
import org.certifier.proto.vse_clause;
import org.certifier.protocol.MalformedMessageException;
import org.certifier.protocol.Messages;
import org.certifier.protocol.TimeStrings;

/**
 * A signed claim for people, as the reference's print_signed_claim (§5.1) but with verdicts:
 * the statement, its validity, the signer, and whether the signature verifies against the
 * embedded key (and, for policies, against the policy key). Times are checked separately from
 * signatures, so an expired claim still shows that its signature is good.
 */
public final class ClaimFacts {
  private ClaimFacts() {}

  /** The bytes are a signed claim: they carry a claim_message and everything to check it. */
  static signed_claim_message parse(byte[] bytes) throws NotThisKind {
    signed_claim_message c = Strict.parse(signed_claim_message.parser(), bytes,
        "signed_claim_message");
    Strict.require(c.hasSerializedClaimMessage() && c.hasSigningKey() && c.hasSignature()
        && c.hasSigningAlgorithm(), "a signed claim needs its claim, key, algorithm and"
        + " signature");
    Strict.require(KeyFacts.isKnownType(c.getSigningKey().getKeyType()),
        "the signer is not a key");
    claim_message claim = Strict.parse(claim_message.parser(),
        c.getSerializedClaimMessage().toByteArray(), "claim_message");
    Strict.require(!claim.getClaimFormat().isEmpty(), "the claim has no format");
    return c;
  }

  /**
   * The facts of {@code claim}; with {@code policyKey} non-null also whether that key signed
   * it, as the service will check.
   */
  public static Facts of(signed_claim_message claim, key_message policyKey, Instant now) {
    Facts f = new Facts();
    claim_message inner;
    try {
      inner = Messages.parse(claim_message.parser(), claim.getSerializedClaimMessage(),
          "claim");
    } catch (MalformedMessageException e) {
      return f.put("claim", "unreadable (" + e.getMessage() + ")");
    }
    f.put("claim-format", inner.getClaimFormat());
    f.put("descriptor", inner.getClaimDescriptor());
    f.put("not-before", inner.getNotBefore().strip());
    f.put("not-after", inner.getNotAfter().strip());
    f.put("validity-now", validity(inner.getNotBefore(), inner.getNotAfter(), now));
    vse_clause statement = null;
    if (SignedClaims.FORMAT_VSE_CLAUSE.equals(inner.getClaimFormat())) {
      try {
        statement = Messages.parse(vse_clause.parser(), inner.getSerializedClaim(), "clause");
        f.put("statement", Statements.describe(statement));
      } catch (MalformedMessageException e) {
        f.put("statement", "unreadable (" + e.getMessage() + ")");
      }
    } else {
      f.put("statement", "not a vse-clause (" + inner.getSerializedClaim().size() + " bytes)");
    }
    key_message signer = claim.getSigningKey();
    f.put("signer", Statements.describe(signer));
    f.put("algorithm", claim.getSigningAlgorithm());
    f.put("signature", verdict(claim, signer));
    f.put("speaker-is-signer", statement != null && Verb.SAYS.label().equals(statement.getVerb())
        && Equality.sameKey(statement.getSubject().getKey(), signer));
    if (policyKey != null) {
      f.put("signed-by-policy-key", signedBy(claim, policyKey));
    }
    return f;
  }

  /** True iff {@code key} is the claim's signer and the signature verifies under it. */
  public static boolean signedBy(signed_claim_message claim, key_message key) {
    try {
      return Equality.sameKey(claim.getSigningKey(), key) && verifies(claim, key);
    } catch (CryptoException e) {
      return false;
    }
  }

  private static String verdict(signed_claim_message claim, key_message key) {
    try {
      return verifies(claim, key) ? "verified" : "does NOT verify";
    } catch (CryptoException e) {
      return "cannot be checked (" + e.getMessage() + ")";
    }
  }

  private static boolean verifies(signed_claim_message claim, key_message key)
      throws CryptoException {
    return Signatures.verify(claim.getSigningAlgorithm(), KeyMessages.toPublicKey(key),
        claim.getSerializedClaimMessage().toByteArray(), claim.getSignature().toByteArray());
  }

  /** valid, not yet valid, expired, or why the times cannot be read (§1.6). */
  static String validity(String notBefore, String notAfter, Instant now) {
    try {
      if (now.isBefore(TimeStrings.parse(notBefore))) {
        return "not yet valid";
      }
      return now.isAfter(TimeStrings.parse(notAfter)) ? "expired" : "valid";
    } catch (MalformedMessageException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }
}
