package org.certifier.policy;

import com.google.protobuf.ByteString;
import java.util.Objects;
import org.certifier.proto.entity_message;
import org.certifier.proto.environment;
import org.certifier.proto.key_message;
import org.certifier.proto.platform;

/**
 * Factories for the four kinds of {@code entity_message} (reference spec §1.3, §3.1). The
 * results are immutable protobuf values; arguments are programmer input, so misuse is an
 * {@link IllegalArgumentException}, not a verification failure.
 */
public final class Entities {
  /** {@code entity_type} of a key principal. */
  public static final String KEY = "key";
  /** {@code entity_type} of a program measurement (optionally with TPM registers). */
  public static final String MEASUREMENT = "measurement";
  /** {@code entity_type} of a platform description (policy template or observed). */
  public static final String PLATFORM = "platform";
  /** {@code entity_type} of an environment: a platform running a measurement. */
  public static final String ENVIRONMENT = "environment";

  private Entities() {}

  /**
   * A key entity. Private key material is refused because statements are signed, stored and
   * printed: the reference's {@code appoint_platform} leaked the private policy key into a
   * clause this way (§7.1 item 10).
   */
  public static entity_message key(key_message key) {
    Objects.requireNonNull(key, "key");
    if (hasPrivateMaterial(key)) {
      throw new IllegalArgumentException(
          "private key material must never enter a statement; use the public key");
    }
    return entity_message.newBuilder().setEntityType(KEY).setKey(key).build();
  }

  /** A measurement entity without registers (simulated enclave, SEV, SGX, ...). */
  public static entity_message measurement(byte[] measurement) {
    Objects.requireNonNull(measurement, "measurement");
    return entity_message.newBuilder()
        .setEntityType(MEASUREMENT)
        .setMeasurement(ByteString.copyFrom(measurement))
        .build();
  }

  /**
   * A measurement entity with TPM PCR registers, one byte per PCR index (§1.3). Registers take
   * part in equality (§3.2), so a policy for PCR 7 does not match a quote over PCR 8.
   */
  public static entity_message measurement(byte[] measurement, byte[] registers) {
    Objects.requireNonNull(measurement, "measurement");
    Objects.requireNonNull(registers, "registers");
    return entity_message.newBuilder()
        .setEntityType(MEASUREMENT)
        .setMeasurement(ByteString.copyFrom(measurement))
        .setRegisters(ByteString.copyFrom(registers))
        .build();
  }

  /** A platform entity (a policy template or a platform observed in evidence). */
  public static entity_message platform(platform platform) {
    Objects.requireNonNull(platform, "platform");
    return entity_message.newBuilder().setEntityType(PLATFORM).setPlatformEnt(platform).build();
  }

  /** An environment entity: a platform together with the measurement it runs. */
  public static entity_message environment(environment environment) {
    Objects.requireNonNull(environment, "environment");
    return entity_message.newBuilder()
        .setEntityType(ENVIRONMENT)
        .setEnvironmentEnt(environment)
        .build();
  }

  static boolean hasPrivateMaterial(key_message key) {
    return !key.getSecretKeyBits().isEmpty()
        || (key.hasRsaKey() && (!key.getRsaKey().getPrivateExponent().isEmpty()
            || !key.getRsaKey().getPrivateP().isEmpty()
            || !key.getRsaKey().getPrivateQ().isEmpty()
            || !key.getRsaKey().getPrivateDp().isEmpty()
            || !key.getRsaKey().getPrivateDq().isEmpty()
            || !key.getRsaKey().getPrivateIqmp().isEmpty()))
        || (key.hasEccKey() && !key.getEccKey().getPrivateMultiplier().isEmpty());
  }
}
