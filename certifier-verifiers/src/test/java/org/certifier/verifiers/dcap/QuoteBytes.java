package org.certifier.verifiers.dcap;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Where each field of a real quote lies, and quotes rebuilt with other certification data:
 * tests change one thing and keep every length consistent, so that the check under test is the
 * one that fails.
 */
final class QuoteBytes {
  final byte[] bytes;
  final Quote quote;

  QuoteBytes(byte[] bytes) throws Exception {
    this.bytes = bytes.clone();
    this.quote = Quote.parse(bytes);
  }

  int signatureDataLength() {
    return quote.signedBytes().size();
  }

  int signature() {
    return signatureDataLength() + 4;
  }

  int attestationKey() {
    return signature() + 64;
  }

  /** The outer certification data element of versions 4 and 5. */
  int outerCertificationData() {
    if (quote.header().version() == 3) {
      throw new IllegalStateException("a version 3 quote has no outer certification data");
    }
    return attestationKey() + 64;
  }

  int qeReport() {
    return attestationKey() + 64 + (quote.header().version() == 3 ? 0 : 6);
  }

  int qeReportSignature() {
    return qeReport() + 384;
  }

  int qeAuthDataLength() {
    return qeReportSignature() + 64;
  }

  int qeAuthData() {
    return qeAuthDataLength() + 2;
  }

  int pckCertificationData() {
    return qeAuthData() + quote.qeAuthData().size();
  }

  /** The end of the signature data; zero padding may follow. */
  int end() {
    return pckCertificationData() + 6 + quote.pckCertificationData().size();
  }

  /** The body's first byte (after the version 5 body type and size). */
  int body() {
    return 48 + (quote.header().version() == 5 ? 6 : 0);
  }

  /** The field boundaries a truncation test cuts at, ascending. */
  int[] boundaries() {
    return new int[] {0, 2, 4, 8, 10, 12, 28, 48, body(), signatureDataLength(), signature(),
        attestationKey(), attestationKey() + 64, qeReport(), qeReportSignature(),
        qeAuthDataLength(), qeAuthData(), pckCertificationData(), pckCertificationData() + 2,
        pckCertificationData() + 6, end() - 1};
  }

  /** The same quote with another PCK certification data (type 5) and consistent lengths. */
  byte[] withPckCertificationData(byte[] pem) {
    ByteArrayOutputStream qe = new ByteArrayOutputStream();
    qe.writeBytes(quote.qeReportBytes().toByteArray());
    qe.writeBytes(quote.qeReportSignature().toByteArray());
    qe.writeBytes(u16(quote.qeAuthData().size()));
    qe.writeBytes(quote.qeAuthData().toByteArray());
    qe.writeBytes(u16(5));
    qe.writeBytes(u32(pem.length));
    qe.writeBytes(pem);

    ByteArrayOutputStream signatureData = new ByteArrayOutputStream();
    signatureData.writeBytes(quote.signature().toByteArray());
    signatureData.writeBytes(quote.attestationKey().toByteArray());
    if (quote.header().version() > 3) {
      signatureData.writeBytes(u16(6));
      signatureData.writeBytes(u32(qe.size()));
    }
    signatureData.writeBytes(qe.toByteArray());

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(quote.signedBytes().toByteArray());
    out.writeBytes(u32(signatureData.size()));
    out.writeBytes(signatureData.toByteArray());
    return out.toByteArray();
  }

  /** The quote's bytes with a little-endian u16 or u32 written at {@code offset}. */
  byte[] withU16(int offset, int value) {
    byte[] copy = bytes.clone();
    System.arraycopy(u16(value), 0, copy, offset, 2);
    return copy;
  }

  byte[] withU32(int offset, long value) {
    byte[] copy = bytes.clone();
    System.arraycopy(u32(value), 0, copy, offset, 4);
    return copy;
  }

  static byte[] u16(int value) {
    return ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) value).array();
  }

  static byte[] u32(long value) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) value).array();
  }

  static ByteString bytes(String hex) {
    return ByteString.copyFrom(DcapVectors.hex(hex));
  }
}
