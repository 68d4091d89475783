package org.certifier.cli.inspect;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.certifier.cli.output.Facts;
import org.certifier.crypto.Certificates;
import org.certifier.crypto.CryptoException;
import org.certifier.proto.certifier_entry;
import org.certifier.proto.certifiers_message;
import org.certifier.proto.key_message;
import org.certifier.proto.policy_store_entry;
import org.certifier.proto.policy_store_message;
import org.certifier.proto.protected_blob_message;
import org.certifier.protocol.MalformedMessageException;
import org.certifier.protocol.Messages;

/**
 * The client's policy store (§4.5): the sealed file (sizes only), its unsealed content (keys
 * summarised, never their secrets) and the "all-certifiers" entry.
 */
final class StoreFacts {
  private StoreFacts() {}

  static Facts blob(protected_blob_message b) {
    return new Facts()
        .put("encrypted-key", b.getEncryptedKey().size() + " bytes")
        .put("encrypted-data", b.getEncryptedData().size() + " bytes")
        .put("note", "sealed by the enclave that wrote it; the contents cannot be shown here");
  }

  static Facts store(policy_store_message s, Instant now) {
    Facts f = new Facts();
    f.put("max-entries", s.getMaxEnts());
    List<Object> entries = f.list("entries");
    for (policy_store_entry e : s.getEntriesList()) {
      Facts entry = new Facts();
      entry.put("tag", e.getTag());
      entry.put("type", e.getType());
      entry.put("size", e.getValue().size() + " bytes");
      value(e, entry, now);
      entries.add(entry);
    }
    return f;
  }

  private static void value(policy_store_entry e, Facts entry, Instant now) {
    try {
      switch (e.getType()) {
        case "string" -> entry.put("value", e.getValue().toString(StandardCharsets.UTF_8));
        case "key" -> entry.child("key").putAll(KeyFacts.of(
            Messages.parse(key_message.parser(), e.getValue(), "key")));
        case "certifiers_message" -> entry.child("certifiers").putAll(certifiers(
            Messages.parse(certifiers_message.parser(), e.getValue(), "certifiers"), now));
        default -> {
          // other entry types are opaque to the store; their size is all we can say
        }
      }
    } catch (MalformedMessageException ex) {
      entry.put("problem", "unreadable (" + ex.getMessage() + ")");
    }
  }

  static Facts certifiers(certifiers_message m, Instant now) {
    Facts f = new Facts();
    List<Object> domains = f.list("domains");
    for (certifier_entry c : m.getMyCertifiersList()) {
      Facts d = new Facts();
      d.put("domain", c.getDomainName());
      d.put("service", c.getDomainHost() + ":" + c.getDomainPort());
      d.put("purpose", c.getPurpose());
      d.put("is-initialized", c.getIsInitialized());
      d.put("is-certified", c.getIsCertified());
      certificate(d, "policy-certificate", c.getDomainCert().toByteArray());
      if (c.hasAdmissionsCert()) {
        certificate(d, "admission-certificate", c.getAdmissionsCert().toByteArray());
      }
      if (c.hasPlatformRule()) {
        d.put("platform-rule", c.getPlatformRule().size() + " bytes");
      }
      domains.add(d);
    }
    return f;
  }

  private static void certificate(Facts f, String name, byte[] der) {
    try {
      f.child(name).putAll(CertificateFacts.summary(Certificates.parseDer(der)));
    } catch (CryptoException e) {
      f.put(name, der.length == 0 ? "none" : "unreadable (" + e.getMessage() + ")");
    }
  }
}
