package org.certifier.fuzz;

import java.time.Instant;
import java.util.List;
import org.certifier.claims.VersionedPolicy;
import org.certifier.crypto.Certificates;
import org.certifier.crypto.CryptoException;
import org.certifier.crypto.KeyMessages;
import org.certifier.evidence.VerificationException;
import org.certifier.proto.key_message;

/**
 * A policy update as the service loads it from its file or the store: a versioned envelope
 * (docs/policy-file.md) or, without its magic, the reference's policy file.
 */
public final class VersionedPolicyTarget {
  static final List<String> SEEDS = List.of("certifier-reference/provisioning/policy.bin");
  private static final Instant PINNED = Instant.parse("2026-11-22T12:00:00Z");
  private static key_message policyKey;

  private VersionedPolicyTarget() {}

  public static void fuzzerInitialize() throws CryptoException {
    policyKey = KeyMessages.fromCertificate(Certificates.parseDer(
        Vectors.bytes("certifier-reference/provisioning/policy_cert_file.datica-test")));
  }

  public static void fuzzerTestOneInput(byte[] data) {
    try {
      VersionedPolicy.load(data, policyKey, PINNED);
      VersionedPolicy.read(data);
    } catch (VerificationException expected) {
      // Malformed, unsigned, wrongly signed or expired policies are refused with a failure code.
    }
  }
}
