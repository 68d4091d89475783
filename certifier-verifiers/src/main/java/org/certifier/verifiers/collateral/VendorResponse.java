package org.certifier.verifiers.collateral;

import java.util.Objects;
import java.util.Optional;

/**
 * What a vendor's service answered to one request, with the headers that matter to the cache.
 *
 * @param status the HTTP status
 * @param body the body, at most the fetcher's size limit
 * @param issuerChainPem the decoded issuer chain header, if the service sent one
 * @param retryAfter the raw {@code Retry-After} header (seconds or an HTTP-date)
 * @param cacheControl the raw {@code Cache-Control} header
 */
public record VendorResponse(int status, byte[] body, Optional<String> issuerChainPem,
    Optional<String> retryAfter, Optional<String> cacheControl) {
  public VendorResponse {
    body = Objects.requireNonNull(body, "body").clone();
    Objects.requireNonNull(issuerChainPem, "issuerChainPem");
    Objects.requireNonNull(retryAfter, "retryAfter");
    Objects.requireNonNull(cacheControl, "cacheControl");
  }

  @Override
  public byte[] body() {
    return body.clone();
  }
}
