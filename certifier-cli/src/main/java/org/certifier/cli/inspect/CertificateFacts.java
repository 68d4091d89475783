package org.certifier.cli.inspect;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;
import org.certifier.cli.output.Facts;
import org.certifier.crypto.Certificates;
import org.certifier.crypto.CryptoException;
import org.certifier.crypto.KeyMessages;
import org.certifier.policy.Statements;

/**
 * An X.509 certificate for people: names, serial, validity, key, the extensions, and the
 * measurement an admission certificate carries in {@code O=Measured-<hex>} (§2.5).
 */
final class CertificateFacts {
  private static final String MEASURED = "Measured-";
  private static final String[] KEY_USAGE = {"digitalSignature", "nonRepudiation",
      "keyEncipherment", "dataEncipherment", "keyAgreement", "keyCertSign", "cRLSign",
      "encipherOnly", "decipherOnly"};
  private static final Map<String, String> NAMES = Map.ofEntries(
      Map.entry("2.5.29.14", "subjectKeyIdentifier"),
      Map.entry("2.5.29.15", "keyUsage"),
      Map.entry("2.5.29.17", "subjectAltName"),
      Map.entry("2.5.29.19", "basicConstraints"),
      Map.entry("2.5.29.35", "authorityKeyIdentifier"),
      Map.entry("2.5.29.37", "extendedKeyUsage"),
      Map.entry("1.3.6.1.5.5.7.3.1", "serverAuth"),
      Map.entry("1.3.6.1.5.5.7.3.2", "clientAuth"),
      // AMD VCEK extensions (§6.1)
      Map.entry("1.3.6.1.4.1.3704.1.1", "AMD structVersion"),
      Map.entry("1.3.6.1.4.1.3704.1.2", "AMD productName"),
      Map.entry("1.3.6.1.4.1.3704.1.3.1", "AMD blSPL"),
      Map.entry("1.3.6.1.4.1.3704.1.3.2", "AMD teeSPL"),
      Map.entry("1.3.6.1.4.1.3704.1.3.3", "AMD snpSPL"),
      Map.entry("1.3.6.1.4.1.3704.1.3.8", "AMD ucodeSPL"),
      Map.entry("1.3.6.1.4.1.3704.1.4", "AMD hwID"));
  private static final String[] SAN_TYPES = {"other", "email", "DNS", "X400", "DirName",
      "EDI", "URI", "IP", "RID"};

  private CertificateFacts() {}

  /** Subject, issuer and validity: enough to recognise a certificate embedded elsewhere. */
  static Facts summary(X509Certificate cert) {
    Facts f = new Facts();
    f.put("subject", name(cert.getSubjectX500Principal()));
    f.put("issuer", name(cert.getIssuerX500Principal()));
    f.put("not-before", cert.getNotBefore().toInstant().toString());
    f.put("not-after", cert.getNotAfter().toInstant().toString());
    measurement(cert).ifPresent(m -> f.put("measurement", m));
    return f;
  }

  static Facts of(X509Certificate cert, Instant now) {
    Facts f = new Facts();
    f.put("subject", name(cert.getSubjectX500Principal()));
    f.put("issuer", name(cert.getIssuerX500Principal()));
    f.put("serial", cert.getSerialNumber() + " (0x" + cert.getSerialNumber().toString(16) + ")");
    Instant notBefore = cert.getNotBefore().toInstant();
    Instant notAfter = cert.getNotAfter().toInstant();
    f.put("not-before", notBefore.toString());
    f.put("not-after", notAfter.toString());
    f.put("validity-now", now.isBefore(notBefore) ? "not yet valid"
        : now.isAfter(notAfter) ? "expired" : "valid");
    f.put("signature-algorithm", cert.getSigAlgName());
    f.put("self-signed", selfSigned(cert));
    measurement(cert).ifPresent(m -> f.put("measurement", m));
    Facts key = f.child("key");
    key.put("algorithm", KeyFacts.algorithm(cert.getPublicKey()));
    key.put("fingerprint", KeyFacts.fingerprint(cert.getPublicKey()));
    try {
      key.put("principal", Statements.describe(KeyMessages.fromCertificate(cert)));
    } catch (CryptoException e) {
      key.put("principal", "none: " + e.getMessage());
    }
    extensions(cert, f);
    return f;
  }

  private static void extensions(X509Certificate cert, Facts f) {
    int pathLength = cert.getBasicConstraints();
    if (cert.getExtensionValue("2.5.29.19") != null) {
      f.put("basic-constraints", pathLength < 0 ? "not a CA"
          : "CA" + (pathLength == Integer.MAX_VALUE ? "" : ", path length " + pathLength));
    }
    boolean[] usage = cert.getKeyUsage();
    if (usage != null) {
      StringJoiner names = new StringJoiner(", ");
      for (int i = 0; i < usage.length && i < KEY_USAGE.length; i++) {
        if (usage[i]) {
          names.add(KEY_USAGE[i]);
        }
      }
      f.put("key-usage", names.toString());
    }
    try {
      List<String> eku = cert.getExtendedKeyUsage();
      if (eku != null) {
        f.put("extended-key-usage", String.join(", ", eku.stream()
            .map(oid -> NAMES.getOrDefault(oid, oid)).toList()));
      }
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      if (sans != null) {
        List<Object> list = f.list("subject-alt-names");
        for (List<?> san : sans) {
          int type = (Integer) san.get(0);
          list.add((type < SAN_TYPES.length ? SAN_TYPES[type] : "type " + type) + ":"
              + san.get(1));
        }
      }
    } catch (CertificateParsingException e) {
      f.put("extension-problem", e.getMessage());
    }
    List<Object> all = f.list("extensions");
    for (String oid : sorted(cert.getCriticalExtensionOIDs())) {
      all.add(NAMES.getOrDefault(oid, oid) + " (critical)");
    }
    for (String oid : sorted(cert.getNonCriticalExtensionOIDs())) {
      all.add(NAMES.getOrDefault(oid, oid));
    }
  }

  private static List<String> sorted(Set<String> oids) {
    List<String> list = new ArrayList<>(oids == null ? Set.of() : oids);
    list.sort(null);
    return list;
  }

  private static boolean selfSigned(X509Certificate cert) {
    if (!cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
      return false;
    }
    try {
      cert.verify(cert.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** The hex of {@code O=Measured-<hex>}, the measurement an admission certificate names. */
  private static Optional<String> measurement(X509Certificate cert) {
    try {
      return Certificates.subjectAttribute(cert, "O").filter(o -> o.startsWith(MEASURED))
          .map(o -> o.substring(MEASURED.length()));
    } catch (CryptoException e) {
      return Optional.empty();
    }
  }

  /** A distinguished name in encoding order, as OpenSSL prints it: {@code O=..., CN=...}. */
  static String name(X500Principal principal) {
    String rfc2253 = principal.getName(X500Principal.RFC2253);
    try {
      StringJoiner joined = new StringJoiner(", ");
      for (Rdn rdn : new LdapName(rfc2253).getRdns()) {
        joined.add(rdn.toString());
      }
      return joined.toString();
    } catch (InvalidNameException e) {
      return rfc2253;
    }
  }
}
