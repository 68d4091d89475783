package org.certifier.cli.policy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.certifier.cli.InputException;
import org.certifier.cli.clause.EntityFiles;
import org.certifier.cli.domain.DomainFiles;
import org.certifier.cli.platform.PlatformValues;
import org.certifier.crypto.KeyAlgorithm;
import org.certifier.crypto.KeyMessages;
import org.certifier.evidence.VerificationException;
import org.certifier.policy.Clauses;
import org.certifier.policy.Entities;
import org.certifier.policy.Equality;
import org.certifier.policy.Statements;
import org.certifier.policy.Verb;
import org.certifier.proto.entity_message;
import org.certifier.proto.key_message;
import org.certifier.proto.platform;
import org.certifier.proto.property;
import org.certifier.proto.vse_clause;
import org.certifier.protocol.MalformedMessageException;

/**
 * The readable policy file (docs/policy-file.md, DESIGN.md §4): YAML or JSON that names the
 * policy key, the trusted keys, measurements and platforms, and optionally raw statements;
 * read here into the statements "policyKey says ..." that {@link PolicyCommand} signs into the
 * reference's signed policy (§5.2 step 5). Files named in it are relative to it.
 */
final class PolicyFile {
  private static final Set<String> TOP = Set.of("policy-key", "policy-cert", "validity",
      "trusted-keys", "trusted-measurements", "platforms", "clauses");
  private static final Set<String> VALIDITY = Set.of("days", "not-before", "not-after");
  private static final Set<String> TRUSTED_KEY = Set.of("key-file", "certificate", "verb",
      "validity");
  private static final Set<String> MEASUREMENT = Set.of("hex", "file", "registers", "validity");
  private static final Set<String> PLATFORM = Set.of("type", "properties", "validity");
  private static final Set<String> PLATFORM_SPEC = Set.of("type", "properties");
  private static final Set<String> PROPERTY = Set.of("name", "type", "comparator", "value");
  private static final Set<String> CLAUSE = Set.of("file", "subject", "verb", "object",
      "clause", "validity");
  private static final Set<String> INNER_CLAUSE = Set.of("subject", "verb", "object",
      "clause");
  private static final Set<String> ENTITY = Set.of("key-file", "certificate", "measurement",
      "measurement-file", "registers", "platform", "environment");
  private static final Set<String> ENVIRONMENT = Set.of("platform", "measurement",
      "measurement-file");
  private static final long DEFAULT_DAYS = 365;
  private static final long MAX_DAYS = 100 * 365;

  /** One statement of the policy, what the policy key will say, and when it holds. */
  record Statement(vse_clause said, Instant notBefore, Instant notAfter) {}

  /** The policy key (private, from its key file) and the statements, in file order. */
  record Compiled(key_message policyKey, List<Statement> statements) {}

  private final Path dir;
  private final Instant now;

  private PolicyFile(Path dir, Instant now) {
    this.dir = dir;
    this.now = now;
  }

  /** Reads {@code file}; every mistake is an {@link InputException} naming field and line. */
  static Compiled read(Path file, Instant now) throws IOException, InputException {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(
          ByteBuffer.wrap(Files.readAllBytes(file))).toString();
    } catch (CharacterCodingException e) {
      throw new InputException(file + ": not a text file (UTF-8)", e);
    }
    Path dir = file.toAbsolutePath().getParent();
    return new PolicyFile(dir, now).compile(YamlValue.parse(text, file.toString()));
  }

  private Compiled compile(YamlValue root) throws InputException {
    YamlValue.Fields top = root.fields(TOP);
    YamlValue keyField = top.require("policy-key");
    key_message policyKey = policyKey(keyField);
    if (top.has("policy-cert")) {
      YamlValue certField = top.require("policy-cert");
      key_message certKey = read(certField, p -> DomainFiles.certificateKey(p));
      if (!Equality.sameKey(certKey, publicOf(keyField, policyKey))) {
        throw certField.error("the certificate is not the policy key's: its key is "
            + Statements.describe(certKey));
      }
    }
    Validity defaults = top.has("validity") ? validity(top.require("validity"))
        : new Validity(now, now.plus(Duration.ofDays(DEFAULT_DAYS)));
    List<Statement> out = new ArrayList<>();
    for (YamlValue item : listOf(top, "trusted-keys")) {
      YamlValue.Fields f = item.fields(TRUSTED_KEY);
      entity_message key = keyEntity(f);
      Verb verb = Verb.IS_TRUSTED_FOR_ATTESTATION;
      if (f.has("verb")) {
        YamlValue v = f.require("verb");
        verb = Verb.fromLabel(v.string()).filter(Verb::isTrust).orElseThrow(() -> v.error(
            "a trusted key's verb is is-trusted, is-trusted-for-attestation,"
                + " is-trusted-for-authentication or is-trusted-for-key-provision"));
      }
      out.add(statement(item, Clauses.unary(key, verb), f, defaults));
    }
    for (YamlValue item : listOf(top, "trusted-measurements")) {
      if (item.isScalar()) {
        out.add(statement(item, Clauses.unary(Entities.measurement(hex(item)),
            Verb.IS_TRUSTED), null, defaults));
        continue;
      }
      YamlValue.Fields f = item.fields(MEASUREMENT);
      out.add(statement(item, Clauses.unary(measurement(f, "hex", "file"), Verb.IS_TRUSTED), f,
          defaults));
    }
    for (YamlValue item : listOf(top, "platforms")) {
      YamlValue.Fields f = item.fields(PLATFORM);
      out.add(statement(item, Clauses.unary(Entities.platform(platform(f)),
          Verb.HAS_TRUSTED_PLATFORM_PROPERTY), f, defaults));
    }
    for (YamlValue item : listOf(top, "clauses")) {
      YamlValue.Fields f = item.fields(CLAUSE);
      vse_clause said;
      if (f.has("file")) {
        if (f.has("subject") || f.has("verb") || f.has("object") || f.has("clause")) {
          throw item.error("give either \"file\" or subject/verb/object/clause, not both");
        }
        said = read(f.require("file"), EntityFiles::clause);
      } else {
        said = clause(f);
      }
      out.add(statement(item, said, f, defaults));
    }
    if (out.isEmpty()) {
      throw root.error("the policy has no statements: add trusted-keys,"
          + " trusted-measurements, platforms or clauses");
    }
    return new Compiled(policyKey, out);
  }

  private record Validity(Instant notBefore, Instant notAfter) {}

  private Statement statement(YamlValue item, vse_clause said, YamlValue.Fields f,
      Validity defaults) throws InputException {
    try {
      Clauses.validate(said);
    } catch (VerificationException e) {
      throw item.error(e.getMessage());
    }
    Validity v = f != null && f.has("validity") ? validity(f.require("validity")) : defaults;
    return new Statement(said, v.notBefore(), v.notAfter());
  }

  private key_message policyKey(YamlValue field) throws InputException {
    key_message key = read(field, p -> DomainFiles.readMessage(key_message.parser(), p,
        "key file"));
    try {
      if (!KeyAlgorithm.fromKeyType(key.getKeyType()).isRsa()) {
        throw field.error("the policy key must be RSA: the reference service verifies policy"
            + " signatures with RSA only (§4.10)");
      }
      KeyMessages.toKeyPair(key);
    } catch (GeneralSecurityException e) {
      throw field.error("not a usable private key: " + e.getMessage());
    }
    return key;
  }

  private static key_message publicOf(YamlValue field, key_message key) throws InputException {
    try {
      return KeyMessages.publicPart(key);
    } catch (GeneralSecurityException e) {
      throw field.error(e.getMessage());
    }
  }

  private Validity validity(YamlValue v) throws InputException {
    YamlValue.Fields f = v.fields(VALIDITY);
    Instant notBefore = f.has("not-before") ? instant(f.require("not-before")) : now;
    Instant notAfter;
    if (f.has("days")) {
      if (f.has("not-after")) {
        throw v.error("give days or not-after, not both");
      }
      long days = f.require("days").integer(MAX_DAYS);
      if (days == 0) {
        throw f.require("days").error("must be at least 1");
      }
      notAfter = notBefore.plus(Duration.ofDays(days));
    } else if (f.has("not-after")) {
      notAfter = instant(f.require("not-after"));
    } else {
      throw v.error("give days, or not-after (and optionally not-before)");
    }
    if (!notAfter.isAfter(notBefore)) {
      throw v.error("not-after must be later than not-before");
    }
    return new Validity(notBefore, notAfter);
  }

  /** {@code 2027-01-01T00:00:00Z} or a date, {@code 2027-01-01}, meaning its start in UTC. */
  private static Instant instant(YamlValue v) throws InputException {
    String text = v.string();
    try {
      return text.length() == 10 ? LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC)
          : Instant.parse(text);
    } catch (DateTimeException e) {
      throw v.error("not a time: \"" + text + "\" (write 2027-01-01 or 2027-01-01T00:00:00Z)");
    }
  }

  private static List<YamlValue> listOf(YamlValue.Fields top, String name)
      throws InputException {
    return top.has(name) ? top.require(name).list() : List.of();
  }

  private entity_message keyEntity(YamlValue.Fields f) throws InputException {
    String which = f.oneOf("key-file", "certificate");
    YamlValue v = f.require(which);
    return "key-file".equals(which) ? read(v, EntityFiles::key)
        : read(v, EntityFiles::certificate);
  }

  private entity_message measurement(YamlValue.Fields f, String hexName, String fileName)
      throws InputException {
    String which = f.oneOf(hexName, fileName);
    YamlValue v = f.require(which);
    byte[] m = which.equals(hexName) ? hex(v) : read(v, Files::readAllBytes);
    if (m.length == 0) {
      throw v.error("the measurement is empty");
    }
    if (!f.has("registers")) {
      return Entities.measurement(m);
    }
    List<YamlValue> regs = f.require("registers").list();
    byte[] registers = new byte[regs.size()];
    for (int i = 0; i < registers.length; i++) {
      registers[i] = (byte) regs.get(i).integer(EntityFiles.MAX_REGISTER);
    }
    return Entities.measurement(m, registers);
  }

  private static byte[] hex(YamlValue v) throws InputException {
    String text = v.raw().strip();
    if (text.startsWith("0x")) {
      text = text.substring(2);
    }
    if (text.isEmpty()) {
      throw v.error("the measurement is empty");
    }
    try {
      return HexFormat.of().parseHex(text);
    } catch (IllegalArgumentException e) {
      throw v.error("not hex: \"" + text + "\" (an even number of 0-9 a-f digits)");
    }
  }

  private platform platform(YamlValue.Fields f) throws InputException {
    String type = f.require("type").string();
    List<property> props = null;
    if (f.has("properties")) {
      props = new ArrayList<>();
      for (YamlValue item : f.require("properties").list()) {
        props.add(property(item));
      }
    }
    try {
      return PlatformValues.platform(type, props);
    } catch (InputException e) {
      throw f.require("type").error(e.getMessage());
    }
  }

  /**
   * A property; its type is given or follows from the value: a YAML number ({@code 3},
   * {@code 0x1f}) is an int, text ({@code "no"}) a string.
   */
  private static property property(YamlValue item) throws InputException {
    YamlValue.Fields f = item.fields(PROPERTY);
    String name = f.require("name").string();
    YamlValue value = f.require("value");
    String type = f.has("type") ? f.require("type").string()
        : value.isInteger() ? PlatformValues.INT : PlatformValues.STRING;
    if (!PlatformValues.INT.equals(type) && !PlatformValues.STRING.equals(type)) {
      throw f.require("type").error("must be int or string, not \"" + type + "\"");
    }
    String comparator = PlatformValues.EQ;
    if (f.has("comparator")) {
      YamlValue c = f.require("comparator");
      try {
        comparator = PlatformValues.comparator(c.string());
      } catch (InputException e) {
        throw c.error(e.getMessage());
      }
      if (PlatformValues.STRING.equals(type) && PlatformValues.GE.equals(comparator)) {
        throw c.error("text values can only be compared with eq or in");
      }
      if (PlatformValues.INT.equals(type) && PlatformValues.IN.equals(comparator)) {
        throw c.error("in compares text values only");
      }
    }
    boolean isInt = PlatformValues.INT.equals(type);
    String text = isInt ? value.raw() : PlatformValues.IN.equals(comparator) ? set(value)
        : value.string();
    try {
      return PlatformValues.property(name, type, comparator, isInt ? text : null,
          isInt ? null : text);
    } catch (InputException e) {
      throw value.error(e.getMessage());
    }
  }

  /**
   * The accepted values of an {@code in} property: a list of texts (or one text), each
   * non-empty and without commas, joined with commas as the property carries them.
   */
  private static String set(YamlValue value) throws InputException {
    List<YamlValue> items = value.isScalar() ? List.of(value) : value.list();
    if (items.isEmpty()) {
      throw value.error("in needs at least one value");
    }
    List<String> texts = new ArrayList<>();
    for (YamlValue item : items) {
      String text = item.string();
      if (text.isEmpty() || text.contains(",")) {
        throw item.error("each value of in is non-empty text without commas");
      }
      texts.add(text);
    }
    return String.join(",", texts);
  }

  private vse_clause clause(YamlValue.Fields f) throws InputException {
    YamlValue verbField = f.require("verb");
    String label = verbField.string();
    Verb verb = Verb.fromLabel(label).orElseThrow(() -> verbField.error(
        "unknown verb \"" + label + "\""));
    entity_message subject = entity(f.require("subject"));
    YamlValue owner = f.owner();
    switch (verb) {
      case SAYS -> {
        if (!f.has("clause") || f.has("object")) {
          throw owner.error("\"says\" needs a clause and no object");
        }
        if (!Entities.KEY.equals(subject.getEntityType())) {
          throw f.require("subject").error("only a key can say something");
        }
        return Clauses.says(subject, clause(f.require("clause").fields(INNER_CLAUSE)));
      }
      case SPEAKS_FOR -> {
        if (!f.has("object") || f.has("clause")) {
          throw owner.error("\"speaks-for\" needs an object and no clause");
        }
        return Clauses.simple(subject, verb, entity(f.require("object")));
      }
      default -> {
        if (f.has("object") || f.has("clause")) {
          throw owner.error("\"" + verb + "\" takes no object and no clause");
        }
        return Clauses.unary(subject, verb);
      }
    }
  }

  private entity_message entity(YamlValue v) throws InputException {
    YamlValue.Fields f = v.fields(ENTITY);
    String which = f.oneOf("key-file", "certificate", "measurement", "measurement-file",
        "platform", "environment");
    if (f.has("registers") && !which.startsWith("measurement")) {
      throw f.require("registers").error("registers belong to a measurement");
    }
    return switch (which) {
      case "key-file", "certificate" -> keyEntity(f);
      case "measurement", "measurement-file" -> measurement(f, "measurement",
          "measurement-file");
      case "platform" -> Entities.platform(platform(f.require("platform")
          .fields(PLATFORM_SPEC)));
      default -> {
        YamlValue.Fields env = f.require("environment").fields(ENVIRONMENT);
        platform p = platform(env.require("platform").fields(PLATFORM_SPEC));
        String m = env.oneOf("measurement", "measurement-file");
        byte[] bytes = m.equals("measurement") ? hex(env.require(m))
            : read(env.require(m), Files::readAllBytes);
        yield Entities.environment(PlatformValues.environment(p, bytes));
      }
    };
  }

  /** Reads the file a field names, relative to the policy file; failures name the field. */
  private <T> T read(YamlValue field, Reader<T> reader) throws InputException {
    Path p = dir.resolve(field.string());
    try {
      return reader.read(p);
    } catch (NoSuchFileException e) {
      throw field.error("no such file: " + p);
    } catch (IOException e) {
      throw field.error("cannot read " + p + ": " + e.getMessage());
    } catch (GeneralSecurityException | MalformedMessageException | InputException e) {
      throw field.error(e.getMessage());
    }
  }

  @FunctionalInterface
  private interface Reader<T> {
    T read(Path p) throws IOException, GeneralSecurityException, MalformedMessageException,
        InputException;
  }
}
