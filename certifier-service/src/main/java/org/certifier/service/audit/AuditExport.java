package org.certifier.service.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.util.HexFormat;
import java.util.Optional;
import org.certifier.service.store.AuditRow;
import org.certifier.transparency.FieldText;
import org.certifier.transparency.LogFailure;
import org.certifier.transparency.LogVerificationException;

/**
 * The audit rows as an auditor takes them away ({@code certifier audit export}): every row as
 * stored, altered or not, so that the offline verifier, not the exporter, judges them. Text,
 * one line each, read and written as a stream (a log may be large):
 *
 * <pre>
 *   certifier-audit-export v1
 *   first FIRST-SEQ
 *   row SEQ STORED-LEAF-HASH ENTRY     (ENTRY: the canonical bytes in hex, or "-" when the
 *   ...                                 row's columns form no valid entry)
 *   rows COUNT
 * </pre>
 *
 * The closing count tells a cut-off file from a log with missing rows.
 */
public final class AuditExport {
  private static final String HEADER = "certifier-audit-export v1";
  private static final HexFormat HEX = HexFormat.of();

  private AuditExport() {}

  /** A row as exported: the leaf hash the database held, and the entry bytes if any. */
  public record Row(long seq, String storedLeafHash, Optional<byte[]> entry) {}

  /** Writes rows as they come; {@link #finish()} writes the closing count. */
  public static final class Out {
    private final Writer out;
    private long rows;

    public Out(Writer out, long firstSeq) throws IOException {
      this.out = out;
      out.write(HEADER + "\nfirst " + firstSeq + "\n");
    }

    public void write(AuditRow row) throws IOException {
      // A stored value may be anything after tampering; keep it one token on one line.
      String stored = row.storedLeafHash() == null ? "-"
          : row.storedLeafHash().replaceAll("[^0-9a-f]", "?");
      out.write("row " + row.seq() + " " + (stored.isEmpty() ? "-" : stored) + " "
          + row.entry().map(e -> HEX.formatHex(e.canonicalBytes())).orElse("-") + "\n");
      rows++;
    }

    public void finish() throws IOException {
      out.write("rows " + rows + "\n");
      out.flush();
    }
  }

  /** Reads an export row by row; every mistake is {@link LogFailure#MALFORMED}. */
  public static final class In {
    private final BufferedReader in;
    private final String what;
    private final long first;
    private long rows;
    private long line = 2;
    private boolean done;

    public In(BufferedReader in, String what) throws IOException, LogVerificationException {
      this.in = in;
      this.what = what;
      if (!HEADER.equals(in.readLine())) {
        throw malformed(1, "does not start with \"" + HEADER + "\"");
      }
      String firstLine = in.readLine();
      if (firstLine == null || !firstLine.startsWith("first ")) {
        throw malformed(2, "expected the field first");
      }
      this.first = FieldText.number(what + ": first", firstLine.substring(6));
    }

    /** The sequence number the export starts at. */
    public long first() {
      return first;
    }

    /** The next row, or empty after the closing count (which must match). */
    public Optional<Row> next() throws IOException, LogVerificationException {
      if (done) {
        return Optional.empty();
      }
      String text = in.readLine();
      line++;
      if (text == null) {
        throw malformed(line, "ends without its closing \"rows\" line: the file is cut off");
      }
      if (text.startsWith("rows ")) {
        if (FieldText.number(what + ": rows", text.substring(5)) != rows) {
          throw malformed(line, "says " + text.substring(5) + " rows, has " + rows);
        }
        if (in.readLine() != null) {
          throw malformed(line + 1, "text after the closing \"rows\" line");
        }
        done = true;
        return Optional.empty();
      }
      String[] parts = text.split(" ", -1);
      if (parts.length != 4 || !parts[0].equals("row")) {
        throw malformed(line, "expected \"row SEQ LEAF-HASH ENTRY\"");
      }
      long seq = FieldText.number(what + ": line " + line + ": seq", parts[1]);
      Optional<byte[]> entry = parts[3].equals("-") ? Optional.empty()
          : Optional.of(FieldText.hex(what + ": line " + line + ": entry", parts[3]));
      rows++;
      return Optional.of(new Row(seq, parts[2], entry));
    }

    private LogVerificationException malformed(long at, String detail) {
      return new LogVerificationException(LogFailure.MALFORMED, what + ": line " + at + ": "
          + detail);
    }
  }
}
