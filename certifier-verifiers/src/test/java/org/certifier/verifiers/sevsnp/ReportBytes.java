package org.certifier.verifiers.sevsnp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Edits copies of raw reports for negative and layout tests. */
final class ReportBytes {
  private final byte[] bytes;

  private ReportBytes(byte[] bytes) {
    this.bytes = bytes.clone();
  }

  static ReportBytes of(byte[] report) {
    return new ReportBytes(report);
  }

  ReportBytes u8(int offset, int value) {
    bytes[offset] = (byte) value;
    return this;
  }

  ReportBytes u32(int offset, int value) {
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
    return this;
  }

  ReportBytes u64(int offset, long value) {
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(offset, value);
    return this;
  }

  /** Writes {@code value} at {@code offset}. */
  ReportBytes put(int offset, byte[] value) {
    System.arraycopy(value, 0, bytes, offset, value.length);
    return this;
  }

  /** Copies a field from another report. */
  ReportBytes copy(byte[] from, int offset, int length) {
    System.arraycopy(from, offset, bytes, offset, length);
    return this;
  }

  /** Sets all four TCB_VERSION fields. */
  ReportBytes allTcbs(long raw) {
    return u64(SnpLayout.CURRENT_TCB, raw).u64(SnpLayout.REPORTED_TCB, raw)
        .u64(SnpLayout.COMMITTED_TCB, raw).u64(SnpLayout.LAUNCH_TCB, raw);
  }

  /** A version 3 or later report with the given CPUID family, model and stepping. */
  ReportBytes version(int version, int family, int model, int stepping) {
    return u32(SnpLayout.VERSION, version).u8(SnpLayout.CPUID_FAM_ID, family)
        .u8(SnpLayout.CPUID_MOD_ID, model).u8(SnpLayout.CPUID_STEP, stepping);
  }

  byte[] bytes() {
    return bytes.clone();
  }
}
