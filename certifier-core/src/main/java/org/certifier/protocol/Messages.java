package org.certifier.protocol;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;

/**
 * Parses untrusted bytes into the reference messages with a clear error instead of protobuf's
 * exception zoo, and with a nesting bound (clauses are recursive) so hostile input cannot
 * exhaust the stack.
 */
public final class Messages {
  /** Deep enough for any clause the reference builds (says-nesting is at most a few levels). */
  private static final int MAX_NESTING = 64;

  private Messages() {}

  /**
   * Parses {@code bytes} as the message {@code what} names, e.g.
   * {@code Messages.parse(trust_request_message.parser(), bytes, "trust request")}.
   */
  public static <T extends MessageLite> T parse(Parser<T> parser, byte[] bytes, String what)
      throws MalformedMessageException {
    if (bytes == null) {
      throw new MalformedMessageException(what + ": missing");
    }
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      in.setRecursionLimit(MAX_NESTING);
      T message = parser.parseFrom(in);
      in.checkLastTagWas(0);
      return message;
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedMessageException(what + ": not a valid message (" + e.getMessage() + ")",
          e);
    } catch (RuntimeException e) {
      throw new MalformedMessageException(what + ": not a valid message", e);
    }
  }

  /** As {@link #parse(Parser, byte[], String)} for a protobuf {@code ByteString} field. */
  public static <T extends MessageLite> T parse(Parser<T> parser,
      com.google.protobuf.ByteString bytes, String what) throws MalformedMessageException {
    return parse(parser, bytes == null ? null : bytes.toByteArray(), what);
  }
}
