package org.certifier.client.enclave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.certifier.testing.amd.FakeAmdSp;
import org.certifier.testing.amd.FakeAmdSp.TableEntry;
import org.junit.jupiter.api.Test;

/** The host's certificate table is untrusted input: read what is there, refuse the rest. */
class SevCertificateTableTest {
  private static final FakeAmdSp SP = FakeAmdSp.milan();

  @Test
  void readsArkAskAndVcekByGuid() throws Exception {
    byte[][] chain = SevCertificateTable.arkAskVcek(SP.certificateTable());
    assertArrayEquals(SP.arkDer(), chain[0]);
    assertArrayEquals(SP.askDer(), chain[1]);
    assertArrayEquals(SP.vcekDer(), chain[2]);
  }

  @Test
  void pemEntriesBecomeDerAndOtherGuidsAreIgnored() throws Exception {
    byte[] pemArk = ("-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder().encodeToString(SP.arkDer())
        + "\n-----END CERTIFICATE-----\n").getBytes(StandardCharsets.US_ASCII);
    byte[] table = FakeAmdSp.certificateTable(List.of(
        new TableEntry("a8074bc2-a25a-483e-aae6-39c045a0b8a1", new byte[] {1, 2, 3}),
        new TableEntry(FakeAmdSp.VCEK_GUID, SP.vcekDer()),
        new TableEntry(FakeAmdSp.ASK_GUID, SP.askDer()),
        new TableEntry(FakeAmdSp.ARK_GUID, pemArk)));

    assertArrayEquals(SP.arkDer(), SevCertificateTable.arkAskVcek(table)[0]);
    assertEquals(4, SevCertificateTable.parse(table).size());
  }

  @Test
  void aMissingCertificateIsNamed() {
    byte[] table = FakeAmdSp.certificateTable(List.of(
        new TableEntry(FakeAmdSp.ASK_GUID, SP.askDer()),
        new TableEntry(FakeAmdSp.ARK_GUID, SP.arkDer())));
    EnclaveException e = assertThrows(EnclaveException.class,
        () -> SevCertificateTable.arkAskVcek(table));
    assertTrue(e.getMessage().contains("has no VCEK"), e.getMessage());
  }

  @Test
  void malformedTablesAreRefused() {
    byte[] valid = SP.certificateTable();
    // No terminating entry: the table is cut inside the entries.
    assertMalformed(Arrays.copyOf(valid, 60));
    assertMalformed(new byte[0]);
    // An entry reaching past the end.
    assertMalformed(Arrays.copyOf(valid, valid.length - 1));
    // An offset near 2^32 must not wrap around.
    byte[] wrapping = valid.clone();
    ByteBuffer.wrap(wrapping).order(ByteOrder.LITTLE_ENDIAN).putInt(16, -8);
    assertMalformed(wrapping);
    // A zero-length entry.
    byte[] empty = valid.clone();
    ByteBuffer.wrap(empty).order(ByteOrder.LITTLE_ENDIAN).putInt(20, 0);
    assertMalformed(empty);
    // The same GUID twice.
    assertMalformed(FakeAmdSp.certificateTable(List.of(
        new TableEntry(FakeAmdSp.ARK_GUID, SP.arkDer()),
        new TableEntry(FakeAmdSp.ARK_GUID, SP.arkDer()))));
    // More entries than a table has.
    byte[] endless = new byte[100 * 24];
    for (int i = 0; i < 100; i++) {
      endless[i * 24] = (byte) (i + 1);
      ByteBuffer.wrap(endless).order(ByteOrder.LITTLE_ENDIAN).putInt(i * 24 + 20, 1);
    }
    assertMalformed(endless);
  }

  @Property(tries = 200)
  void arbitraryBytesNeverCrashTheParser(@ForAll byte[] table) {
    try {
      SevCertificateTable.arkAskVcek(table);
    } catch (EnclaveException expected) {
      // Refused cleanly: that is all arbitrary bytes can expect.
    }
  }

  private static void assertMalformed(byte[] table) {
    EnclaveException e = assertThrows(EnclaveException.class,
        () -> SevCertificateTable.parse(table));
    assertTrue(e.getMessage().contains("malformed"), e.getMessage());
  }
}
