package org.certifier.client.enclave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.certifier.crypto.KeyAlgorithm;
import org.certifier.crypto.KeyMessages;
import org.certifier.crypto.Randomness;
import org.certifier.proto.key_message;
import org.certifier.proto.signed_claim_message;
import org.junit.jupiter.api.Test;

class SimulatedEnclaveTest {
  private static final key_message ATTEST_KEY;

  static {
    try {
      ATTEST_KEY = KeyMessages.fromKeyPair(
          KeyMessages.generate(KeyAlgorithm.RSA_2048, Randomness.secureRandom()), "x");
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static SimulatedEnclave enclave(byte[] measurement) throws EnclaveException {
    return SimulatedEnclave.of(ATTEST_KEY, measurement, signed_claim_message.getDefaultInstance(),
        Clock.systemUTC());
  }

  @Property(tries = 50)
  void sealThenUnsealIsIdentity(@ForAll @Size(max = 2000) byte[] data) throws Exception {
    SimulatedEnclave e = enclave(new byte[] {1, 2, 3});
    assertArrayEquals(data, e.unseal(e.seal(data)));
  }

  @Test
  void anotherMeasurementCannotUnseal() throws Exception {
    byte[] sealed = enclave(new byte[32]).seal(new byte[] {7});
    byte[] other = new byte[32];
    other[31] = 1;
    assertThrows(EnclaveException.class, () -> enclave(other).unseal(sealed));
  }

  @Test
  void alteredSealedDataIsRejected() throws Exception {
    SimulatedEnclave e = enclave(new byte[32]);
    byte[] sealed = e.seal(new byte[] {7, 8, 9});
    sealed[sealed.length / 2] ^= 1;
    assertThrows(EnclaveException.class, () -> e.unseal(sealed));
    assertThrows(EnclaveException.class, () -> e.unseal(new byte[3]));
  }

  @Test
  void theAttestKeyIsRenamedAsTheReferenceDoes() throws Exception {
    assertEquals("attestKey", enclave(new byte[32]).attestPublicKey().getKeyName());
  }

  @Test
  void emptyMeasurementIsRefused() {
    assertThrows(EnclaveException.class, () -> enclave(new byte[0]));
  }
}
