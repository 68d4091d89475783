/**
 * Evidence of Intel TDX trust domains ({@code tdx-evidence}) and of SGX enclaves under Gramine
 * ({@code gramine-evidence}), verified with Intel DCAP ({@link
 * org.certifier.verifiers.dcap.DcapAppraisal}) and described as {@code intel-tdx} and
 * {@code sgx} platforms ({@link org.certifier.verifiers.intel.IntelProperties}) for the policy.
 */
package org.certifier.verifiers.intel;
