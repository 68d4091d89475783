package org.certifier.verifiers.collateral;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;

/**
 * Collateral from a directory an operator filled, for sites that cannot reach the vendors
 * (docs/operations.md, "Collateral for air-gapped sites"). The layout, relative to the root:
 *
 * <pre>
 * amd/{product}/vcek-cert_chain.pem         ASK then ARK, as KDS /vcek/v1/{product}/cert_chain
 * amd/{product}/vlek-cert_chain.pem         ASVK then ARK, as KDS /vlek/v1/{product}/cert_chain
 * amd/{product}/vcek-crl.der                KDS /vcek/v1/{product}/crl
 * amd/{product}/vlek-crl.der                KDS /vlek/v1/{product}/crl
 * amd/{product}/vcek/{hwid}-bl{n}-tee{n}-snp{n}-ucode{n}[-fmc{n}].der
 *                                           a VCEK; hwid lower-case hex, SPLs in decimal
 * intel/tcb/{sgx|tdx}-{FMSPC}.json          PCS /{sgx|tdx}/certification/v4/tcb?fmspc=
 * intel/qe/{sgx|tdx}.json                   PCS /{sgx|tdx}/certification/v4/qe/identity
 * intel/pckcrl-{processor|platform}.der     PCS /sgx/certification/v4/pckcrl?ca=&encoding=der
 * intel/rootcrl.der                         the Intel SGX Root CA's CRL
 * </pre>
 *
 * Each Intel item that PCS serves with an issuer chain header has that chain next to it, as
 * PEM, with {@code .chain.pem} in place of its extension (e.g.
 * {@code intel/tcb/sgx-00906ED50000.chain.pem}). Product names are KDS's ({@code Milan},
 * {@code Genoa}, {@code Turin}), FMSPCs upper-case hex.
 *
 * <p>Paths are built only from validated {@link CollateralKey} components, so no key can name
 * a file outside the root. Files are read on every request (no caching: the operator may
 * replace them at any time) and must not be larger than the configured limit.
 */
public final class BundleDirectory implements CollateralSource {
  /** The default size limit of one file: far above any real CRL, chain or TCB info. */
  public static final int DEFAULT_MAX_BYTES = 4 << 20;

  private final Path root;
  private final int maxBytes;

  /** A bundle at {@code root} with the {@link #DEFAULT_MAX_BYTES} limit. */
  public BundleDirectory(Path root) {
    this(root, DEFAULT_MAX_BYTES);
  }

  public BundleDirectory(Path root, int maxBytes) {
    this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive");
    }
    this.maxBytes = maxBytes;
  }

  @Override
  public Collateral get(CollateralKey key) throws VerificationException {
    Objects.requireNonNull(key, "key");
    byte[] body = read(key.bundlePath(), key);
    Optional<String> chain = key.hasIssuerChain()
        ? Optional.of(new String(read(key.issuerChainPath(), key), StandardCharsets.US_ASCII))
        : Optional.empty();
    return new Collateral(key, body, chain);
  }

  private byte[] read(String relative, CollateralKey key) throws VerificationException {
    Path file = root.resolve(relative);
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(maxBytes + 1);
      if (bytes.length > maxBytes) {
        throw unavailable(file, key, "it is larger than " + maxBytes + " bytes");
      }
      return bytes;
    } catch (NoSuchFileException e) {
      throw unavailable(file, key, "there is no such file");
    } catch (IOException e) {
      throw new VerificationException(Failure.COLLATERAL_UNAVAILABLE,
          "cannot read " + file + " for " + key + ": " + e.getMessage(), e);
    }
  }

  private static VerificationException unavailable(Path file, CollateralKey key, String why) {
    return new VerificationException(Failure.COLLATERAL_UNAVAILABLE,
        "the bundle cannot give " + key + " from " + file + ": " + why);
  }
}
