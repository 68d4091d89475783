package org.certifier.client.enclave;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.cert.CertificateEncodingException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.certifier.crypto.Certificates;
import org.certifier.crypto.CryptoException;

/**
 * The certificate table a host attaches to an extended SEV-SNP report, which Linux hands on as
 * configfs-tsm's {@code auxblob} (AMD GHCB spec 56421, "SNP Extended Guest Request";
 * reference-certifier.md §4.3): entries of a 16-byte GUID and little-endian 32-bit offset and
 * length, ended by an entry with an all-zero GUID, then the certificates, each at its offset
 * from the start of the table. The host is not trusted: every offset and length is checked
 * here, and what the certificates are worth is the verifier's question.
 */
final class SevCertificateTable {
  static final String VCEK_GUID = "63da758d-e664-4564-adc5-f4b93be8accd";
  static final String ASK_GUID = "4ab7b379-bbac-4fe4-a02f-05aef327c782";
  static final String ARK_GUID = "c0b406a4-a803-4952-9743-3fb6014cd0ae";
  private static final int ENTRY_SIZE = 24;
  private static final int GUID_SIZE = 16;
  /** AMD defines a handful of GUIDs; a table of more entries is not a table. */
  private static final int MAX_ENTRIES = 64;

  private SevCertificateTable() {}

  /**
   * The ARK, ASK and VCEK of a table, as DER (the reference accepts DER or PEM in the table).
   *
   * @throws EnclaveException if the table is malformed or lacks one of the three
   */
  static byte[][] arkAskVcek(byte[] table) throws EnclaveException {
    Map<String, byte[]> certificates = parse(table);
    byte[][] chain = new byte[3][];
    String[] guids = {ARK_GUID, ASK_GUID, VCEK_GUID};
    String[] names = {"ARK", "ASK", "VCEK"};
    for (int i = 0; i < 3; i++) {
      byte[] cert = certificates.get(guids[i]);
      if (cert == null) {
        throw new EnclaveException("the host's SEV-SNP certificate table has no " + names[i]
            + " (GUID " + guids[i] + "); give the certificates to SevSnpEnclave.Builder"
            + ".certificates instead");
      }
      try {
        chain[i] = Certificates.parseDerOrPem(cert).getEncoded();
      } catch (CryptoException | CertificateEncodingException e) {
        throw new EnclaveException("the " + names[i] + " in the host's SEV-SNP certificate"
            + " table is not a certificate", e);
      }
    }
    return chain;
  }

  /** Every entry's bytes by GUID (lower-case, with dashes). */
  static Map<String, byte[]> parse(byte[] table) throws EnclaveException {
    ByteBuffer in = ByteBuffer.wrap(table).order(ByteOrder.LITTLE_ENDIAN);
    Map<String, byte[]> entries = new LinkedHashMap<>();
    for (int i = 0; ; i++) {
      int at = i * ENTRY_SIZE;
      if (i > MAX_ENTRIES || at + ENTRY_SIZE > table.length) {
        throw malformed("it has no terminating entry within " + Math.min(table.length,
            (MAX_ENTRIES + 1) * ENTRY_SIZE) + " bytes");
      }
      byte[] guid = Arrays.copyOfRange(table, at, at + GUID_SIZE);
      if (Arrays.equals(guid, new byte[GUID_SIZE])) {
        return entries;
      }
      long offset = Integer.toUnsignedLong(in.getInt(at + GUID_SIZE));
      long length = Integer.toUnsignedLong(in.getInt(at + GUID_SIZE + 4));
      if (length == 0 || offset + length > table.length) {
        throw malformed("entry " + i + " claims bytes " + offset + " to " + (offset + length)
            + " of a " + table.length + "-byte table");
      }
      String name = guid(guid);
      if (entries.put(name, Arrays.copyOfRange(table, (int) offset, (int) (offset + length)))
          != null) {
        throw malformed("GUID " + name + " appears twice");
      }
    }
  }

  /** RFC 4122 form, the bytes in table order (as the reference's uuid_unparse prints them). */
  private static String guid(byte[] bytes) {
    String hex = HexFormat.of().formatHex(bytes);
    return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
        + hex.substring(16, 20) + "-" + hex.substring(20);
  }

  private static EnclaveException malformed(String why) {
    return new EnclaveException("the host's SEV-SNP certificate table is malformed: " + why);
  }
}
