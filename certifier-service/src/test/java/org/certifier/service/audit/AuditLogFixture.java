package org.certifier.service.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.certifier.service.DomainKeys;
import org.certifier.service.ReferenceDomain;
import org.certifier.service.store.AuditEntry;
import org.certifier.service.store.Database;
import org.certifier.service.store.DecisionRecord;
import org.certifier.service.store.JdbcServiceStore;
import org.certifier.transparency.LogVerificationException;

/** An audit log on a fresh embedded database of the reference domain, and raw SQL on it. */
final class AuditLogFixture implements AutoCloseable {
  static final Instant NOW = Instant.parse("2026-11-22T12:00:00.125Z");
  private static final String POLICY = "a".repeat(64);

  final DomainKeys keys;
  final Database database;
  final JdbcServiceStore store;
  final AuditLog log;

  AuditLogFixture(Path dir) throws Exception {
    keys = ReferenceDomain.keys();
    database = Database.embedded(dir);
    store = JdbcServiceStore.open(database, keys.certificate(), 4);
    log = AuditLog.signing(store, keys, ReferenceDomain.CLOCK);
  }

  static DecisionRecord rejection(int i) {
    return DecisionRecord.rejected(NOW.plusMillis(i), i % 2 == 0 ? "unknown-measurement"
        : "bad-signature", Optional.of(String.format("%064x", i)), Optional.of("10.0.0." + i),
        Optional.of(POLICY));
  }

  /** Appends entries until the log has {@code size}. */
  void growTo(long size) throws IOException {
    for (long i = store.auditSize(); i < size; i++) {
      store.record(rejection((int) i), Optional.empty());
    }
  }

  /** The whole log as exported, ready to be read back. */
  AuditExport.In export() throws IOException, LogVerificationException {
    StringWriter out = new StringWriter();
    log.export(0, store.auditSize(), out);
    return new AuditExport.In(new BufferedReader(new StringReader(out.toString())), "export");
  }

  /** Raw SQL with bound parameters, as an attacker with database access would do it. */
  int sql(String statement, Object... values) throws SQLException, IOException {
    // A read through the store first: the embedded store writes its rows behind the requests,
    // and the attacker alters what is in the database.
    store.auditSize();
    try (Connection c = DriverManager.getConnection(database.url(), database.user(),
        database.password()); PreparedStatement ps = c.prepareStatement(statement)) {
      for (int i = 0; i < values.length; i++) {
        ps.setObject(i + 1, values[i]);
      }
      return ps.executeUpdate();
    }
  }

  /** Rewrites entry {@code seq}'s failure code and, if asked, its leaf hash to match. */
  void alter(long seq, String failureCode, boolean recomputeLeafHash) throws Exception {
    sql("UPDATE audit_log SET failure_code = ? WHERE seq = ?", failureCode, seq);
    if (recomputeLeafHash) {
      DecisionRecord original = store.auditRows(seq, 1).getFirst().entry().orElseThrow()
          .decision();
      DecisionRecord altered = DecisionRecord.rejected(original.decidedAt(), failureCode,
          original.evidenceSha256(), original.requester(), original.policySha256());
      sql("UPDATE audit_log SET leaf_hash = ? WHERE seq = ?",
          new AuditEntry(seq, altered).leafHash(), seq);
    }
  }

  @Override
  public void close() {
    store.close();
  }
}
