package org.certifier.verifiers.dcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.junit.jupiter.api.Test;

/** Each expectation on a real TD or enclave report, met and unmet, with its failure code. */
class DcapExpectationsTest {
  private static final byte[] PHALA_MRTD = DcapVectors.hex("91eb2b44d141d4ece09f0c75c2c53d247a3c"
      + "68edd7fafe8a3520c942a604a407de03ae6dc5f87f27428b2538873118b7");
  private static final byte[] SGX_MRENCLAVE =
      DcapVectors.hex("33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb");

  private static ReportBody body(DcapVectors vector) throws VerificationException {
    return Quote.parse(vector.bytes()).body();
  }

  private static Failure failure(DcapExpectations e, DcapVectors vector) {
    return assertThrows(VerificationException.class, () -> e.check(body(vector))).failure();
  }

  @Test
  void aTdReportMeetsItsOwnValuesAndFailsOthersWithTheirCodes() throws Exception {
    ReportBody td = body(DcapVectors.PHALA_V4);
    DcapExpectations.builder(TeeType.TDX).allowMeasurement(PHALA_MRTD)
        .reportData(td.reportData().toByteArray())
        .minimumTeeTcbSvn(DcapVectors.hex("06010300000000000000000000000000")).build().check(td);
    assertEquals(Failure.UNKNOWN_MEASUREMENT, failure(DcapExpectations.builder(TeeType.TDX)
        .allowMeasurement(new byte[48]).build(), DcapVectors.PHALA_V4));
    assertEquals(Failure.REPORT_DATA_MISMATCH, failure(DcapExpectations.builder(TeeType.TDX)
        .reportData(new byte[64]).build(), DcapVectors.PHALA_V4));
    assertEquals(Failure.PLATFORM_PROPERTY_MISMATCH, failure(DcapExpectations
        .builder(TeeType.TDX).minimumTeeTcbSvn(DcapVectors.hex("06020300000000000000000000000000"))
        .build(), DcapVectors.PHALA_V4));
    assertEquals(Failure.UNSUPPORTED_EVIDENCE_TYPE,
        failure(DcapExpectations.builder(TeeType.SGX).build(), DcapVectors.PHALA_V4));
  }

  @Test
  void aDebugEnclaveNeedsAllowDebug() throws Exception {
    assertEquals(Failure.DEBUG_NOT_ALLOWED,
        failure(DcapExpectations.builder(TeeType.SGX).build(), DcapVectors.GRAMINE_V3));
    DcapExpectations.builder(TeeType.SGX).allowDebug().build()
        .check(body(DcapVectors.GRAMINE_V3));
    DcapExpectations.builder(TeeType.SGX).build().check(body(DcapVectors.SGX_V3));
  }

  @Test
  void enclaveIdentityExpectations() throws Exception {
    EnclaveReportBody sgx = (EnclaveReportBody) body(DcapVectors.SGX_V3);
    DcapExpectations.builder(TeeType.SGX).allowMeasurement(SGX_MRENCLAVE)
        .allowMrSigner(sgx.mrSigner().toByteArray()).isvProdId(0).minimumIsvSvn(0).build()
        .check(sgx);
    assertEquals(Failure.UNKNOWN_MEASUREMENT, failure(DcapExpectations.builder(TeeType.SGX)
        .allowMeasurement(new byte[32]).build(), DcapVectors.SGX_V3));
    assertEquals(Failure.PLATFORM_PROPERTY_MISMATCH, failure(DcapExpectations
        .builder(TeeType.SGX).allowMrSigner(new byte[32]).build(), DcapVectors.SGX_V3));
    assertEquals(Failure.PLATFORM_PROPERTY_MISMATCH, failure(DcapExpectations
        .builder(TeeType.SGX).isvProdId(1).build(), DcapVectors.SGX_V3));
    assertEquals(Failure.PLATFORM_PROPERTY_MISMATCH, failure(DcapExpectations
        .builder(TeeType.SGX).minimumIsvSvn(1).build(), DcapVectors.SGX_V3));
  }

  @Test
  void valuesOfTheWrongSizeOrTeeAreRefusedWhenBuilt() {
    assertThrows(IllegalArgumentException.class, () -> DcapExpectations.builder(TeeType.TDX)
        .allowMeasurement(SGX_MRENCLAVE).build());
    assertThrows(IllegalArgumentException.class, () -> DcapExpectations.builder(TeeType.SGX)
        .allowMeasurement(PHALA_MRTD).build());
    assertThrows(IllegalArgumentException.class, () -> DcapExpectations.builder(TeeType.SGX)
        .reportData(new byte[32]).build());
    assertThrows(IllegalArgumentException.class, () -> DcapExpectations.builder(TeeType.SGX)
        .minimumTeeTcbSvn(new byte[16]).build());
    assertThrows(IllegalArgumentException.class, () -> DcapExpectations.builder(TeeType.TDX)
        .minimumTeeTcbSvn(new byte[15]).build());
    assertThrows(IllegalArgumentException.class, () -> DcapExpectations.builder(TeeType.TDX)
        .minimumIsvSvn(1).build());
    assertThrows(IllegalArgumentException.class, () -> DcapExpectations.builder(TeeType.SGX)
        .isvProdId(0x10000).build());
  }
}
