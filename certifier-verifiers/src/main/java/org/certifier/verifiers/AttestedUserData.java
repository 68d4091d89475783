package org.certifier.verifiers;

import com.google.protobuf.ByteString;
import java.security.GeneralSecurityException;
import org.certifier.crypto.KeyMessages;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.proto.attestation_user_data;
import org.certifier.proto.key_message;
import org.certifier.protocol.MalformedMessageException;
import org.certifier.protocol.Messages;

/**
 * What every platform's attestation vouches for: a serialized {@code attestation_user_data}
 * naming the enclave key to be certified (reference-certifier.md §4.4 step 2). Parsing it is the
 * same for every platform; only how the platform binds the bytes differs.
 */
public final class AttestedUserData {
  private AttestedUserData() {}

  /**
   * Parses the attested bytes and checks that they name a usable public enclave key.
   *
   * @throws VerificationException {@link Failure#MALFORMED_EVIDENCE} if the bytes do not parse,
   *     name no key or name a key with private parts; {@link Failure#UNSUPPORTED_ALGORITHM} if
   *     the key is not one we can use
   */
  public static attestation_user_data parse(ByteString whatWasSaid)
      throws VerificationException {
    attestation_user_data userData;
    try {
      userData = Messages.parse(attestation_user_data.parser(), whatWasSaid,
          "attested user data");
    } catch (MalformedMessageException e) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE, e.getMessage(), e);
    }
    if (!userData.hasEnclaveKey()) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE,
          "attested user data names no enclave key");
    }
    key_message enclaveKey = userData.getEnclaveKey();
    try {
      // The key must be a usable public key; a private key would be a leak, not evidence.
      KeyMessages.toPublicKey(enclaveKey);
    } catch (GeneralSecurityException e) {
      throw new VerificationException(Failure.UNSUPPORTED_ALGORITHM,
          "attested enclave key is unusable: " + e.getMessage(), e);
    }
    if (enclaveKey.getRsaKey().hasPrivateExponent()
        || enclaveKey.getEccKey().hasPrivateMultiplier()) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE,
          "attested enclave key contains private key material");
    }
    return userData;
  }
}
