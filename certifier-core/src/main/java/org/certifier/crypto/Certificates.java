package org.certifier.crypto;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * Reading X.509 certificates: the policy certificate, admission certificates, vendor chains.
 * Certificates travel as DER in protobufs (§1.2 CERT) and as PEM in some test files.
 */
public final class Certificates {
  private static final String PEM_BEGIN = "-----BEGIN ";
  private static final String PEM_END = "-----END ";
  private static final String PEM_DASHES = "-----";
  private static final String PEM_CERTIFICATE = "CERTIFICATE";
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private Certificates() {}

  /** Parses exactly one DER certificate; trailing bytes or PEM text are rejected. */
  public static X509Certificate parseDer(byte[] der) throws CryptoException {
    Objects.requireNonNull(der, "der");
    try {
      // The JDK parser also accepts Base64 text and ignores trailing data; the re-encoding
      // check below closes both doors, so a DER field holds DER and nothing else.
      Certificate cert = CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
      if (!(cert instanceof X509Certificate x509)) {
        throw new CryptoException("not an X.509 certificate");
      }
      if (!MessageDigest.isEqual(x509.getEncoded(), der)) {
        throw new CryptoException("certificate is not exactly one DER encoding");
      }
      return x509;
    } catch (CertificateException | RuntimeException e) {
      throw new CryptoException("malformed DER certificate", e);
    }
  }

  /**
   * The first certificate of a file in either encoding the reference uses: DER (the
   * {@code *.bin}/{@code *.der} files) or PEM (the SEV test files), told apart by the PEM
   * header.
   */
  public static X509Certificate parseDerOrPem(byte[] bytes) throws CryptoException {
    Objects.requireNonNull(bytes, "bytes");
    String start = new String(bytes, 0, Math.min(bytes.length, 64),
        java.nio.charset.StandardCharsets.US_ASCII).stripLeading();
    if (start.startsWith(PEM_BEGIN)) {
      List<X509Certificate> certs = parsePem(new String(bytes,
          java.nio.charset.StandardCharsets.US_ASCII));
      if (certs.isEmpty()) {
        throw new CryptoException("no certificate in PEM text");
      }
      return certs.get(0);
    }
    return parseDer(bytes);
  }

  /**
   * Parses every {@code CERTIFICATE} block of a PEM text, in order. Text outside the blocks is
   * ignored (RFC 7468 §2); any other block type, an unterminated block or no block at all is an
   * error.
   */
  public static List<X509Certificate> parsePem(String pem) throws CryptoException {
    Objects.requireNonNull(pem, "pem");
    List<X509Certificate> certs = new ArrayList<>();
    int from = 0;
    while (true) {
      int begin = pem.indexOf(PEM_BEGIN, from);
      if (begin < 0) {
        break;
      }
      int labelStart = begin + PEM_BEGIN.length();
      int labelEnd = pem.indexOf(PEM_DASHES, labelStart);
      if (labelEnd < 0) {
        throw new CryptoException("malformed PEM header");
      }
      String label = pem.substring(labelStart, labelEnd);
      if (!label.equals(PEM_CERTIFICATE)) {
        throw new CryptoException("unexpected PEM block " + KeyAlgorithm.quote(label));
      }
      String footer = PEM_END + label + PEM_DASHES;
      int bodyStart = labelEnd + PEM_DASHES.length();
      int end = pem.indexOf(footer, bodyStart);
      if (end < 0) {
        throw new CryptoException("PEM block without " + footer);
      }
      byte[] der;
      try {
        // Line breaks and spaces are allowed between Base64 characters, nothing else: the
        // lenient MIME decoder would skip stray characters and accept a corrupted body.
        der = Base64.getDecoder().decode(WHITESPACE.matcher(pem.substring(bodyStart, end))
            .replaceAll(""));
      } catch (IllegalArgumentException e) {
        throw new CryptoException("malformed Base64 in PEM block", e);
      }
      certs.add(parseDer(der));
      from = end + footer.length();
    }
    if (certs.isEmpty()) {
      throw new CryptoException("no PEM certificate found");
    }
    return List.copyOf(certs);
  }

  /** The value of a subject attribute such as {@code "CN"} or {@code "O"}. */
  public static Optional<String> subjectAttribute(X509Certificate cert, String attributeType)
      throws CryptoException {
    return attribute(cert.getSubjectX500Principal(), attributeType);
  }

  /** The value of an issuer attribute such as {@code "CN"} or {@code "O"}. */
  public static Optional<String> issuerAttribute(X509Certificate cert, String attributeType)
      throws CryptoException {
    return attribute(cert.getIssuerX500Principal(), attributeType);
  }

  // The RFC 2253 form names the usual attributes by keyword (CN, O, OU, C, L, ST, ...) and
  // escapes special characters; LdapName parses it back without length limits, so the
  // reference's long "Measured-<hex>" organization names come through intact. When a type
  // occurs more than once, the first in encoding order wins, as with OpenSSL's
  // X509_NAME_get_text_by_NID that the reference uses.
  static Optional<String> attribute(X500Principal name, String attributeType)
      throws CryptoException {
    Objects.requireNonNull(attributeType, "attributeType");
    try {
      // getRdns() lists RDNs from the right of the string, which is the encoding order.
      for (Rdn rdn : new LdapName(name.getName(X500Principal.RFC2253)).getRdns()) {
        NamingEnumeration<? extends Attribute> attributes = rdn.toAttributes().getAll();
        while (attributes.hasMore()) {
          Attribute a = attributes.next();
          if (a.getID().equalsIgnoreCase(attributeType)) {
            if (!(a.get() instanceof String value)) {
              throw new CryptoException("attribute " + KeyAlgorithm.quote(attributeType)
                  + " is not a string");
            }
            return Optional.of(value);
          }
        }
      }
      return Optional.empty();
    } catch (NamingException e) {
      throw new CryptoException("malformed distinguished name", e);
    }
  }
}
