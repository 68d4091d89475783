package org.certifier.client;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.certifier.client.enclave.SimulatedEnclave;
import org.certifier.proto.key_message;
import org.certifier.proto.signed_claim_message;
import org.certifier.protocol.Messages;
import org.certifier.testing.TestVectors;

/** The simulated enclave of the reference capture's app3 (same attest key and measurement). */
final class ReferenceEnclave {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);

  private ReferenceEnclave() {}

  static SimulatedEnclave create() throws Exception {
    return SimulatedEnclave.of(
        Messages.parse(key_message.parser(),
            TestVectors.reference("provisioning/attest_key_file.bin"), "attest key"),
        TestVectors.reference("provisioning/example_app.measurement"),
        Messages.parse(signed_claim_message.parser(),
            TestVectors.reference("provisioning/platform_attest_endorsement.bin"), "endorsement"),
        CLOCK);
  }
}
