package org.certifier.fuzz;

import java.time.Instant;
import java.util.List;
import org.certifier.claims.SignedPolicy;
import org.certifier.crypto.Certificates;
import org.certifier.crypto.CryptoException;
import org.certifier.crypto.KeyMessages;
import org.certifier.evidence.VerificationException;
import org.certifier.proto.key_message;

/** The reference's policy file (a sequence of signed claims) read under the domain's key. */
public final class SignedPolicyTarget {
  static final List<String> SEEDS = List.of("certifier-reference/provisioning/policy.bin");
  private static final Instant PINNED = Instant.parse("2026-11-22T12:00:00Z");
  private static key_message policyKey;

  private SignedPolicyTarget() {}

  public static void fuzzerInitialize() throws CryptoException {
    policyKey = KeyMessages.fromCertificate(Certificates.parseDer(
        Vectors.bytes("certifier-reference/provisioning/policy_cert_file.datica-test")));
  }

  public static void fuzzerTestOneInput(byte[] data) {
    try {
      SignedPolicy.parse(data, policyKey, PINNED);
    } catch (VerificationException expected) {
      // Malformed, unsigned or expired policies are refused with a failure code.
    }
  }
}
