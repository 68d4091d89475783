package org.certifier.transparency;

import java.util.Locale;

/**
 * The closed set of reasons a log, a tree head or a proof does not verify. Tests and tools act
 * on these constants, never on message text. (Not {@code org.certifier.evidence.Failure}: that
 * is the vocabulary of certification answers on the wire; these are an auditor's findings.)
 */
public enum LogFailure {
  /** A tree head, proof or export does not parse: bad header, field, length or hex. */
  MALFORMED,
  /** The tree head is not from this log: its log id is not the policy key's. */
  WRONG_LOG,
  /** The tree head names a signature algorithm other than the one the policy key signs with. */
  WRONG_ALGORITHM,
  /** The tree head's signature does not verify under the policy certificate's key. */
  BAD_SIGNATURE,
  /** A proof is for another tree size or index than the tree heads it is checked against. */
  SIZE_MISMATCH,
  /** The inclusion proof does not lead from the entry's leaf hash to the tree head's root. */
  NOT_INCLUDED,
  /** The consistency proof does not show the newer tree extends the older one. */
  INCONSISTENT,
  /** An entry's content no longer hashes to the leaf hash recorded for it. */
  ENTRY_ALTERED,
  /** An entry is missing: the sequence numbers have a gap, or the log is shorter than a head. */
  ENTRY_MISSING,
  /** An entry is out of place: its sequence number is not the position it is found at. */
  ENTRY_OUT_OF_ORDER,
  /** The entries do not hash to the root the tree head signed. */
  ROOT_MISMATCH;

  /** Stable kebab-case code, e.g. {@code root-mismatch}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
