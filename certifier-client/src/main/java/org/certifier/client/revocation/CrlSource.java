package org.certifier.client.revocation;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

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
     * all finish within {@link #timeout} (the connection is cut when it runs out), and a body
     * larger than {@link Crl#MAX_BYTES} is refused. It runs on the calling thread and blocks
     * only there: {@code java.net.http.HttpClient} completes its answers on the common
     * fork-join pool, which an application may keep busy (a 2-core machine gives it one
     * worker), and a revocation check must not stall behind it.
     */
    @Override
    public byte[] fetch() throws IOException {
      HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
      connection.setInstanceFollowRedirects(false);
      connection.setUseCaches(false);
      connection.setConnectTimeout(millis());
      connection.setReadTimeout(millis());
      connection.setRequestProperty("Accept", "application/pkix-crl");
      Thread deadline = Thread.ofVirtual().start(() -> {
        try {
          Thread.sleep(timeout);
          connection.disconnect();
        } catch (InterruptedException finishedInTime) {
          // the fetch ended first
        }
      });
      try {
        int status = connection.getResponseCode();
        if (status != 200) {
          throw new IOException("CRL URL " + uri + " answered HTTP " + status);
        }
        try (InputStream in = connection.getInputStream()) {
          return readBounded(in, uri.toString());
        }
      } catch (SocketTimeoutException e) {
        throw new IOException("CRL URL " + uri + " did not answer within " + timeout, e);
      } catch (IOException e) {
        if (!deadline.isAlive()) {
          throw new IOException("CRL URL " + uri + " did not answer within " + timeout, e);
        }
        throw new IOException("cannot fetch the CRL from " + uri + ": " + e.getMessage(), e);
      } finally {
        deadline.interrupt();
        connection.disconnect();
      }
    }

    private int millis() {
      return (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
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
