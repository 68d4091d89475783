package org.certifier.verifiers.sevsnp;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.certifier.crypto.CryptoException;
import org.certifier.crypto.Certificates;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;

/**
 * What a VCEK or VLEK certificate says about the key it certifies, read from AMD's KDS
 * extensions (Versioned Chip Endorsement Key Certificate and KDS Interface Specification, AMD
 * publication 57230, "VCEK Certificate Extensions"). Reading decides nothing about trust; the
 * verifier checks the chain before it believes any of this.
 *
 * @param certificate the VCEK or VLEK certificate
 * @param kind VCEK (subject CN {@code SEV-VCEK}) or VLEK (subject CN {@code SEV-VLEK})
 * @param product the product line named by the productName extension
 * @param tcb the TCB the key was derived for, from the SPL extensions
 * @param hwId the hwID extension (the chip id: 64 bytes up to Genoa, 8 from Turin on); VCEK
 *     only, a VLEK is not bound to one chip
 */
record EndorsementKey(
    X509Certificate certificate,
    SigningKey kind,
    SnpProduct product,
    TcbVersion tcb,
    Optional<ByteString> hwId) {

  private static final String AMD_KDS = "1.3.6.1.4.1.3704.1.";
  private static final String PRODUCT_NAME = AMD_KDS + "2";
  private static final String BL_SPL = AMD_KDS + "3.1";
  private static final String TEE_SPL = AMD_KDS + "3.2";
  private static final String SNP_SPL = AMD_KDS + "3.3";
  private static final String SPL_4 = AMD_KDS + "3.4";
  private static final String SPL_5 = AMD_KDS + "3.5";
  private static final String SPL_6 = AMD_KDS + "3.6";
  private static final String SPL_7 = AMD_KDS + "3.7";
  private static final String UCODE_SPL = AMD_KDS + "3.8";
  private static final String FMC_SPL = AMD_KDS + "3.9";
  private static final String HW_ID = AMD_KDS + "4";

  private static final int DER_INTEGER = 0x02;
  private static final int DER_OCTET_STRING = 0x04;
  private static final int DER_IA5_STRING = 0x16;

  EndorsementKey {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(product, "product");
    Objects.requireNonNull(tcb, "tcb");
    Objects.requireNonNull(hwId, "hwId");
    if (kind == SigningKey.NONE) {
      throw new IllegalArgumentException("an endorsement key is a VCEK or a VLEK");
    }
    if (hwId.isPresent() != (kind == SigningKey.VCEK)) {
      throw new IllegalArgumentException("a VCEK has a hwID, a VLEK has none");
    }
  }

  /**
   * Reads the kind, product, TCB and hwID of an endorsement key certificate.
   *
   * @throws VerificationException {@link Failure#BAD_CERTIFICATE_CHAIN} if it is neither a
   *     VCEK nor a VLEK, {@link Failure#UNSUPPORTED_EVIDENCE_TYPE} for an unknown product,
   *     {@link Failure#MALFORMED_EVIDENCE} if an extension is missing or malformed
   */
  static EndorsementKey read(X509Certificate certificate) throws VerificationException {
    SigningKey kind = kind(certificate);
    String productName = new String(contents(extension(certificate, PRODUCT_NAME),
        DER_IA5_STRING, "productName"), StandardCharsets.US_ASCII);
    SnpProduct product = SnpProduct.fromProductName(productName).orElseThrow(() ->
        new VerificationException(Failure.UNSUPPORTED_EVIDENCE_TYPE,
            "unknown AMD product " + quote(productName)));
    TcbVersion tcb = tcb(certificate, product);
    byte[] hwIdExtension = certificate.getExtensionValue(HW_ID);
    Optional<ByteString> hwId = Optional.empty();
    if (kind == SigningKey.VCEK) {
      if (hwIdExtension == null) {
        throw malformed("the VCEK has no hwID extension");
      }
      // Unlike the other extensions, hwID's extnValue holds the raw chip id, no inner DER.
      byte[] id = contents(hwIdExtension, DER_OCTET_STRING, "hwID");
      if (id.length != product.hwIdLength()) {
        throw malformed("a " + product.kdsName() + " hwID is " + product.hwIdLength()
            + " bytes, not " + id.length);
      }
      hwId = Optional.of(ByteString.copyFrom(id));
    } else if (hwIdExtension != null) {
      throw malformed("a VLEK is not bound to a chip but has a hwID extension");
    }
    return new EndorsementKey(certificate, kind, product, tcb, hwId);
  }

  private static SigningKey kind(X509Certificate certificate) throws VerificationException {
    Optional<String> cn;
    try {
      cn = Certificates.subjectAttribute(certificate, "CN");
    } catch (CryptoException e) {
      throw new VerificationException(Failure.MALFORMED_EVIDENCE,
          "unreadable endorsement key subject", e);
    }
    return switch (cn.orElse("")) {
      case "SEV-VCEK" -> SigningKey.VCEK;
      case "SEV-VLEK" -> SigningKey.VLEK;
      default -> throw new VerificationException(Failure.BAD_CERTIFICATE_CHAIN,
          "the certificate of " + quote(cn.orElse("")) + " is neither a VCEK nor a VLEK");
    };
  }

  /**
   * The TCB from the SPL extensions, placed into the product's TCB_VERSION layout (KDS spec
   * 57230; ABI spec 56860, §2.2). SPL4 to SPL7 name the reserved bytes and must be zero if
   * present; an SPL the product's layout has no place for is refused.
   */
  private static TcbVersion tcb(X509Certificate cert, SnpProduct product)
      throws VerificationException {
    long raw = switch (product.tcbLayout()) {
      case MILAN_GENOA -> {
        forbid(cert, FMC_SPL, product);
        yield spl(cert, BL_SPL, true)
            | spl(cert, TEE_SPL, true) << 8
            | spl(cert, SPL_4, false) << 16
            | spl(cert, SPL_5, false) << 24
            | spl(cert, SPL_6, false) << 32
            | spl(cert, SPL_7, false) << 40
            | spl(cert, SNP_SPL, true) << 48
            | spl(cert, UCODE_SPL, true) << 56;
      }
      case TURIN -> {
        forbid(cert, SPL_4, product);
        yield spl(cert, FMC_SPL, true)
            | spl(cert, BL_SPL, true) << 8
            | spl(cert, TEE_SPL, true) << 16
            | spl(cert, SNP_SPL, true) << 24
            | spl(cert, SPL_5, false) << 32
            | spl(cert, SPL_6, false) << 40
            | spl(cert, SPL_7, false) << 48
            | spl(cert, UCODE_SPL, true) << 56;
      }
    };
    try {
      return TcbVersion.decode(raw, product.tcbLayout());
    } catch (VerificationException e) {
      throw malformed("the SPL extensions set a reserved TCB_VERSION byte: " + e.getMessage());
    }
  }

  private static void forbid(X509Certificate cert, String oid, SnpProduct product)
      throws VerificationException {
    if (cert.getExtensionValue(oid) != null) {
      throw malformed("extension " + oid + " has no meaning for " + product.kdsName());
    }
  }

  /** An SPL extension: a DER INTEGER from 0 to 255. */
  private static long spl(X509Certificate cert, String oid, boolean required)
      throws VerificationException {
    byte[] extension = cert.getExtensionValue(oid);
    if (extension == null) {
      if (required) {
        throw malformed("missing SPL extension " + oid);
      }
      return 0;
    }
    byte[] value = contents(contents(extension, DER_OCTET_STRING, oid), DER_INTEGER, oid);
    boolean minimal = value.length == 1 && (value[0] & 0x80) == 0
        || value.length == 2 && value[0] == 0 && (value[1] & 0x80) != 0;
    if (!minimal) {
      throw malformed("SPL extension " + oid + " is not an integer from 0 to 255");
    }
    return value[value.length - 1] & 0xff;
  }

  private static byte[] extension(X509Certificate cert, String oid) throws VerificationException {
    byte[] extension = cert.getExtensionValue(oid);
    if (extension == null) {
      throw malformed("missing extension " + oid);
    }
    return contents(extension, DER_OCTET_STRING, oid);
  }

  /**
   * The contents of a DER element that must have the given tag and fill {@code encoded}
   * exactly. Short and one-byte long lengths only: no KDS extension is longer than 255 bytes.
   */
  private static byte[] contents(byte[] encoded, int tag, String what)
      throws VerificationException {
    if (encoded.length < 2 || (encoded[0] & 0xff) != tag) {
      throw malformed("extension " + what + " is not the expected DER type");
    }
    int first = encoded[1] & 0xff;
    int header;
    int length;
    if (first < 0x80) {
      header = 2;
      length = first;
    } else if (first == 0x81 && encoded.length > 2 && (encoded[2] & 0xff) >= 0x80) {
      header = 3;
      length = encoded[2] & 0xff;
    } else {
      throw malformed("extension " + what + " has an unsupported DER length");
    }
    if (header + length != encoded.length) {
      throw malformed("extension " + what + " has a wrong DER length");
    }
    return Arrays.copyOfRange(encoded, header, encoded.length);
  }

  private static String quote(String s) {
    return "\"" + s.codePoints().limit(64)
        .map(c -> c >= 0x20 && c < 0x7f ? c : '?')
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        + "\"";
  }

  private static VerificationException malformed(String detail) {
    return new VerificationException(Failure.MALFORMED_EVIDENCE, detail);
  }
}
