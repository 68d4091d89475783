package org.certifier.cli.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.certifier.service.audit.AuditEntryProof;
import org.certifier.transparency.ConsistencyProof;
import org.certifier.transparency.LogFailure;
import org.certifier.transparency.LogVerificationException;
import org.certifier.transparency.SignedTreeHead;

/** Reads the auditor's small files: tree heads and proofs, ASCII text of bounded size. */
final class AuditFiles {
  /** Far above any tree head or proof (a 63-hash path and a large entry). */
  private static final long MAX_SIZE = 1 << 20;

  private AuditFiles() {}

  static SignedTreeHead treeHead(Path file) throws IOException, LogVerificationException {
    return SignedTreeHead.parse(text(file), "tree head " + file);
  }

  static AuditEntryProof entryProof(Path file) throws IOException, LogVerificationException {
    return AuditEntryProof.parse(text(file), "inclusion proof " + file);
  }

  static ConsistencyProof consistencyProof(Path file)
      throws IOException, LogVerificationException {
    return ConsistencyProof.parse(text(file), "consistency proof " + file);
  }

  private static String text(Path file) throws IOException, LogVerificationException {
    if (Files.size(file) > MAX_SIZE) {
      throw new LogVerificationException(LogFailure.MALFORMED, file + " is larger than any"
          + " tree head or proof");
    }
    try {
      return StandardCharsets.US_ASCII.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
    } catch (CharacterCodingException e) {
      throw new LogVerificationException(LogFailure.MALFORMED, file + " is not ASCII text");
    }
  }
}
