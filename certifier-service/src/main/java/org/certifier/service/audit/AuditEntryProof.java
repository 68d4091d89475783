package org.certifier.service.audit;

import org.certifier.service.store.AuditEntry;
import org.certifier.transparency.FieldText;
import org.certifier.transparency.InclusionProof;
import org.certifier.transparency.LogFailure;
import org.certifier.transparency.LogVerificationException;

/**
 * An audit entry with the proof that it is in the log: the file {@code certifier audit prove}
 * writes. Text, in the form of {@link FieldText}: the header
 * {@code certifier-audit-inclusion-proof v1}, then {@code entry} (the entry's canonical bytes,
 * hex), {@code leaf-index}, {@code tree-size} and one {@code path} line per hash, leaf to root.
 */
public record AuditEntryProof(AuditEntry entry, InclusionProof proof) {
  private static final String HEADER = "certifier-audit-inclusion-proof v1";

  public AuditEntryProof {
    if (entry.seq() != proof.leafIndex()) {
      throw new IllegalArgumentException("entry " + entry.seq() + " is the leaf of that index,"
          + " not " + proof.leafIndex());
    }
  }

  public String toText() {
    FieldText.Writer out = new FieldText.Writer(HEADER).put("entry", entry.canonicalBytes());
    proof.write(out);
    return out.toString();
  }

  /** Reads what {@link #toText()} wrote; {@code what} names the input in messages. */
  public static AuditEntryProof parse(String text, String what) throws LogVerificationException {
    FieldText.Reader in = new FieldText.Reader(text, HEADER, what);
    AuditEntry entry = AuditEntry.parse(in.hex("entry"));
    InclusionProof proof = InclusionProof.read(in);
    in.end();
    if (entry.seq() != proof.leafIndex()) {
      throw new LogVerificationException(LogFailure.ENTRY_OUT_OF_ORDER, what + ": entry "
          + entry.seq() + " is presented as the leaf at index " + proof.leafIndex());
    }
    return new AuditEntryProof(entry, proof);
  }
}
