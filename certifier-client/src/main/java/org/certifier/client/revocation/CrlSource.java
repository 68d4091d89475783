package org.certifier.client.revocation;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Where a domain's CRL comes from: the Certifier Service's {@code GET /v1/crl} (or any HTTP
 * server that mirrors it), or a file that something else keeps up to date. The bytes are
 * untrusted either way: {@link Crl#parse} checks the policy key's signature, so plain HTTP is
 * enough. Reads are bounded in size ({@link Crl#MAX_BYTES}) and, for HTTP, in time.
 */
public sealed interface CrlSource permits CrlSource.Http, CrlSource.File {
  /** Default bound on connecting to and reading from a CRL URL. */
  Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** Fetches the current CRL's bytes. */
  byte[] fetch() throws IOException;

  /** {@code http://} or {@code https://} URL, e.g. {@code http://certifier:8080/v1/crl}. */
  static CrlSource url(URI uri) {
    return new Http(uri, DEFAULT_TIMEOUT);
  }

  static CrlSource file(Path path) {
    return new File(path);
  }

  /** A CRL served over HTTP(S); redirects are not followed. */
  record Http(URI uri, Duration timeout) implements CrlSource {
    public Http {
      Objects.requireNonNull(uri, "uri");
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new IllegalArgumentException("CRL URL must be http or https: " + uri);
      }
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("CRL fetch timeout must be positive");
      }
    }

    /**
     * One GET, bounded as a whole: connecting, waiting for the answer and reading the body must
     * all finish within {@link #timeout}, and a body larger than {@link Crl#MAX_BYTES} is cut off.
     */
    @Override
    public byte[] fetch() throws IOException {
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
          .header("Accept", "application/pkix-crl").GET().build();
      HttpClient client = HttpClient.newBuilder().connectTimeout(timeout)
          .followRedirects(HttpClient.Redirect.NEVER).build();
      CompletableFuture<HttpResponse<byte[]>> answer = client.sendAsync(request,
          info -> new BoundedBody());
      try {
        HttpResponse<byte[]> response = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (response.statusCode() != 200) {
          throw new IOException("CRL URL " + uri + " answered HTTP " + response.statusCode());
        }
        return response.body();
      } catch (TimeoutException e) {
        throw new IOException("CRL URL " + uri + " did not answer within " + timeout, e);
      } catch (ExecutionException e) {
        throw new IOException("cannot fetch the CRL from " + uri + ": "
            + e.getCause().getMessage(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while fetching the CRL from " + uri, e);
      } finally {
        answer.cancel(true);
        client.shutdownNow();
      }
    }
  }

  /** A CRL file, replaced atomically by whoever keeps it current. */
  record File(Path path) implements CrlSource {
    public File {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public byte[] fetch() throws IOException {
      try (InputStream in = Files.newInputStream(path)) {
        return readBounded(in, path.toString());
      }
    }
  }

  private static byte[] readBounded(InputStream in, String where) throws IOException {
    byte[] bytes = in.readNBytes(Crl.MAX_BYTES + 1);
    if (bytes.length > Crl.MAX_BYTES) {
      throw new IOException("CRL from " + where + " is larger than " + Crl.MAX_BYTES
          + " bytes");
    }
    return bytes;
  }
}
