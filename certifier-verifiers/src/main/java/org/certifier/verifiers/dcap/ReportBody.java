package org.certifier.verifiers.dcap;

import com.google.protobuf.ByteString;

/** The report a quote signs: an SGX enclave's or a TDX trust domain's. */
public sealed interface ReportBody permits EnclaveReportBody, TdReportBody {
  /** REPORT_DATA, the 64 bytes the enclave or TD chose to bind (a key hash, a nonce). */
  ByteString reportData();

  /** True if the enclave or TD runs in debug mode, so that its host can read its memory. */
  boolean debug();
}
