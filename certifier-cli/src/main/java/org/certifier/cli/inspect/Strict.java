package org.certifier.cli.inspect;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.util.List;
import java.util.Map;
import org.certifier.protocol.MalformedMessageException;
import org.certifier.protocol.Messages;

/**
 * Strict protobuf parsing for telling file kinds apart. Protobuf parses many byte strings as
 * almost any message (all fields are optional and unknown fields are kept), and the reference's
 * messages reuse the same field numbers and wire types; so a kind is accepted only if the
 * bytes parse with no unknown field at any depth, and the caller then checks the fields that
 * kind must have.
 */
final class Strict {
  private Strict() {}

  static <T extends Message> T parse(Parser<T> parser, byte[] bytes, String what)
      throws NotThisKind {
    if (bytes.length == 0) {
      throw new NotThisKind("empty");
    }
    T message;
    try {
      message = Messages.parse(parser, bytes, what);
    } catch (MalformedMessageException e) {
      throw new NotThisKind(e.getMessage());
    }
    if (hasUnknownFields(message)) {
      throw new NotThisKind(what + ": fields that do not belong to it");
    }
    return message;
  }

  static void require(boolean condition, String what) throws NotThisKind {
    if (!condition) {
      throw new NotThisKind(what);
    }
  }

  private static boolean hasUnknownFields(Message m) {
    if (!m.getUnknownFields().asMap().isEmpty()) {
      return true;
    }
    for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
      if (e.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      if (e.getValue() instanceof List<?> items) {
        for (Object item : items) {
          if (hasUnknownFields((Message) item)) {
            return true;
          }
        }
      } else if (hasUnknownFields((Message) e.getValue())) {
        return true;
      }
    }
    return false;
  }
}
