package org.certifier.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.certifier.proto.vse_clause;

/**
 * A set of statements under {@link Equality#sameClause}, hashed by {@link Fingerprints} so that
 * membership stays cheap with ten thousand policy statements (Go scans the list, §3.6).
 */
final class StatementSet {
  private final Map<Integer, List<vse_clause>> buckets = new HashMap<>();

  /** Adds {@code c}; false if an equal statement is already present. */
  boolean add(vse_clause c) {
    List<vse_clause> bucket = buckets.computeIfAbsent(Fingerprints.clause(c), k -> new ArrayList<>(1));
    for (vse_clause d : bucket) {
      if (Equality.sameClause(c, d)) {
        return false;
      }
    }
    bucket.add(c);
    return true;
  }

  boolean contains(vse_clause c) {
    for (vse_clause d : buckets.getOrDefault(Fingerprints.clause(c), List.of())) {
      if (Equality.sameClause(c, d)) {
        return true;
      }
    }
    return false;
  }
}
