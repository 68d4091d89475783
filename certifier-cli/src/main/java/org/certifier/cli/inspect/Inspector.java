package org.certifier.cli.inspect;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.certifier.cli.InputException;
import org.certifier.cli.Inputs;
import org.certifier.cli.output.Facts;
import org.certifier.crypto.Certificates;
import org.certifier.crypto.CryptoException;
import org.certifier.evidence.VerificationException;
import org.certifier.proto.buffer_sequence;
import org.certifier.proto.certifiers_message;
import org.certifier.proto.environment;
import org.certifier.proto.evidence;
import org.certifier.proto.evidence_package;
import org.certifier.proto.key_message;
import org.certifier.proto.platform;
import org.certifier.proto.policy_store_entry;
import org.certifier.proto.policy_store_message;
import org.certifier.proto.properties;
import org.certifier.proto.property;
import org.certifier.proto.protected_blob_message;
import org.certifier.proto.signed_claim_message;
import org.certifier.proto.signed_claim_sequence;
import org.certifier.proto.trust_request_message;
import org.certifier.proto.trust_response_message;
import org.certifier.proto.vse_clause;
import org.certifier.protocol.Framing;
import org.certifier.verifiers.dcap.Quote;
import org.certifier.verifiers.dcap.collateral.QuoteCollateral;
import org.certifier.verifiers.sevsnp.SnpReport;

/**
 * Tells what a file of the system is and describes it, like the reference's print_* tools
 * (§5.1) for every kind of file at once: by trying each {@link FileKind} in order with strict
 * checks, or as the kind the user names.
 */
public final class Inspector {
  private static final int FRAME_HEADER = 4;
  private static final List<String> STATUS = List.of("succeeded", "failed");
  private static final List<Integer> MEASUREMENT_SIZES = List.of(32, 48);

  private final Instant now;

  public Inspector(Instant now) {
    this.now = now;
  }

  /** The facts of {@code bytes}, of the kind given or else the first kind that fits. */
  public Facts inspect(byte[] bytes, FileKind as) throws InputException {
    if (bytes.length == 0) {
      throw new InputException("the file is empty");
    }
    if (as != null) {
      try {
        return withType(as, describe(as, bytes));
      } catch (NotThisKind e) {
        throw new InputException("not a " + as.description() + ": " + e.getMessage());
      }
    }
    for (FileKind kind : FileKind.values()) {
      try {
        return withType(kind, describe(kind, bytes));
      } catch (NotThisKind e) {
        // not this kind; try the next one
      }
    }
    throw new InputException("not a file of the Certifier Framework that inspect knows ("
        + bytes.length + " bytes); known kinds: " + Arrays.toString(FileKind.values())
        + "; use --as KIND to see why a kind does not fit");
  }

  private static Facts withType(FileKind kind, Facts facts) {
    return new Facts().put("type", kind.description()).putAll(facts);
  }

  private Facts describe(FileKind kind, byte[] b) throws NotThisKind {
    return switch (kind) {
      case FRAMED -> framed(b);
      case CERTIFICATE -> certificates(b);
      case INTEL_QUOTE -> intelQuote(b);
      case SEV_SNP_REPORT -> snpReport(b);
      case INTEL_COLLATERAL -> intelCollateral(b);
      case TRUST_RESPONSE -> {
        trust_response_message r = Strict.parse(trust_response_message.parser(), b,
            "trust_response_message");
        Strict.require(STATUS.contains(r.getStatus()), "status is not succeeded or failed");
        yield EvidenceFacts.response(r, now);
      }
      case TRUST_REQUEST -> {
        trust_request_message r = Strict.parse(trust_request_message.parser(), b,
            "trust_request_message");
        Strict.require(!r.getSubmittedEvidenceType().isEmpty() && r.hasSupport(),
            "a trust request needs an evidence type and evidence");
        checkPackage(r.getSupport());
        yield EvidenceFacts.request(r, now);
      }
      case EVIDENCE_PACKAGE -> {
        evidence_package p = Strict.parse(evidence_package.parser(), b, "evidence_package");
        checkPackage(p);
        yield EvidenceFacts.evidencePackage(p, now);
      }
      case SIGNED_REPORT -> EvidenceFacts.report(EvidenceFacts.parseReport(b), now);
      case SIGNED_CLAIM -> ClaimFacts.of(ClaimFacts.parse(b), null, now);
      case POLICY -> policyFacts(b, null, now);
      case CERTIFICATE_LIST -> certificateList(b);
      case KEY -> {
        key_message k = Strict.parse(key_message.parser(), b, "key_message");
        Strict.require(KeyFacts.isKnownType(k.getKeyType()), "unknown key type");
        Strict.require(k.hasRsaKey() || k.hasEccKey() || k.hasSecretKeyBits(),
            "a key needs its key material");
        yield KeyFacts.of(k);
      }
      case CLAUSE -> {
        vse_clause c = Strict.parse(vse_clause.parser(), b, "vse_clause");
        Strict.require(StatementFacts.plausible(c), "a statement needs a subject and a verb");
        yield StatementFacts.clause(c);
      }
      case POLICY_STORE -> {
        policy_store_message s = Strict.parse(policy_store_message.parser(), b,
            "policy_store_message");
        Strict.require(s.getEntriesCount() > 0, "a policy store has entries");
        for (policy_store_entry e : s.getEntriesList()) {
          Strict.require(!e.getTag().isEmpty() && !e.getType().isEmpty(),
              "every store entry has a tag and a type");
        }
        yield StoreFacts.store(s, now);
      }
      case CERTIFIERS -> {
        certifiers_message m = Strict.parse(certifiers_message.parser(), b,
            "certifiers_message");
        Strict.require(m.getMyCertifiersCount() > 0 && m.getMyCertifiersList().stream()
            .allMatch(c -> !c.getDomainName().isEmpty()), "every entry names a domain");
        yield StoreFacts.certifiers(m, now);
      }
      case PROTECTED_BLOB -> {
        protected_blob_message p = Strict.parse(protected_blob_message.parser(), b,
            "protected_blob_message");
        Strict.require(!p.getEncryptedKey().isEmpty() && !p.getEncryptedData().isEmpty(),
            "a sealed blob has an encrypted key and encrypted data");
        yield StoreFacts.blob(p);
      }
      case PROPERTY -> {
        property p = Strict.parse(property.parser(), b, "property");
        Strict.require(StatementFacts.plausible(p), "a property has a name, a type and a value");
        yield StatementFacts.property(p);
      }
      case PROPERTIES -> {
        properties ps = Strict.parse(properties.parser(), b, "properties");
        Strict.require(ps.getPropsCount() > 0
            && ps.getPropsList().stream().allMatch(StatementFacts::plausible),
            "a properties file holds properties");
        yield StatementFacts.properties(ps);
      }
      case PLATFORM -> {
        platform p = Strict.parse(platform.parser(), b, "platform");
        Strict.require(StatementFacts.plausible(p), "a platform has a type");
        yield StatementFacts.platform(p);
      }
      case ENVIRONMENT -> {
        environment e = Strict.parse(environment.parser(), b, "environment");
        Strict.require(e.hasThePlatform() && StatementFacts.plausible(e.getThePlatform())
            && !e.getTheMeasurement().isEmpty(), "an environment has a platform and a"
            + " measurement");
        yield StatementFacts.environment(e);
      }
      case MEASUREMENT -> {
        Strict.require(MEASUREMENT_SIZES.contains(b.length), "measurements are 32 or 48 bytes");
        yield new Facts().put("size", b.length + " bytes")
            .put("measurement", HexFormat.of().formatHex(b));
      }
    };
  }

  /**
   * The facts of a policy file for {@code certifier policy show}: each statement with its
   * validity and signature, and with {@code policyKey} whether that key signed it.
   */
  public static Facts policy(byte[] bytes, key_message policyKey, Instant now)
      throws InputException {
    try {
      return withType(FileKind.POLICY, policyFacts(bytes, policyKey, now));
    } catch (NotThisKind e) {
      throw new InputException("not a policy file: " + e.getMessage());
    }
  }

  /**
   * A policy file: every block a signed claim. With {@code policyKey}, each claim also says
   * whether the policy key signed it.
   */
  private static Facts policyFacts(byte[] b, key_message policyKey, Instant now)
      throws NotThisKind {
    signed_claim_sequence s = Strict.parse(signed_claim_sequence.parser(), b,
        "signed_claim_sequence");
    Strict.require(s.getClaimsCount() > 0, "a policy holds signed claims");
    Facts f = new Facts().put("claims", s.getClaimsCount());
    List<Object> list = f.list("statements");
    for (signed_claim_message c : s.getClaimsList()) {
      ClaimFacts.parse(c.toByteArray());
      list.add(ClaimFacts.of(c, policyKey, now));
    }
    return f;
  }

  private static void checkPackage(evidence_package p) throws NotThisKind {
    Strict.require(p.getFactAssertionCount() > 0, "an evidence package holds evidence");
    for (evidence e : p.getFactAssertionList()) {
      Strict.require(!e.getEvidenceType().isEmpty(), "every evidence item has a type");
    }
  }

  private Facts framed(byte[] b) throws NotThisKind {
    Strict.require(b.length > FRAME_HEADER, "too short for a frame");
    long length = (b[0] & 0xffL) | (b[1] & 0xffL) << 8 | (b[2] & 0xffL) << 16
        | (b[3] & 0xffL) << 24;
    Strict.require(length == b.length - FRAME_HEADER && length <= Framing.MAX_FRAME,
        "the first 4 bytes are not the length of the rest");
    byte[] body = Arrays.copyOfRange(b, FRAME_HEADER, b.length);
    for (FileKind kind : FileKind.values()) {
      if (kind == FileKind.FRAMED || kind == FileKind.MEASUREMENT) {
        continue;
      }
      try {
        Facts inner = withType(kind, describe(kind, body));
        Facts f = new Facts().put("length", length);
        f.child("message").putAll(inner);
        return f;
      } catch (NotThisKind e) {
        // try the next kind
      }
    }
    throw new NotThisKind("the framed bytes are no message inspect knows");
  }

  /** A quote's fields, read and shown without checking any signature. */
  private static Facts intelQuote(byte[] b) throws NotThisKind {
    Quote q;
    try {
      q = Quote.parse(Inputs.rawOrHex(b));
    } catch (VerificationException e) {
      throw new NotThisKind(e.failure().code() + ": " + e.getMessage());
    }
    return new Facts().put("verified", "NO: inspect only reads the quote; its signatures, PCK"
        + " chain and TCB status are checked by certifier verify "
        + q.header().teeType().toString().toLowerCase(Locale.ROOT))
        .putAll(IntelFacts.quote(q))
        .putAll(IntelFacts.unverifiedPck(q));
  }

  private static Facts snpReport(byte[] b) throws NotThisKind {
    SnpReport r;
    try {
      r = SnpReport.parse(Inputs.rawOrHex(b));
    } catch (VerificationException e) {
      throw new NotThisKind(e.failure().code() + ": " + e.getMessage());
    }
    return new Facts().put("verified", "NO: inspect only reads the report; AMD's chain and"
        + " the signature are checked by certifier verify sev-snp")
        .putAll(SnpReportFacts.report(r));
  }

  private static Facts intelCollateral(byte[] b) throws NotThisKind {
    Strict.require(IntelFacts.looksLikeJson(b), "not a JSON object");
    QuoteCollateral c;
    try {
      c = QuoteCollateral.fromJson(new String(b, StandardCharsets.UTF_8));
    } catch (VerificationException e) {
      throw new NotThisKind(e.failure().code() + ": " + e.getMessage());
    }
    return new Facts().put("verified", "NO: inspect only reads the collateral; its signatures,"
        + " chains and validity are checked by certifier verify tdx|sgx --collateral")
        .putAll(IntelFacts.collateral(c));
  }

  private Facts certificates(byte[] b) throws NotThisKind {
    List<X509Certificate> certs;
    String encoding;
    try {
      if (b[0] == '-') {
        certs = Certificates.parsePem(new String(b, StandardCharsets.US_ASCII));
        encoding = "PEM";
      } else {
        certs = List.of(Certificates.parseDer(b));
        encoding = "DER";
      }
    } catch (CryptoException e) {
      throw new NotThisKind(e.getMessage());
    }
    Facts f = new Facts().put("encoding", encoding);
    if (certs.size() == 1) {
      return f.putAll(CertificateFacts.of(certs.get(0), now));
    }
    List<Object> list = f.list("certificates");
    for (X509Certificate c : certs) {
      list.add(CertificateFacts.of(c, now));
    }
    return f;
  }

  private Facts certificateList(byte[] b) throws NotThisKind {
    buffer_sequence s = Strict.parse(buffer_sequence.parser(), b, "buffer_sequence");
    Strict.require(s.getBlockCount() > 0, "an empty sequence");
    List<Object> list = new ArrayList<>();
    for (var block : s.getBlockList()) {
      try {
        list.add(CertificateFacts.summary(Certificates.parseDer(block.toByteArray())));
      } catch (CryptoException e) {
        throw new NotThisKind("a block is not a DER certificate");
      }
    }
    Facts f = new Facts().put("certificates", list.size());
    f.list("list").addAll(list);
    return f;
  }
}
