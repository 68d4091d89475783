package org.certifier.cli.clause;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.certifier.cli.InputException;
import org.certifier.cli.domain.DomainFiles;
import org.certifier.crypto.KeyMessages;
import org.certifier.crypto.CryptoException;
import org.certifier.policy.Entities;
import org.certifier.proto.entity_message;
import org.certifier.proto.environment;
import org.certifier.proto.key_message;
import org.certifier.proto.platform;
import org.certifier.proto.vse_clause;
import org.certifier.protocol.MalformedMessageException;

/**
 * The entities of statements, made from the files the reference's clause utilities take
 * (§5.1): key files, certificates, raw measurement files, platform and environment files.
 */
public final class EntityFiles {
  /** A register list holds one byte per PCR index (§1.3), so indices are 0..255. */
  public static final int MAX_REGISTER = 255;

  private EntityFiles() {}

  /**
   * The PUBLIC key of a key file. The reference's {@code appoint_platform} embedded the private
   * policy key here (§5.1, §7.1 item 10); we never do, whatever the file holds.
   */
  public static entity_message key(Path keyFile)
      throws IOException, MalformedMessageException, CryptoException {
    key_message key = DomainFiles.readMessage(key_message.parser(), keyFile, "key file");
    return Entities.key(KeyMessages.referencePublicKey(key));
  }

  /** The subject key of a certificate (DER or PEM), named by its CN. */
  public static entity_message certificate(Path certFile) throws IOException, CryptoException {
    return Entities.key(DomainFiles.certificateKey(certFile));
  }

  /**
   * A measurement file holds the raw measurement bytes (measurement_utility's output, §5.1);
   * {@code registers} are TPM PCR indices or null.
   */
  public static entity_message measurement(Path file, byte[] registers)
      throws IOException, InputException {
    byte[] m = Files.readAllBytes(file);
    if (m.length == 0) {
      throw new InputException("measurement file " + file + " is empty");
    }
    return registers == null ? Entities.measurement(m) : Entities.measurement(m, registers);
  }

  /** A platform file, as {@code certifier platform make} writes it. */
  public static entity_message platform(Path file)
      throws IOException, MalformedMessageException {
    return Entities.platform(DomainFiles.readMessage(platform.parser(), file, "platform file"));
  }

  /** An environment file, as {@code certifier environment make} writes it. */
  public static entity_message environment(Path file)
      throws IOException, MalformedMessageException {
    return Entities.environment(
        DomainFiles.readMessage(environment.parser(), file, "environment file"));
  }

  /** A clause file, as {@code certifier clause} writes it. */
  public static vse_clause clause(Path file) throws IOException, MalformedMessageException {
    return DomainFiles.readMessage(vse_clause.parser(), file, "clause file");
  }

  /**
   * The reference's {@code --config}: PCR numbers separated by commas and/or spaces, e.g.
   * {@code "7,8"}, stored one byte per register.
   */
  public static byte[] registers(String config) throws InputException {
    String[] parts = config.trim().split("[,\\s]+");
    if (parts.length == 0 || parts[0].isEmpty()) {
      throw new InputException("--config: no register numbers in \"" + config + "\"");
    }
    byte[] registers = new byte[parts.length];
    for (int i = 0; i < parts.length; i++) {
      int r;
      try {
        r = Integer.parseInt(parts[i]);
      } catch (NumberFormatException e) {
        throw new InputException("--config: \"" + parts[i] + "\" is not a register number");
      }
      if (r < 0 || r > MAX_REGISTER) {
        throw new InputException("--config: register " + r + " is out of range 0.."
            + MAX_REGISTER);
      }
      registers[i] = (byte) r;
    }
    return registers;
  }
}
