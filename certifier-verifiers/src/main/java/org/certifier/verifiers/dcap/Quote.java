package org.certifier.verifiers.dcap;

import static org.certifier.verifiers.dcap.QuoteLayout.*;

import com.google.protobuf.ByteString;
import java.util.Objects;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;

/**
 * An Intel ECDSA quote as its bytes lay it out: an SGX quote of version 3 (Intel SGX ECDSA
 * Quote Library API, A.4), or an SGX or TDX quote of version 4 or 5 (Intel TDX DCAP Quoting
 * Library API, A.3). Parsing decides nothing about trust: a parsed quote may be forged. Use
 * {@link QuoteVerifier} to learn whether Intel's hardware signed it.
 *
 * <p>Layout: the 48-byte {@link QuoteHeader}; in version 5 only, a u16 body type (1 SGX, 2 TDX
 * 1.0, 3 TDX 1.5) and a u32 body size; the body; a u32 signature data length and the signature
 * data. The signature data holds the ECDSA signature over header and body, the attestation key,
 * and the QE report certification data: the QE's report, its signature by the PCK key, the QE
 * authentication data (u16 length, bytes) and a certification data element (u16 type, u32
 * size, bytes) of type 5, the PEM PCK certificate chain. In version 3 the QE report
 * certification data follows the attestation key directly; in versions 4 and 5 it is wrapped in
 * a certification data element of type 6.
 *
 * <p>Every length must match exactly. After the signature data only zero bytes may follow:
 * quote buffers of a fixed size are zero-padded (Phala's v4 sample is), and zero is the one
 * value that cannot carry anything; any other trailing byte is refused.
 *
 * @param header the header
 * @param body the enclave's or TD's report
 * @param signedBytes the header and body as they appear in the quote (in version 5 with the
 *     body type and size), which the attestation key signs
 * @param signature ECDSA signature by the attestation key, r || s big-endian (64 bytes)
 * @param attestationKey the attestation public key, x || y big-endian (64 bytes)
 * @param qeReport the quoting enclave's report, decoded
 * @param qeReportBytes the quoting enclave's report as signed by the PCK key (384 bytes)
 * @param qeReportSignature ECDSA signature by the PCK key over the QE report, r || s (64 bytes)
 * @param qeAuthData the QE authentication data, hashed with the attestation key into the QE
 *     report's REPORTDATA
 * @param pckCertificationData the certification data of type 5: the PCK leaf, intermediate and
 *     root certificates as PEM text, as the quote carries it
 */
public record Quote(
    QuoteHeader header,
    ReportBody body,
    ByteString signedBytes,
    ByteString signature,
    ByteString attestationKey,
    EnclaveReportBody qeReport,
    ByteString qeReportBytes,
    ByteString qeReportSignature,
    ByteString qeAuthData,
    ByteString pckCertificationData) {

  public Quote {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(signedBytes, "signedBytes");
    Objects.requireNonNull(qeReport, "qeReport");
    Objects.requireNonNull(qeAuthData, "qeAuthData");
    Objects.requireNonNull(pckCertificationData, "pckCertificationData");
    checkSize("signature", signature, ECDSA_SIGNATURE_SIZE);
    checkSize("attestationKey", attestationKey, ECDSA_KEY_SIZE);
    checkSize("qeReportBytes", qeReportBytes, ENCLAVE_REPORT_SIZE);
    checkSize("qeReportSignature", qeReportSignature, ECDSA_SIGNATURE_SIZE);
    if ((body instanceof TdReportBody) != (header.teeType() == TeeType.TDX)) {
      throw new IllegalArgumentException("the body does not fit the header's TEE type");
    }
  }

  /**
   * Reads a quote.
   *
   * @throws VerificationException {@link Failure#MALFORMED_EVIDENCE} if a length, version,
   *     type or reserved field is wrong; {@link Failure#UNSUPPORTED_ALGORITHM} for an
   *     attestation key other than ECDSA P-256; {@link Failure#UNSUPPORTED_EVIDENCE_TYPE} for
   *     certification data of a type Intel defines but this verifier cannot use (the PCK chain
   *     must be in the quote)
   */
  public static Quote parse(byte[] quote) throws VerificationException {
    Objects.requireNonNull(quote, "quote");
    QuoteReader in = new QuoteReader(quote, 0, quote.length);
    QuoteHeader header = QuoteHeader.read(in);
    ReportBody body = header.version() == 5 ? readV5Body(in, header) : readBody(in, header);
    ByteString signedBytes = ByteString.copyFrom(quote, 0, in.position());

    QuoteReader signatureData = in.sub(in.u32("the signature data length"),
        "the signature data");
    requireZeroPadding(quote, in);
    ByteString signature = signatureData.bytes(ECDSA_SIGNATURE_SIZE, "the quote signature");
    ByteString attestationKey = signatureData.bytes(ECDSA_KEY_SIZE, "the attestation key");
    QuoteReader qe = signatureData;
    if (header.version() > 3) {
      qe = certificationData(signatureData, CERT_TYPE_QE_REPORT, "QE report");
      signatureData.requireEnd("QE report certification data");
    }

    int qeReportStart = qe.position();
    EnclaveReportBody qeReport = EnclaveReportBody.read(qe, "the QE report");
    ByteString qeReportBytes = ByteString.copyFrom(quote, qeReportStart, ENCLAVE_REPORT_SIZE);
    ByteString qeReportSignature = qe.bytes(ECDSA_SIGNATURE_SIZE, "the QE report signature");
    ByteString qeAuthData = qe.bytes(qe.u16("the QE authentication data length"),
        "the QE authentication data");
    QuoteReader pck = certificationData(qe, CERT_TYPE_PCK_CHAIN, "PCK certificate chain");
    qe.requireEnd("PCK certificate chain");
    ByteString pckCertificationData = pck.bytes(pck.remaining(), "the PCK certificate chain");
    return new Quote(header, body, signedBytes, signature, attestationKey, qeReport,
        qeReportBytes, qeReportSignature, qeAuthData, pckCertificationData);
  }

  /** Versions 3 and 4: the header's TEE type decides the body (TDX means TDX 1.0). */
  private static ReportBody readBody(QuoteReader in, QuoteHeader header)
      throws VerificationException {
    return header.teeType() == TeeType.SGX
        ? EnclaveReportBody.read(in, "the enclave report")
        : TdReportBody.read(in, false);
  }

  /** Version 5: the body type and size precede the body and must agree with the TEE type. */
  private static ReportBody readV5Body(QuoteReader in, QuoteHeader header)
      throws VerificationException {
    int type = in.u16("the body type");
    long size = in.u32("the body size");
    TeeType tee;
    int expectedSize;
    switch (type) {
      case BODY_TYPE_SGX -> {
        tee = TeeType.SGX;
        expectedSize = ENCLAVE_REPORT_SIZE;
      }
      case BODY_TYPE_TD10 -> {
        tee = TeeType.TDX;
        expectedSize = TD10_REPORT_SIZE;
      }
      case BODY_TYPE_TD15 -> {
        tee = TeeType.TDX;
        expectedSize = TD15_REPORT_SIZE;
      }
      default -> throw QuoteReader.malformed("body type " + type
          + " is neither SGX (1), TDX 1.0 (2) nor TDX 1.5 (3)");
    }
    if (tee != header.teeType()) {
      throw QuoteReader.malformed("body type " + type + " does not fit TEE type "
          + header.teeType());
    }
    if (size != expectedSize) {
      throw QuoteReader.malformed("a body of type " + type + " is " + expectedSize
          + " bytes, not " + size);
    }
    QuoteReader bodyReader = in.sub(size, "the body");
    ReportBody body = type == BODY_TYPE_SGX
        ? EnclaveReportBody.read(bodyReader, "the enclave report")
        : TdReportBody.read(bodyReader, type == BODY_TYPE_TD15);
    bodyReader.requireEnd("body");
    return body;
  }

  /** A certification data element of the expected type; returns a reader over its data. */
  private static QuoteReader certificationData(QuoteReader in, int expectedType, String what)
      throws VerificationException {
    int type = in.u16("the " + what + " certification data type");
    if (type != expectedType) {
      String detail = "certification data of type " + type + " where the " + what + " (type "
          + expectedType + ") belongs";
      throw type >= 1 && type <= CERT_TYPE_MAX_DEFINED
          ? new VerificationException(Failure.UNSUPPORTED_EVIDENCE_TYPE, detail)
          : QuoteReader.malformed(detail);
    }
    return in.sub(in.u32("the " + what + " certification data size"),
        "the " + what + " certification data");
  }

  private static void requireZeroPadding(byte[] quote, QuoteReader in)
      throws VerificationException {
    for (int i = in.position(); i < quote.length; i++) {
      if (quote[i] != 0) {
        throw QuoteReader.malformed((quote.length - in.position())
            + " bytes that are not zero padding follow the signature data");
      }
    }
  }
}
