package org.certifier.verifiers.collateral;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;

/**
 * Fetches collateral from AMD's Key Distribution Service and Intel's Provisioning Certification
 * Service, one HTTP GET per call, with {@link HttpClient}. It decides nothing about the answer
 * beyond reading it within the limits: statuses, back-off and caching are
 * {@link CollateralCache}'s business.
 *
 * <p>URLs (AMD KDS spec 57230, chapter 4; Intel PCS API v4):
 * <pre>
 * AmdVcek          {kds}/vcek/v1/{product}/{hwid}?blSPL=&amp;teeSPL=&amp;snpSPL=
 *                      &amp;ucodeSPL=[&amp;fmcSPL=]
 * AmdCertChain     {kds}/{vcek|vlek}/v1/{product}/cert_chain
 * AmdCrl           {kds}/{vcek|vlek}/v1/{product}/crl
 * IntelTcbInfo     {pcs}/{sgx|tdx}/certification/v4/tcb?fmspc=     TCB-Info-Issuer-Chain
 * IntelQeIdentity  {pcs}/{sgx|tdx}/certification/v4/qe/identity   SGX-Enclave-Identity-Issuer-Chain
 * IntelPckCrl      {pcs}/sgx/certification/v4/pckcrl?ca=&amp;encoding=der  SGX-PCK-CRL-Issuer-Chain
 * IntelRootCrl     the Intel SGX Root CA's CRL distribution point
 * </pre>
 * The issuer chain headers hold percent-encoded PEM, decoded here. Every URL is built from a
 * validated {@link CollateralKey}, so no key can point anywhere but the configured services.
 */
public final class VendorServices implements CollateralCache.Fetcher {
  /**
   * Where the services are.
   *
   * @param amdKds AMD KDS, {@code https://kdsintf.amd.com}
   * @param intelPcs Intel PCS, {@code https://api.trustedservices.intel.com} (or a PCCS that
   *     serves the same API)
   * @param intelRootCrl the Intel SGX Root CA's CRL, from the root certificate's CRL
   *     distribution point
   */
  public record Endpoints(URI amdKds, URI intelPcs, URI intelRootCrl) {
    /** The vendors' public services. */
    public static final Endpoints PRODUCTION = new Endpoints(
        URI.create("https://kdsintf.amd.com"),
        URI.create("https://api.trustedservices.intel.com"),
        URI.create("https://certificates.trustedservices.intel.com/IntelSGXRootCA.der"));

    public Endpoints {
      Objects.requireNonNull(amdKds, "amdKds");
      Objects.requireNonNull(intelPcs, "intelPcs");
      Objects.requireNonNull(intelRootCrl, "intelRootCrl");
    }
  }

  /**
   * How long to wait and how much to read.
   *
   * @param connectTimeout for the TCP and TLS connection
   * @param requestTimeout for the whole answer, headers and body
   * @param maxBodyBytes a larger body is refused (collateral-unavailable)
   */
  public record Limits(Duration connectTimeout, Duration requestTimeout, int maxBodyBytes) {
    /** 10 s to connect, 30 s per answer, 4 MiB per body: above any real CRL or TCB info. */
    public static final Limits DEFAULT =
        new Limits(Duration.ofSeconds(10), Duration.ofSeconds(30), 4 << 20);

    public Limits {
      Objects.requireNonNull(connectTimeout, "connectTimeout");
      Objects.requireNonNull(requestTimeout, "requestTimeout");
      if (connectTimeout.isNegative() || connectTimeout.isZero() || requestTimeout.isNegative()
          || requestTimeout.isZero() || maxBodyBytes <= 0) {
        throw new IllegalArgumentException("timeouts and the body limit must be positive");
      }
    }
  }

  private final Endpoints endpoints;
  private final Limits limits;
  private final HttpClient client;

  public VendorServices(Endpoints endpoints, Limits limits) {
    this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
    this.limits = Objects.requireNonNull(limits, "limits");
    // NORMAL follows redirects except from https to http, so TLS is never silently dropped.
    this.client = HttpClient.newBuilder()
        .connectTimeout(limits.connectTimeout())
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  /** The URL {@code key} is fetched from. */
  public URI uri(CollateralKey key) {
    return switch (key) {
      case CollateralKey.AmdVcek v -> under(endpoints.amdKds(), "/vcek/v1/" + v.product() + "/"
          + v.hwId() + "?blSPL=" + v.bootloader() + "&teeSPL=" + v.tee() + "&snpSPL=" + v.snp()
          + "&ucodeSPL=" + v.microcode()
          + (v.fmc().isPresent() ? "&fmcSPL=" + v.fmc().getAsInt() : ""));
      case CollateralKey.AmdCertChain c -> under(endpoints.amdKds(),
          "/" + c.kind().path() + "/v1/" + c.product() + "/cert_chain");
      case CollateralKey.AmdCrl c -> under(endpoints.amdKds(),
          "/" + c.kind().path() + "/v1/" + c.product() + "/crl");
      case CollateralKey.IntelTcbInfo t -> under(endpoints.intelPcs(),
          "/" + t.tee().path() + "/certification/v4/tcb?fmspc=" + t.fmspc());
      case CollateralKey.IntelQeIdentity q -> under(endpoints.intelPcs(),
          "/" + q.tee().path() + "/certification/v4/qe/identity");
      case CollateralKey.IntelPckCrl p -> under(endpoints.intelPcs(),
          "/sgx/certification/v4/pckcrl?ca=" + p.ca().path() + "&encoding=der");
      case CollateralKey.IntelRootCrl r -> endpoints.intelRootCrl();
    };
  }

  /** The header that carries {@code key}'s issuer chain, if it has one. */
  static Optional<String> issuerChainHeader(CollateralKey key) {
    return switch (key) {
      case CollateralKey.IntelTcbInfo t -> Optional.of("TCB-Info-Issuer-Chain");
      case CollateralKey.IntelQeIdentity q -> Optional.of("SGX-Enclave-Identity-Issuer-Chain");
      case CollateralKey.IntelPckCrl p -> Optional.of("SGX-PCK-CRL-Issuer-Chain");
      case CollateralKey.AmdVcek v -> Optional.empty();
      case CollateralKey.AmdCertChain c -> Optional.empty();
      case CollateralKey.AmdCrl c -> Optional.empty();
      case CollateralKey.IntelRootCrl r -> Optional.empty();
    };
  }

  /**
   * One GET of {@code key}'s URL.
   *
   * @throws VerificationException {@link Failure#COLLATERAL_UNAVAILABLE} if the service cannot
   *     be reached or does not answer in time, its body is larger than the limit, or its issuer
   *     chain header is not percent-encoded text
   */
  @Override
  public VendorResponse fetch(CollateralKey key) throws VerificationException {
    URI uri = uri(key);
    HttpRequest request = HttpRequest.newBuilder(uri).GET()
        .timeout(limits.requestTimeout()).build();
    HttpResponse<InputStream> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpTimeoutException e) {
      throw unavailable(key, uri, "no answer within " + limits.requestTimeout(), e);
    } catch (IOException e) {
      throw unavailable(key, uri, "the request failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(key, uri, "interrupted", e);
    }
    byte[] body = boundedBody(response, key, uri);
    Optional<String> chain = Optional.empty();
    Optional<String> header = issuerChainHeader(key);
    if (header.isPresent()) {
      Optional<String> encoded = response.headers().firstValue(header.get());
      if (encoded.isPresent()) {
        chain = Optional.of(percentDecode(encoded.get(), key, uri));
      }
    }
    return new VendorResponse(response.statusCode(), body, chain,
        response.headers().firstValue("Retry-After"),
        response.headers().firstValue("Cache-Control"));
  }

  private byte[] boundedBody(HttpResponse<InputStream> response, CollateralKey key, URI uri)
      throws VerificationException {
    int max = limits.maxBodyBytes();
    try (InputStream in = response.body()) {
      OptionalLong declared = response.headers().firstValueAsLong("Content-Length");
      if (declared.isPresent() && declared.getAsLong() > max) {
        throw unavailable(key, uri, "the answer is " + declared.getAsLong()
            + " bytes, more than the limit of " + max, null);
      }
      byte[] body = in.readNBytes(max + 1);
      if (body.length > max) {
        throw unavailable(key, uri, "the answer is more than the limit of " + max + " bytes",
            null);
      }
      return body;
    } catch (IOException e) {
      throw unavailable(key, uri, "reading the answer failed: " + e, e);
    }
  }

  /**
   * RFC 3986 percent-decoding, as Intel encodes the chain headers. Not
   * {@link java.net.URLDecoder}: that decodes form data, where {@code +} means a space, and
   * base64 is full of {@code +}.
   */
  static String percentDecode(String encoded, CollateralKey key, URI uri)
      throws VerificationException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length());
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '%') {
        int high = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
        int low = high >= 0 ? Character.digit(encoded.charAt(i + 2), 16) : -1;
        if (low < 0) {
          throw unavailable(key, uri, "the issuer chain header has a bad percent escape", null);
        }
        out.write(high << 4 | low);
        i += 2;
      } else if (c < 0x80) {
        out.write(c);
      } else {
        throw unavailable(key, uri, "the issuer chain header is not ASCII", null);
      }
    }
    return out.toString(StandardCharsets.US_ASCII);
  }

  /** {@code path} under {@code base}, which may carry a path prefix of its own (a proxy). */
  private static URI under(URI base, String path) {
    String prefix = base.toString();
    while (prefix.endsWith("/")) {
      prefix = prefix.substring(0, prefix.length() - 1);
    }
    return URI.create(prefix + path);
  }

  private static VerificationException unavailable(CollateralKey key, URI uri, String why,
      Throwable cause) {
    return new VerificationException(Failure.COLLATERAL_UNAVAILABLE,
        "cannot fetch " + key + " from " + uri + ": " + why, cause);
  }
}
