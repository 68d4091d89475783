package org.certifier.client.enclave;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Objects;
import java.util.OptionalInt;
import org.certifier.crypto.Randomness;

/**
 * One attestation report through Linux configfs-tsm (Linux 6.7 and later;
 * Documentation/ABI/testing/configfs-tsm): make a report entry under the report directory,
 * write {@code privlevel} (optional) and {@code inblob}, read {@code outblob} and
 * {@code auxblob}, check {@code generation}, remove the entry. Shared by the TEEs the kernel
 * serves this way (SEV-SNP, TDX, ...), told apart by the entry's {@code provider}.
 *
 * <p>Why {@code generation}: configfs entries are visible to every process that may write
 * there, and each write of an attribute increments it. If it is not exactly the number of our
 * own writes when we have read the report, someone else wrote into our entry, and the report
 * may bind their data instead of ours.
 */
final class ConfigfsTsm {
  /** Where the kernel offers report entries. */
  static final Path DEFAULT_REPORT_ROOT = Path.of("/sys/kernel/config/tsm/report");
  /** More than any report or certificate table (the kernel caps blobs far below this). */
  private static final int MAX_BLOB = 1 << 20;
  private static final int MAX_TEXT = 64;
  private static final int PRIVLEVEL_MAX = 3;

  /** What one report entry returned. */
  record Blobs(byte[] outblob, byte[] auxblob) {}

  private final Path reportRoot;
  private final String provider;
  private final OptionalInt privlevel;

  /**
   * @param reportRoot the report directory, {@link #DEFAULT_REPORT_ROOT} on a real guest
   * @param provider the provider the entry must name, e.g. {@code sev_guest}
   * @param privlevel the privilege level to ask for (SEV-SNP: the VMPL), or empty to leave the
   *     kernel's default
   */
  ConfigfsTsm(Path reportRoot, String provider, OptionalInt privlevel) {
    this.reportRoot = Objects.requireNonNull(reportRoot, "reportRoot");
    this.provider = Objects.requireNonNull(provider, "provider");
    this.privlevel = Objects.requireNonNull(privlevel, "privlevel");
    if (privlevel.isPresent()
        && (privlevel.getAsInt() < 0 || privlevel.getAsInt() > PRIVLEVEL_MAX)) {
      throw new IllegalArgumentException("privlevel is 0 to 3, not " + privlevel.getAsInt());
    }
  }

  Path reportRoot() {
    return reportRoot;
  }

  /**
   * Asks the TSM for a report binding {@code inblob}.
   *
   * @throws EnclaveException if configfs-tsm is missing, belongs to another TEE, fails, or
   *     another writer raced us on the entry
   */
  Blobs report(byte[] inblob) throws EnclaveException {
    byte[] name = new byte[12];
    Randomness.secureRandom().nextBytes(name);
    Path entry = reportRoot.resolve("certifier-" + HexFormat.of().formatHex(name));
    try {
      Files.createDirectory(entry);
    } catch (IOException e) {
      throw new EnclaveException("cannot create a configfs-tsm report entry in " + reportRoot
          + " (" + e + "); this needs a confidential VM with Linux 6.7 or later and configfs"
          + " mounted on /sys/kernel/config", e);
    }
    Blobs blobs;
    try {
      blobs = reportIn(entry, inblob);
    } catch (EnclaveException e) {
      try {
        remove(entry);
      } catch (EnclaveException notRemoved) {
        e.addSuppressed(notRemoved);
      }
      throw e;
    }
    remove(entry);
    return blobs;
  }

  private static void remove(Path entry) throws EnclaveException {
    try {
      Files.delete(entry);
    } catch (IOException e) {
      throw new EnclaveException("cannot remove the configfs-tsm report entry " + entry + ": "
          + e, e);
    }
  }

  private Blobs reportIn(Path entry, byte[] inblob) throws EnclaveException {
    String actualProvider = text(entry, "provider");
    if (!provider.equals(actualProvider)) {
      throw new EnclaveException("configfs-tsm reports come from \"" + actualProvider
          + "\", not " + provider + ": this is not the TEE this enclave was made for");
    }
    long writes = 0;
    if (privlevel.isPresent()) {
      write(entry, "privlevel", Integer.toString(privlevel.getAsInt())
          .getBytes(StandardCharsets.US_ASCII));
      writes++;
    }
    write(entry, "inblob", inblob);
    writes++;
    byte[] outblob = read(entry, "outblob");
    byte[] auxblob = readOptional(entry, "auxblob");
    String generation = text(entry, "generation");
    if (!generation.equals(Long.toString(writes))) {
      throw new EnclaveException("configfs-tsm entry " + entry.getFileName() + " was written"
          + " by another process while we used it (generation " + generation + ", expected "
          + writes + "): the report may not carry our data, so it is not used");
    }
    return new Blobs(outblob, auxblob);
  }

  private static void write(Path entry, String attribute, byte[] value)
      throws EnclaveException {
    // One write without O_CREAT: an attribute that is not there is an error, never a new file.
    try (OutputStream out = Files.newOutputStream(entry.resolve(attribute),
        StandardOpenOption.WRITE)) {
      out.write(value);
    } catch (IOException e) {
      throw new EnclaveException("configfs-tsm refused " + attribute + ": " + e, e);
    }
  }

  private static byte[] read(Path entry, String attribute) throws EnclaveException {
    try {
      return readBounded(entry.resolve(attribute), MAX_BLOB);
    } catch (IOException e) {
      throw new EnclaveException("configfs-tsm could not produce " + attribute + ": " + e, e);
    }
  }

  /** An attribute that older kernels or other providers do not have: empty then. */
  private static byte[] readOptional(Path entry, String attribute) throws EnclaveException {
    try {
      return readBounded(entry.resolve(attribute), MAX_BLOB);
    } catch (NoSuchFileException e) {
      return new byte[0];
    } catch (IOException e) {
      throw new EnclaveException("configfs-tsm could not produce " + attribute + ": " + e, e);
    }
  }

  private static String text(Path entry, String attribute) throws EnclaveException {
    try {
      return new String(readBounded(entry.resolve(attribute), MAX_TEXT),
          StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      throw new EnclaveException("cannot read configfs-tsm " + attribute + ": " + e, e);
    }
  }

  /** At most {@code max} bytes of a (pseudo-)file; more is an error, not a truncation. */
  static byte[] readBounded(Path file, int max) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(max + 1);
      if (bytes.length > max) {
        throw new IOException(file.getFileName() + " is larger than " + max + " bytes");
      }
      return bytes;
    }
  }
}
