package org.certifier.verifiers.dcap.collateral;

import com.google.protobuf.ByteString;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.json.JsonReader;

/**
 * Typed, strict access to the members of one JSON object of Intel's collateral. Every member
 * must be read exactly once: {@link #done()} refuses members nobody asked for, so a field that
 * Intel adds in a future schema version is an error until we know what it means.
 */
final class Fields {
  // Intel PCS API v4: dates are "ISO 8601 standard (YYYY-MM-DDThh:mm:ssZ)", always UTC.
  private static final Pattern DATE =
      Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})Z");
  private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]{0,17})");

  private final JsonReader.Obj obj;
  private final String where;
  private final Set<String> read = new HashSet<>();

  private Fields(JsonReader.Obj obj, String where) {
    this.obj = obj;
    this.where = where;
  }

  /** The fields of the JSON object that is the whole of {@code json}. */
  static Fields parse(String json, String where) throws VerificationException {
    try {
      return of(JsonReader.parse(json), where);
    } catch (JsonReader.MalformedJsonException e) {
      throw malformed(where + ": " + e.getMessage());
    }
  }

  static Fields of(JsonReader.Value value, String where) throws VerificationException {
    if (!(value instanceof JsonReader.Obj obj)) {
      throw malformed(where + " is not a JSON object");
    }
    return new Fields(obj, where);
  }

  static VerificationException malformed(String detail) {
    return new VerificationException(Failure.MALFORMED_EVIDENCE, detail);
  }

  boolean has(String name) {
    return obj.members().containsKey(name);
  }

  JsonReader.Value value(String name) throws VerificationException {
    JsonReader.Value v = obj.members().get(name);
    if (v == null) {
      throw malformed(where + " has no \"" + name + "\"");
    }
    read.add(name);
    return v;
  }

  /** The raw object, for callers that need its position in the text. */
  JsonReader.Obj object(String name) throws VerificationException {
    if (!(value(name) instanceof JsonReader.Obj o)) {
      throw malformed(where + "." + name + " is not an object");
    }
    return o;
  }

  Fields fields(String name) throws VerificationException {
    return of(value(name), where + "." + name);
  }

  String string(String name) throws VerificationException {
    if (!(value(name) instanceof JsonReader.Str s)) {
      throw malformed(where + "." + name + " is not a string");
    }
    return s.value();
  }

  /** An integer written without fraction or exponent, within {@code [min, max]}. */
  long integer(String name, long min, long max) throws VerificationException {
    if (!(value(name) instanceof JsonReader.Num n) || !INTEGER.matcher(n.text()).matches()) {
      throw malformed(where + "." + name + " is not an integer");
    }
    long v = Long.parseLong(n.text());
    if (v < min || v > max) {
      throw malformed(where + "." + name + " = " + v + " is outside " + min + ".." + max);
    }
    return v;
  }

  int u8(String name) throws VerificationException {
    return (int) integer(name, 0, 0xFF);
  }

  int u16(String name) throws VerificationException {
    return (int) integer(name, 0, 0xFFFF);
  }

  /** A hex string (either case) of exactly {@code bytes} bytes. */
  ByteString hex(String name, int bytes) throws VerificationException {
    return ByteString.copyFrom(hexBytes(string(name), bytes, where + "." + name));
  }

  static byte[] hexBytes(String text, int bytes, String what) throws VerificationException {
    if (text.length() != 2 * bytes) {
      throw malformed(what + " is not " + bytes + " bytes of hex");
    }
    try {
      return HexFormat.of().parseHex(text);
    } catch (IllegalArgumentException e) {
      throw malformed(what + " is not hex");
    }
  }

  Instant date(String name) throws VerificationException {
    String text = string(name);
    Matcher m = DATE.matcher(text);
    if (!m.matches()) {
      throw malformed(where + "." + name + " is not a YYYY-MM-DDThh:mm:ssZ date");
    }
    try {
      return LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
          Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)),
          Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6))).toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      throw malformed(where + "." + name + " is an impossible date");
    }
  }

  List<JsonReader.Value> array(String name) throws VerificationException {
    if (!(value(name) instanceof JsonReader.Arr a)) {
      throw malformed(where + "." + name + " is not an array");
    }
    return a.elements();
  }

  /** A status of a TCB level, one of {@code allowed}. */
  TcbStatus status(String name, Set<TcbStatus> allowed) throws VerificationException {
    String text = string(name);
    Optional<TcbStatus> status = TcbStatus.fromJsonName(text);
    if (status.isEmpty() || !allowed.contains(status.get())) {
      throw malformed(where + "." + name + " \"" + abbreviate(text)
          + "\" is not a status allowed here");
    }
    return status.get();
  }

  /** The optional {@code advisoryIDs}: distinct, non-empty strings. */
  List<String> advisoryIds() throws VerificationException {
    if (!has("advisoryIDs")) {
      return List.of();
    }
    Set<String> ids = new LinkedHashSet<>();
    for (JsonReader.Value v : array("advisoryIDs")) {
      if (!(v instanceof JsonReader.Str s) || s.value().isBlank() || !ids.add(s.value())) {
        throw malformed(where + ".advisoryIDs holds an empty, repeated or non-string id");
      }
    }
    return List.copyOf(ids);
  }

  /** Refuses members that were never read. */
  void done() throws VerificationException {
    List<String> unknown = new ArrayList<>();
    for (String name : obj.members().keySet()) {
      if (!read.contains(name)) {
        unknown.add(abbreviate(name));
      }
    }
    if (!unknown.isEmpty()) {
      throw malformed(where + " has unknown members " + unknown);
    }
  }

  static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
