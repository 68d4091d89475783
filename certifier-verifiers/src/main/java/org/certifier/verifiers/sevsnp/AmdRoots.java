package org.certifier.verifiers.sevsnp;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.certifier.crypto.CryptoException;
import org.certifier.crypto.Certificates;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;

/**
 * The AMD certificates an SEV-SNP verifier trusts, per product line: the self-signed AMD Root
 * Key (ARK), the AMD SEV Key (ASK) that signs VCEKs, and the AMD SEV VLEK Key (ASVK) that signs
 * VLEKs (AMD KDS spec 57230). {@link #embedded()} holds AMD's own certificates, shipped as
 * resources and each ARK pinned by the SHA-256 of its DER encoding in this class, so that a
 * replaced resource cannot introduce a new root.
 */
public final class AmdRoots {
  /**
   * SHA-256 of each ARK's DER encoding. They equal the ARKs of AMD's KDS cert_chain bundles
   * (as copied in go-sev-guest verify/trust/ask_ark_*.pem); ARK-Milan's pin was checked against
   * an independent record in the vectors' README.
   */
  private static final Map<SnpProduct, String> ARK_SHA256 = Map.of(
      SnpProduct.MILAN, "69d063b45344d26a2e94e1f4210de49ef555308287d4c174445c95639a540bcd",
      SnpProduct.GENOA, "4c6598d19c18719c5dfd4a7d335f674e5bfe1d8f800cea2cf270c10d103db2f1",
      SnpProduct.TURIN, "1f084161a44bb6d93778a904877d4819cafa5d05ef4193b2ded9dd9c73dd3f6a");

  /**
   * The three AMD certificates of one product line.
   *
   * @param product the product line
   * @param ark the AMD Root Key certificate (self-signed)
   * @param ask the AMD SEV Key certificate, issuer of VCEKs
   * @param asvk the AMD SEV VLEK Key certificate, issuer of VLEKs
   */
  public record ProductRoots(
      SnpProduct product, X509Certificate ark, X509Certificate ask, X509Certificate asvk) {
    public ProductRoots {
      Objects.requireNonNull(product, "product");
      Objects.requireNonNull(ark, "ark");
      Objects.requireNonNull(ask, "ask");
      Objects.requireNonNull(asvk, "asvk");
    }
  }

  private final Map<SnpProduct, ProductRoots> roots;
  private final Map<SnpProduct, String> arkPins;

  private AmdRoots(Map<SnpProduct, ProductRoots> roots, Map<SnpProduct, String> arkPins) {
    this.roots = Map.copyOf(roots);
    this.arkPins = Map.copyOf(arkPins);
  }

  /**
   * AMD's certificates for Milan, Genoa and Turin, loaded once from this package's resources
   * and checked against the pins in this class.
   *
   * @throws IllegalStateException if a resource is missing or does not match its pin: the
   *     build is broken, which no input can cause
   */
  public static AmdRoots embedded() {
    return Embedded.ROOTS;
  }

  /**
   * Trusts the given certificates as they are, with no pin: for tests with fake AMD roots
   * only. A verifier built on these roots proves nothing about AMD.
   */
  public static AmdRoots insecureForTesting(List<ProductRoots> productRoots) {
    Map<SnpProduct, ProductRoots> byProduct = byProduct(productRoots);
    Map<SnpProduct, String> pins = new EnumMap<>(SnpProduct.class);
    for (ProductRoots r : byProduct.values()) {
      try {
        pins.put(r.product(), sha256Hex(r.ark().getEncoded()));
      } catch (CertificateEncodingException e) {
        throw new IllegalArgumentException("cannot encode the ARK of " + r.product(), e);
      }
    }
    return new AmdRoots(byProduct, pins);
  }

  /**
   * Roots whose ARKs must match the given SHA-256 pins (lower-case hex).
   *
   * @throws VerificationException {@link Failure#UNTRUSTED_ROOT} if an ARK differs from its pin
   *     or has none
   */
  static AmdRoots pinned(List<ProductRoots> productRoots, Map<SnpProduct, String> arkPins)
      throws VerificationException {
    AmdRoots result = new AmdRoots(byProduct(productRoots), arkPins);
    for (ProductRoots r : productRoots) {
      result.forProduct(r.product());
    }
    return result;
  }

  /**
   * The certificates of a product line, with its ARK checked against the pin again: cheap, and
   * it keeps a verifier honest even if this object was built from something unexpected.
   *
   * @throws VerificationException {@link Failure#UNTRUSTED_ROOT} if there are no roots for the
   *     product or its ARK does not match its pin
   */
  public ProductRoots forProduct(SnpProduct product) throws VerificationException {
    ProductRoots r = roots.get(product);
    if (r == null) {
      throw new VerificationException(Failure.UNTRUSTED_ROOT,
          "no trusted AMD root for " + product.kdsName());
    }
    String pin = arkPins.get(product);
    String actual;
    try {
      actual = sha256Hex(r.ark().getEncoded());
    } catch (CertificateEncodingException e) {
      throw new VerificationException(Failure.UNTRUSTED_ROOT,
          "cannot encode the ARK of " + product.kdsName(), e);
    }
    if (!actual.equals(pin)) {
      throw new VerificationException(Failure.UNTRUSTED_ROOT, "the ARK of " + product.kdsName()
          + " has SHA-256 " + actual + ", but " + (pin == null ? "nothing" : pin)
          + " is pinned");
    }
    return r;
  }

  private static Map<SnpProduct, ProductRoots> byProduct(List<ProductRoots> productRoots) {
    Map<SnpProduct, ProductRoots> byProduct = new EnumMap<>(SnpProduct.class);
    for (ProductRoots r : productRoots) {
      if (byProduct.put(r.product(), r) != null) {
        throw new IllegalArgumentException("two sets of roots for " + r.product());
      }
    }
    return byProduct;
  }

  private static String sha256Hex(byte[] der) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  // Holder idiom: the resources are read once, on first use, and never again.
  private static final class Embedded {
    static final AmdRoots ROOTS = load();

    private static AmdRoots load() {
      List<ProductRoots> all = new ArrayList<>();
      try {
        for (SnpProduct p : SnpProduct.values()) {
          String name = p.kdsName().toLowerCase(Locale.ROOT);
          all.add(new ProductRoots(p, resource("ark-" + name + ".der"),
              resource("ask-" + name + ".der"), resource("asvk-" + name + ".der")));
        }
        return pinned(all, ARK_SHA256);
      } catch (VerificationException | CryptoException | IOException e) {
        throw new IllegalStateException("embedded AMD roots are broken: " + e.getMessage(), e);
      }
    }

    private static X509Certificate resource(String name) throws IOException, CryptoException {
      try (InputStream in = AmdRoots.class.getResourceAsStream(name)) {
        if (in == null) {
          throw new IOException("missing resource " + name);
        }
        return Certificates.parseDer(in.readAllBytes());
      }
    }
  }
}
