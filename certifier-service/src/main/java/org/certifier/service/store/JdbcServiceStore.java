package org.certifier.service.store;

import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;

/**
 * The {@link ServiceStore} on a relational database through plain JDBC: the embedded H2 file by
 * default, PostgreSQL for replicas sharing one store. The schema is created and upgraded by the
 * versioned migrations in {@code db/migration} (Flyway) when the store is opened; every statement
 * is a prepared statement with bound parameters.
 */
public final class JdbcServiceStore implements ServiceStore {
  /** The service's requests are CPU-bound; a few connections keep both cores busy. */
  public static final int DEFAULT_CONNECTIONS = 8;
  static final String DOMAIN_KEY = "domain-policy-cert-sha256";
  /** A waiter for the audit log's lock gives up after this long instead of hanging. */
  private static final int LOCK_TIMEOUT_MILLIS = 10_000;
  /**
   * H2's own default: committed changes reach its file within half a second, batched. Records
   * are durable through the journal meanwhile; other writes force H2 themselves.
   */
  private static final int H2_WRITE_DELAY_MILLIS = 500;
  /**
   * The embedded store takes serials from its sequence in blocks of this many (the sequence
   * steps by it), so a certification runs no query for its serial. Stores sharing the file get
   * disjoint blocks; numbers of a block left unused when the process ends are skipped. A
   * serial is never handed out twice: after a crash, replay moves the sequence past every
   * recorded one ({@link #advanceSerials}), and one that was taken but not recorded was never
   * sent to anyone.
   */
  static final int SERIAL_BLOCK = 64;
  private static final System.Logger LOG = System.getLogger(JdbcServiceStore.class.getName());

  private final Database database;
  private final ConnectionPool pool;
  private final Metadata metadata;
  /** Forces H2 ({@code CHECKPOINT SYNC}), for the rare writes that are not journaled. */
  private final GroupSync<SQLException> durability;
  /** The embedded database's journal; PostgreSQL has its own write-ahead log. */
  private final Optional<EmbeddedJournal> journal;
  /** Closing twice must not release the shared journal twice. */
  private final AtomicBoolean closed = new AtomicBoolean();
  /** The embedded store's current block of serials, [nextSerial, serialBlockEnd). */
  private final ReentrantLock serialLock = new ReentrantLock();
  private long nextSerial;
  private long serialBlockEnd;

  private JdbcServiceStore(Database database, ConnectionPool pool, Metadata metadata,
      Optional<EmbeddedJournal> journal) {
    this.database = database;
    this.pool = pool;
    this.metadata = metadata;
    this.durability = new GroupSync<>(() -> syncEmbedded(pool, database),
        e -> new SQLException("interrupted while waiting for the store to sync", e));
    this.journal = journal;
  }

  /**
   * Opens the store of the domain whose policy certificate is {@code domain}: migrates the
   * schema to the newest version, then binds an empty store to the domain, or refuses a store
   * that belongs to another.
   *
   * <p>The embedded database's journal is replayed first: records it holds that H2 lost (a
   * crash before H2 wrote them) are written again, and the serial sequence is moved past every
   * recorded serial.
   *
   * @throws WrongDomainException if the store belongs to another domain
   * @throws CorruptJournalException if the embedded journal is damaged or contradicts the
   *     database where acknowledged records could be lost
   * @throws StoreException if the database cannot be reached or migrated
   */
  public static JdbcServiceStore open(Database database, X509Certificate domain,
      int connections) throws IOException {
    String domainSha256;
    try {
      domainSha256 = Hex.sha256(domain.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new StoreException("cannot encode the policy certificate: " + e.getMessage(), e);
    }
    String schemaVersion = migrate(database);
    ConnectionPool pool = new ConnectionPool(database, connections, sessionSetup(database));
    Optional<EmbeddedJournal> journal = Optional.empty();
    try {
      if (database.isEmbedded()) {
        // The setting persists in the file: set it on every open (earlier versions used 0).
        pool.autoCommit(c -> execute(c, "SET WRITE_DELAY " + H2_WRITE_DELAY_MILLIS));
        // Also set on every open: the step is what makes blocks disjoint (SERIAL_BLOCK).
        pool.autoCommit(c -> execute(c, "ALTER SEQUENCE certificate_serial INCREMENT BY "
            + SERIAL_BLOCK));
      }
      bindDomain(pool, database, domainSha256);
      if (database.isEmbedded()) {
        journal = Optional.of(EmbeddedJournal.acquire(database.journalDirectory(),
            contents -> replay(pool, database, contents),
            () -> new DatabaseWriter(new ConnectionPool(database, 1, sessionSetup(database)),
                database)));
      }
    } catch (SQLException e) {
      pool.close();
      throw failure("cannot open the store at " + database.redactedUrl(), e);
    } catch (IOException | RuntimeException e) {
      pool.close();
      throw e;
    }
    return new JdbcServiceStore(database, pool, new Metadata(schemaVersion, domainSha256),
        journal);
  }

  /**
   * Writes the journal's records that H2 lacks, in order, checking those it has; then moves
   * the serial sequence past every recorded serial and forces H2, after which the journal may
   * start afresh. Runs before anything else uses the database.
   *
   * @return the size of the audit log afterwards
   */
  private static long replay(ConnectionPool pool, Database database, Journal.Contents contents)
      throws IOException {
    List<Journal.Frame> frames = contents.frames();
    for (Journal.Damage damage : contents.damage()) {
      if (damage.framesBefore() == frames.size()) {
        throw new CorruptJournalException("the journal is damaged at " + damage + " and no"
            + " intact record follows, so nothing shows which records were there; refusing to"
            + " start (docs/operations.md, \"The journal\")");
      }
    }
    try {
      long size = pool.autoCommit(JdbcServiceStore::storedAuditSize);
      long previous = -1;
      int replayed = 0;
      for (int i = 0; i < frames.size(); i++) {
        Journal.Frame frame = frames.get(i);
        JournalEntry record;
        try {
          record = JournalEntry.decode(frame.payload());
        } catch (IllegalArgumentException e) {
          throw new CorruptJournalException("the journal record at " + frame.segment()
              + " byte " + frame.offset() + " passed its checksum but is not a record ("
              + e.getMessage() + "); refusing to start");
        }
        long seq = record.entry().seq();
        if (seq <= previous) {
          throw new CorruptJournalException("the journal record at " + frame.segment()
              + " byte " + frame.offset() + " holds audit entry " + seq + " after entry "
              + previous + "; refusing to start");
        }
        previous = seq;
        if (seq > size) {
          int index = i;
          String where = contents.damage().stream().filter(d -> d.framesBefore() == index)
              .map(d -> "the journal is damaged at " + d + ", where they were")
              .findFirst().orElse("the database lost more than its last checkpoint");
          throw new CorruptJournalException("audit entries " + size + " to " + (seq - 1)
              + " are neither in the database nor in the journal (" + where + "):"
              + " acknowledged records may be lost; refusing to start (docs/operations.md,"
              + " \"The journal\")");
        }
        if (seq < size) {
          Optional<String> difference = pool.autoCommit(c -> differenceFrom(c, record));
          if (difference.isPresent()) {
            throw new CorruptJournalException("audit entry " + seq + " in the database differs"
                + " from the journal's (" + difference.get() + "); refusing to start");
          }
          continue;
        }
        pool.transaction(c -> insertRecords(c, List.of(record)));
        size = seq + 1;
        replayed++;
      }
      pool.autoCommit(JdbcServiceStore::advanceSerials);
      syncEmbedded(pool, database);
      if (replayed > 0) {
        LOG.log(System.Logger.Level.WARNING, "replayed {0} journal records the database had"
            + " lost (audit entries up to {1})", replayed, size - 1);
      }
      return size;
    } catch (SQLException e) {
      throw failure("cannot replay the journal into the database", e);
    }
  }

  private static long storedAuditSize(Connection c) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(
        "SELECT size FROM audit_head WHERE id = 1");
        ResultSet rs = select.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** How the database's copy of a journaled record differs from it, if it does. */
  private static Optional<String> differenceFrom(Connection c, JournalEntry record)
      throws SQLException {
    try (PreparedStatement select = c.prepareStatement(
        "SELECT leaf_hash FROM audit_log WHERE seq = ?")) {
      select.setLong(1, record.entry().seq());
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          return Optional.of("the database has no row for it");
        }
        if (!rs.getString(1).equals(record.entry().leafHash())) {
          return Optional.of("another leaf hash");
        }
      }
    }
    if (record.issued().isPresent()) {
      try (PreparedStatement select = c.prepareStatement(
          "SELECT certificate FROM issued_certificate WHERE serial = ?")) {
        select.setLong(1, record.issued().get().serial().longValueExact());
        try (ResultSet rs = select.executeQuery()) {
          if (!rs.next() || !Arrays.equals(rs.getBytes(1),
              record.issued().get().certificate())) {
            return Optional.of("its certificate is missing or another one");
          }
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Moves the serial sequence past the highest recorded serial. H2 may lose the sequence's
   * last steps in a crash (it writes them with its delay), while the certificates issued with
   * them are recorded through the journal; a serial must never be handed out twice.
   */
  private static int advanceSerials(Connection c) throws SQLException {
    long highest;
    try (PreparedStatement select = c.prepareStatement(
        "SELECT COALESCE(MAX(serial), 0) FROM issued_certificate");
        ResultSet rs = select.executeQuery()) {
      rs.next();
      highest = rs.getLong(1);
    }
    long next;
    try (PreparedStatement select = c.prepareStatement("SELECT nextval('certificate_serial')");
        ResultSet rs = select.executeQuery()) {
      rs.next();
      next = rs.getLong(1);
    }
    if (next > highest) {
      return 0;
    }
    // A number, not a bound value: H2 takes no parameter here.
    return execute(c, "ALTER SEQUENCE certificate_serial RESTART WITH " + (highest + 1));
  }

  private static List<String> sessionSetup(Database database) {
    return List.of(database.isEmbedded()
        ? "SET LOCK_TIMEOUT " + LOCK_TIMEOUT_MILLIS
        : "SET lock_timeout = " + LOCK_TIMEOUT_MILLIS);
  }

  private static String migrate(Database database) throws StoreException {
    try {
      Flyway flyway = Flyway.configure(JdbcServiceStore.class.getClassLoader())
          .dataSource(database.url(), database.user(), database.password())
          .locations("classpath:db/migration")
          .failOnMissingLocations(true)
          .load();
      flyway.migrate();
      MigrationInfo current = flyway.info().current();
      if (current == null) {
        throw new StoreException("no schema in " + database.redactedUrl() + " after migration");
      }
      return current.getVersion().getVersion();
    } catch (FlywayException e) {
      throw new StoreException("cannot migrate the store at " + database.redactedUrl() + ": "
          + e.getMessage(), e);
    }
  }

  /** Claims an empty store for the domain; several replicas may race to do it at once. */
  private static void bindDomain(ConnectionPool pool, Database database, String domainSha256)
      throws SQLException, WrongDomainException {
    Optional<String> owner = pool.autoCommit(c -> metadataValue(c, DOMAIN_KEY));
    if (owner.isEmpty()) {
      try {
        pool.autoCommit(c -> {
          try (PreparedStatement insert = c.prepareStatement(
              "INSERT INTO service_metadata (name, text_value) VALUES (?, ?)")) {
            insert.setString(1, DOMAIN_KEY);
            insert.setString(2, domainSha256);
            return insert.executeUpdate();
          }
        });
        syncEmbedded(pool, database);
        return;
      } catch (SQLException e) {
        if (!isDuplicate(e)) {
          throw e;
        }
        owner = pool.autoCommit(c -> metadataValue(c, DOMAIN_KEY));
      }
    }
    if (!owner.orElseThrow().equals(domainSha256)) {
      throw new WrongDomainException("the store at " + database.redactedUrl()
          + " belongs to the domain whose policy certificate has SHA-256 " + owner.get()
          + ", not to this one (" + domainSha256 + "); refusing to mix two domains' state");
    }
  }

  private static Optional<String> metadataValue(Connection c, String name) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(
        "SELECT text_value FROM service_metadata WHERE name = ?")) {
      select.setString(1, name);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  @Override
  public BigInteger next() throws IOException {
    if (!database.isEmbedded()) {
      return BigInteger.valueOf(nextFromSequence());
    }
    serialLock.lock();
    try {
      if (nextSerial == serialBlockEnd) {
        nextSerial = nextFromSequence();
        serialBlockEnd = nextSerial + SERIAL_BLOCK;
      }
      BigInteger serial = BigInteger.valueOf(nextSerial++);
      journal.orElseThrow().handedOut(serial);
      return serial;
    } finally {
      serialLock.unlock();
    }
  }

  private long nextFromSequence() throws IOException {
    try {
      return pool.autoCommit(c -> {
        try (PreparedStatement select = c.prepareStatement(
            "SELECT nextval('certificate_serial')");
            ResultSet rs = select.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      });
    } catch (SQLException e) {
      throw failure("cannot take a serial number", e);
    }
  }

  @Override
  public AuditEntry record(DecisionRecord decision, Optional<IssuedCertificate> issued)
      throws IOException {
    if (issued.isPresent() && !decision.serial().equals(Optional.of(issued.get().serial()))) {
      throw new IllegalArgumentException("the audit entry must name the issued serial");
    }
    if (journal.isPresent()) {
      EmbeddedJournal records = journal.get();
      AuditEntry entry = records.append(decision, issued, this::serialRecorded);
      records.awaitDurable();
      records.rotateIfFull(this::checkpoint);
      return entry;
    }
    try {
      // PostgreSQL: the commit returns once its write-ahead log is flushed.
      return appendEntry(decision, issued);
    } catch (SQLException e) {
      if (isDuplicate(e) && issued.isPresent()) {
        throw new StoreException("serial " + issued.get().serial()
            + " is already in the issuance log; nothing was recorded", e);
      }
      throw failure("cannot record the decision; nothing was recorded", e);
    }
  }

  /** Appends the entry (and the certificate) in one transaction; returns it with its number. */
  private AuditEntry appendEntry(DecisionRecord decision, Optional<IssuedCertificate> issued)
      throws SQLException {
    return pool.transaction(c -> {
      if (issued.isPresent()) {
        insertCertificate(c, issued.get());
      }
      // Taking the head row's lock orders this append after every committed one: the
      // sequence numbers have no gaps and follow commit order, across all replicas.
      try (PreparedStatement grow = c.prepareStatement(
          "UPDATE audit_head SET size = size + 1 WHERE id = 1")) {
        if (grow.executeUpdate() != 1) {
          throw new SQLException("the audit head row is missing");
        }
      }
      AuditEntry appended = new AuditEntry(storedAuditSize(c) - 1, decision);
      insertAuditEntry(c, appended);
      return appended;
    });
  }

  private boolean serialRecorded(BigInteger serial) throws StoreException {
    try {
      return pool.autoCommit(c -> {
        try (PreparedStatement select = c.prepareStatement(
            "SELECT 1 FROM issued_certificate WHERE serial = ?")) {
          select.setLong(1, serial.longValueExact());
          try (ResultSet rs = select.executeQuery()) {
            return rs.next();
          }
        }
      });
    } catch (SQLException e) {
      throw failure("cannot check serial " + serial + "; nothing was recorded", e);
    }
  }

  /**
   * Writes journaled records, numbered consecutively, into the embedded database after those it
   * has, and moves the log's head past them: the rows {@link #appendEntry} would have written.
   */
  private static int insertRecords(Connection c, List<JournalEntry> records)
      throws SQLException {
    for (JournalEntry record : records) {
      if (record.issued().isPresent()) {
        insertCertificate(c, record.issued().get());
      }
      insertAuditEntry(c, record.entry());
    }
    long first = records.get(0).entry().seq();
    long last = records.get(records.size() - 1).entry().seq();
    try (PreparedStatement grow = c.prepareStatement(
        "UPDATE audit_head SET size = ? WHERE id = 1 AND size = ?")) {
      grow.setLong(1, last + 1);
      grow.setLong(2, first);
      if (grow.executeUpdate() != 1) {
        throw new SQLException("the audit log does not end where journal record " + first
            + " follows it");
      }
    }
    return records.size();
  }

  /** Fills the embedded database from the journal, behind the requests, on its own connection. */
  private record DatabaseWriter(ConnectionPool pool, Database database)
      implements EmbeddedJournal.Writer {
    @Override
    public void write(List<JournalEntry> batch) throws StoreException {
      try {
        pool.transaction(c -> insertRecords(c, batch));
      } catch (SQLException e) {
        throw failure("cannot write audit entries " + batch.get(0).entry().seq() + " to "
            + batch.get(batch.size() - 1).entry().seq() + " into the database", e);
      }
    }

    @Override
    public void sync() throws StoreException {
      try {
        syncEmbedded(pool, database);
      } catch (SQLException e) {
        throw failure("cannot force the database to disk", e);
      }
    }

    @Override
    public void close() {
      pool.close();
    }
  }

  /** Before a read of the log or the issuance log: the embedded database has every record. */
  private void caughtUp() throws IOException {
    if (journal.isPresent()) {
      journal.get().awaitApplied();
    }
  }

  /** Forces everything committed to the embedded database to its file. */
  private void checkpoint() throws StoreException {
    try {
      durability.awaitDurable();
    } catch (SQLException e) {
      throw failure("cannot checkpoint the embedded database", e);
    }
  }

  /**
   * Forces the embedded database file to disk. H2 writes commits to its file within its write
   * delay and never fsyncs it, so a kill or a power cut could roll the file back; records are
   * safe in the journal meanwhile, the other writes call this. PostgreSQL needs nothing here:
   * a commit returns once its WAL is flushed.
   */
  private static void syncEmbedded(ConnectionPool pool, Database database)
      throws SQLException {
    if (database.isEmbedded()) {
      pool.autoCommit(c -> execute(c, "CHECKPOINT SYNC"));
    }
  }

  private static void insertCertificate(Connection c, IssuedCertificate cert)
      throws SQLException {
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO issued_certificate"
        + " (serial, certificate, measurement, subject_key_sha256, requester, purpose,"
        + " policy_sha256, issued_at, not_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setLong(1, cert.serial().longValueExact());
      insert.setBytes(2, cert.certificate());
      insert.setString(3, cert.measurement());
      insert.setString(4, cert.subjectKeySha256());
      setOptional(insert, 5, cert.requester());
      insert.setString(6, cert.purpose());
      insert.setString(7, cert.policySha256());
      insert.setObject(8, utc(cert.issuedAt()));
      insert.setObject(9, utc(cert.notAfter()));
      insert.executeUpdate();
    }
  }

  private static void insertAuditEntry(Connection c, AuditEntry entry) throws SQLException {
    DecisionRecord d = entry.decision();
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO audit_log (seq, decided_at,"
        + " failure_code, evidence_sha256, requester, purpose, measurement, serial,"
        + " artifact_sha256, policy_sha256, proof, leaf_hash)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setLong(1, entry.seq());
      insert.setObject(2, utc(d.decidedAt()));
      setOptional(insert, 3, d.failureCode());
      setOptional(insert, 4, d.evidenceSha256());
      setOptional(insert, 5, d.requester());
      setOptional(insert, 6, d.purpose());
      setOptional(insert, 7, d.measurement());
      if (d.serial().isPresent()) {
        insert.setLong(8, d.serial().get().longValueExact());
      } else {
        insert.setNull(8, Types.BIGINT);
      }
      setOptional(insert, 9, d.artifactSha256());
      setOptional(insert, 10, d.policySha256());
      setOptional(insert, 11, d.proof());
      insert.setString(12, entry.leafHash());
      insert.executeUpdate();
    }
  }

  @Override
  public Optional<IssuedCertificate> certificate(BigInteger serial) throws IOException {
    if (serial.signum() <= 0 || serial.bitLength() > 63) {
      return Optional.empty();
    }
    caughtUp();
    try {
      return pool.autoCommit(c -> {
        try (PreparedStatement select = c.prepareStatement(SELECT_CERTIFICATE
            + " WHERE serial = ?")) {
          select.setLong(1, serial.longValueExact());
          try (ResultSet rs = select.executeQuery()) {
            return rs.next() ? Optional.of(issuedCertificate(rs)) : Optional.empty();
          }
        }
      });
    } catch (SQLException e) {
      throw failure("cannot read certificate " + serial, e);
    }
  }

  @Override
  public long auditSize() throws IOException {
    caughtUp();
    try {
      return pool.autoCommit(JdbcServiceStore::storedAuditSize);
    } catch (SQLException e) {
      throw failure("cannot read the audit log's size", e);
    }
  }

  @Override
  public List<AuditEntry> auditLog(long fromSeq, int max) throws IOException {
    if (fromSeq < 0 || max < 0) {
      throw new IllegalArgumentException("fromSeq and max must not be negative");
    }
    List<StoredEntry> rows = storedEntries(fromSeq, max);
    List<AuditEntry> entries = new ArrayList<>(rows.size());
    for (StoredEntry row : rows) {
      entries.add(row.checked());
    }
    return entries;
  }

  private List<StoredEntry> storedEntries(long fromSeq, int max) throws IOException {
    caughtUp();
    try {
      return pool.autoCommit(c -> {
        try (PreparedStatement select = c.prepareStatement("SELECT seq, decided_at,"
            + " failure_code, evidence_sha256, requester, purpose, measurement, serial,"
            + " artifact_sha256, policy_sha256, proof, leaf_hash FROM audit_log"
            + " WHERE seq >= ? ORDER BY seq LIMIT ?")) {
          select.setLong(1, fromSeq);
          select.setInt(2, max);
          try (ResultSet rs = select.executeQuery()) {
            List<StoredEntry> out = new ArrayList<>();
            while (rs.next()) {
              out.add(storedEntry(rs));
            }
            return out;
          }
        }
      });
    } catch (SQLException e) {
      throw failure("cannot read the audit log", e);
    }
  }

  /** A row as read, before it is checked against its stored hash. */
  private record StoredEntry(long seq, RowValues values, String leafHash) {
    AuditRow raw() {
      try {
        return new AuditRow(seq, leafHash, Optional.of(new AuditEntry(seq, values.decision())),
            Optional.empty());
      } catch (IllegalArgumentException e) {
        return new AuditRow(seq, leafHash, Optional.empty(), Optional.of(e.getMessage()));
      }
    }

    AuditEntry checked() throws StoreException {
      AuditEntry entry;
      try {
        entry = new AuditEntry(seq, values.decision());
      } catch (IllegalArgumentException e) {
        throw new StoreException("audit entry " + seq + " is not a valid entry ("
            + e.getMessage() + "): the log was altered");
      }
      if (!entry.leafHash().equals(leafHash)) {
        throw new StoreException("audit entry " + seq
            + " does not match its stored leaf hash: the log was altered");
      }
      return entry;
    }
  }

  /** The columns of a row, which may be anything if the row was tampered with. */
  private record RowValues(Instant decidedAt, Optional<String> failureCode,
      Optional<String> evidenceSha256, Optional<String> requester, Optional<String> purpose,
      Optional<String> measurement, Optional<BigInteger> serial,
      Optional<String> artifactSha256, Optional<String> policySha256, Optional<String> proof) {
    DecisionRecord decision() {
      return new DecisionRecord(decidedAt, failureCode, evidenceSha256, requester, purpose,
          measurement, serial, artifactSha256, policySha256, proof);
    }
  }

  private static StoredEntry storedEntry(ResultSet rs) throws SQLException {
    long serial = rs.getLong(8);
    Optional<BigInteger> serialValue = rs.wasNull() ? Optional.empty()
        : Optional.of(BigInteger.valueOf(serial));
    RowValues values = new RowValues(instant(rs, 2), optional(rs, 3), optional(rs, 4),
        optional(rs, 5), optional(rs, 6), optional(rs, 7), serialValue, optional(rs, 9),
        optional(rs, 10), optional(rs, 11));
    return new StoredEntry(rs.getLong(1), values, rs.getString(12));
  }

  @Override
  public boolean revoke(Revocation revocation) throws IOException {
    try {
      pool.autoCommit(c -> {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO revocation"
            + " (serial, measurement, reason, revoked_at) VALUES (?, ?, ?, ?)")) {
          if (revocation.serial().isPresent()) {
            insert.setLong(1, revocation.serial().get().longValueExact());
          } else {
            insert.setNull(1, Types.BIGINT);
          }
          setOptional(insert, 2, revocation.measurement());
          insert.setString(3, revocation.reason());
          insert.setObject(4, utc(revocation.revokedAt()));
          return insert.executeUpdate();
        }
      });
    } catch (SQLException e) {
      if (isDuplicate(e)) {
        return false;
      }
      throw failure("cannot record the revocation", e);
    }
    try {
      durability.awaitDurable();
    } catch (SQLException e) {
      throw failure("recorded the revocation, but cannot force it to disk", e);
    }
    return true;
  }

  @Override
  public Optional<Revocation> serialRevocation(BigInteger serial) throws IOException {
    if (serial.signum() <= 0 || serial.bitLength() > 63) {
      return Optional.empty();
    }
    return revocation("serial = ?", ps -> ps.setLong(1, serial.longValueExact()));
  }

  @Override
  public Optional<Revocation> measurementRevocation(String measurementHex) throws IOException {
    return revocation("measurement = ?", ps -> ps.setString(1, measurementHex));
  }

  private interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  /** {@code condition} is one of the fixed strings above; values are always bound. */
  private Optional<Revocation> revocation(String condition, Binder binder) throws IOException {
    try {
      return pool.autoCommit(c -> {
        try (PreparedStatement select = c.prepareStatement(SELECT_REVOCATION + " WHERE "
            + condition)) {
          binder.bind(select);
          try (ResultSet rs = select.executeQuery()) {
            return rs.next() ? Optional.of(revocation(rs)) : Optional.empty();
          }
        }
      });
    } catch (SQLException e) {
      throw failure("cannot read revocations", e);
    }
  }

  @Override
  public Metadata metadata() {
    return metadata;
  }

  /**
   * Closes the store. The last store on an embedded database forces it and empties the journal;
   * if that fails, the journal stays and is replayed at the next open.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      if (journal.isPresent()) {
        journal.get().release(this::checkpoint);
      }
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot checkpoint the embedded database at close;"
          + " its journal is replayed at the next start", e);
    } finally {
      pool.close();
    }
  }

  @Override
  public String toString() {
    return "JdbcServiceStore[" + database.redactedUrl() + "]";
  }

  private static int execute(Connection c, String sql) throws SQLException {
    try (PreparedStatement statement = c.prepareStatement(sql)) {
      return statement.executeUpdate();
    }
  }

  private static void setOptional(PreparedStatement ps, int index, Optional<String> value)
      throws SQLException {
    if (value.isPresent()) {
      ps.setString(index, value.get());
    } else {
      ps.setNull(index, Types.VARCHAR);
    }
  }

  private static Optional<String> optional(ResultSet rs, int index) throws SQLException {
    return Optional.ofNullable(rs.getString(index));
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet rs, int index) throws SQLException {
    return rs.getObject(index, OffsetDateTime.class).toInstant();
  }

  /** SQLSTATE 23505, unique_violation, as both H2 and PostgreSQL report it. */
  private static boolean isDuplicate(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && "23505".equals(s.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /**
   * A store failure with the database's own message: it names tables and constraints, never
   * bound values or credentials.
   */
  private static StoreException failure(String what, SQLException e) {
    return new StoreException(what + ": " + e.getMessage(), e);
  }

  // Policy versions (docs/operations.md, "Policy updates").

  @Override
  public void publishPolicy(PolicyVersion policy) throws IOException {
    long blockedBy;
    try {
      blockedBy = pool.transaction(c -> {
        // The head row's lock orders concurrent publishers; the one that loses sees the raised
        // high-water mark and is refused.
        try (PreparedStatement raise = c.prepareStatement(
            "UPDATE policy_head SET newest = ? WHERE id = 1 AND newest < ?")) {
          raise.setLong(1, policy.version());
          raise.setLong(2, policy.version());
          if (raise.executeUpdate() != 1) {
            return newestPolicyVersion(c);
          }
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO policy_versions"
            + " (version, sha256, artefact, published_at) VALUES (?, ?, ?, ?)")) {
          insert.setLong(1, policy.version());
          insert.setString(2, policy.sha256());
          insert.setBytes(3, policy.artefact());
          insert.setObject(4, utc(policy.publishedAt()));
          insert.executeUpdate();
        }
        return -1L;
      });
    } catch (SQLException e) {
      throw failure("cannot publish policy version " + policy.version(), e);
    }
    if (blockedBy >= 0) {
      throw new PolicyRollbackException(policy.version(), blockedBy);
    }
    try {
      durability.awaitDurable();
    } catch (SQLException e) {
      throw failure("published policy version " + policy.version()
          + ", but cannot force it to disk", e);
    }
  }

  @Override
  public long newestPolicyVersion() throws IOException {
    try {
      return pool.autoCommit(JdbcServiceStore::newestPolicyVersion);
    } catch (SQLException e) {
      throw failure("cannot read the newest policy version", e);
    }
  }

  private static long newestPolicyVersion(Connection c) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(
        "SELECT newest FROM policy_head WHERE id = 1");
        ResultSet rs = select.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("the policy head row is missing");
      }
      return rs.getLong(1);
    }
  }

  @Override
  public List<PolicyVersion> policyVersionsAbove(long version, int max) throws IOException {
    if (max < 0) {
      throw new IllegalArgumentException("max must not be negative");
    }
    try {
      return pool.autoCommit(c -> {
        try (PreparedStatement select = c.prepareStatement("SELECT version, sha256, artefact,"
            + " published_at FROM policy_versions WHERE version > ? ORDER BY version DESC"
            + " LIMIT ?")) {
          select.setLong(1, version);
          select.setInt(2, max);
          try (ResultSet rs = select.executeQuery()) {
            List<PolicyVersion> out = new ArrayList<>();
            while (rs.next()) {
              out.add(new PolicyVersion(rs.getLong(1), rs.getString(2), rs.getBytes(3),
                  instant(rs, 4)));
            }
            return out;
          }
        }
      });
    } catch (SQLException e) {
      throw failure("cannot read policy versions", e);
    } catch (IllegalArgumentException e) {
      throw new StoreException("a stored policy version is not valid (" + e.getMessage()
          + "): the store was altered", e);
    }
  }

  // The operator API's reads and the published CRL.

  private static final String SELECT_CERTIFICATE = "SELECT serial, certificate, measurement,"
      + " subject_key_sha256, requester, purpose, policy_sha256, issued_at, not_after"
      + " FROM issued_certificate";
  private static final String SELECT_REVOCATION = "SELECT serial, measurement, reason,"
      + " revoked_at FROM revocation";

  private static IssuedCertificate issuedCertificate(ResultSet rs) throws SQLException {
    return new IssuedCertificate(BigInteger.valueOf(rs.getLong(1)), rs.getBytes(2),
        rs.getString(3), rs.getString(4), Optional.ofNullable(rs.getString(5)),
        rs.getString(6), rs.getString(7), instant(rs, 8), instant(rs, 9));
  }

  private static Revocation revocation(ResultSet rs) throws SQLException {
    long serial = rs.getLong(1);
    Optional<BigInteger> serialValue = rs.wasNull() ? Optional.empty()
        : Optional.of(BigInteger.valueOf(serial));
    return new Revocation(serialValue, optional(rs, 2), rs.getString(3), instant(rs, 4));
  }

  @Override
  public List<IssuedCertificate> certificates(BigInteger fromSerial, int max)
      throws IOException {
    if (max < 0) {
      throw new IllegalArgumentException("max must not be negative");
    }
    if (fromSerial.bitLength() > 63) {
      return List.of();
    }
    long from = Math.max(0, fromSerial.longValue());
    caughtUp();
    try {
      return pool.autoCommit(c -> {
        try (PreparedStatement select = c.prepareStatement(SELECT_CERTIFICATE
            + " WHERE serial >= ? ORDER BY serial LIMIT ?")) {
          select.setLong(1, from);
          select.setInt(2, max);
          try (ResultSet rs = select.executeQuery()) {
            List<IssuedCertificate> out = new ArrayList<>();
            while (rs.next()) {
              out.add(issuedCertificate(rs));
            }
            return out;
          }
        }
      });
    } catch (SQLException e) {
      throw failure("cannot list issued certificates", e);
    }
  }

  @Override
  public List<BigInteger> serialsIssuedTo(String measurementHex) throws IOException {
    caughtUp();
    try {
      return pool.autoCommit(c -> {
        try (PreparedStatement select = c.prepareStatement("SELECT serial FROM"
            + " issued_certificate WHERE measurement = ? ORDER BY serial")) {
          select.setString(1, measurementHex);
          try (ResultSet rs = select.executeQuery()) {
            List<BigInteger> out = new ArrayList<>();
            while (rs.next()) {
              out.add(BigInteger.valueOf(rs.getLong(1)));
            }
            return out;
          }
        }
      });
    } catch (SQLException e) {
      throw failure("cannot list the certificates of a measurement", e);
    }
  }

  @Override
  public List<Revocation> revocations() throws IOException {
    try {
      return pool.autoCommit(c -> {
        try (PreparedStatement select = c.prepareStatement(SELECT_REVOCATION
            + " ORDER BY id");
            ResultSet rs = select.executeQuery()) {
          List<Revocation> out = new ArrayList<>();
          while (rs.next()) {
            out.add(revocation(rs));
          }
          return out;
        }
      });
    } catch (SQLException e) {
      throw failure("cannot read revocations", e);
    }
  }

  @Override
  public Optional<PublishedCrl> latestCrl() throws IOException {
    try {
      return pool.autoCommit(c -> {
        try (PreparedStatement select = c.prepareStatement("SELECT crl_number, der,"
            + " entries_sha256, this_update, next_update FROM crl"
            + " ORDER BY crl_number DESC LIMIT 1");
            ResultSet rs = select.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          return Optional.of(new PublishedCrl(BigInteger.valueOf(rs.getLong(1)),
              rs.getBytes(2), rs.getString(3), instant(rs, 4), instant(rs, 5)));
        }
      });
    } catch (SQLException e) {
      throw failure("cannot read the published CRL", e);
    }
  }

  @Override
  public boolean publishCrl(PublishedCrl crl) throws IOException {
    try {
      pool.autoCommit(c -> {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO crl (crl_number, der,"
            + " entries_sha256, this_update, next_update) VALUES (?, ?, ?, ?, ?)")) {
          insert.setLong(1, crl.number().longValueExact());
          insert.setBytes(2, crl.der());
          insert.setString(3, crl.entriesSha256());
          insert.setObject(4, utc(crl.thisUpdate()));
          insert.setObject(5, utc(crl.nextUpdate()));
          return insert.executeUpdate();
        }
      });
    } catch (SQLException e) {
      if (isDuplicate(e)) {
        return false;
      }
      throw failure("cannot publish the CRL", e);
    }
    try {
      // A CRL number, once served, must never come back with other contents.
      durability.awaitDurable();
    } catch (SQLException e) {
      throw failure("published the CRL, but cannot force it to disk", e);
    }
    return true;
  }

  // The audit log's Merkle tree and signed tree heads (org.certifier.service.audit.AuditLog).

  @Override
  public List<AuditRow> auditRows(long fromSeq, int max) throws IOException {
    if (fromSeq < 0 || max < 0) {
      throw new IllegalArgumentException("fromSeq and max must not be negative");
    }
    return storedEntries(fromSeq, max).stream().map(StoredEntry::raw).toList();
  }

  @Override
  public long auditTreeSize() throws IOException {
    try {
      return pool.autoCommit(c -> {
        try (PreparedStatement select = c.prepareStatement(
            "SELECT size FROM audit_tree_state WHERE id = 1");
            ResultSet rs = select.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      });
    } catch (SQLException e) {
      throw failure("cannot read the audit tree's size", e);
    }
  }

  @Override
  public boolean extendAuditTree(long fromSize, long toSize, List<AuditTreeNode> nodes)
      throws IOException {
    if (fromSize < 0 || toSize < fromSize) {
      throw new IllegalArgumentException("cannot extend the audit tree from " + fromSize
          + " to " + toSize + " entries");
    }
    boolean extended;
    try {
      extended = pool.transaction(c -> {
        // The compare-and-set comes first: its row lock makes a second replica wait here and
        // then find the size moved, before it could try to insert the same nodes.
        try (PreparedStatement grow = c.prepareStatement(
            "UPDATE audit_tree_state SET size = ? WHERE id = 1 AND size = ?")) {
          grow.setLong(1, toSize);
          grow.setLong(2, fromSize);
          if (grow.executeUpdate() != 1) {
            return false;
          }
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO audit_tree_node"
            + " (tree_level, tree_index, node_hash) VALUES (?, ?, ?)")) {
          for (AuditTreeNode node : nodes) {
            insert.setInt(1, node.level());
            insert.setLong(2, node.index());
            insert.setString(3, node.hash());
            insert.addBatch();
          }
          insert.executeBatch();
        }
        return true;
      });
    } catch (SQLException e) {
      throw failure("cannot extend the audit tree", e);
    }
    if (extended) {
      try {
        durability.awaitDurable();
      } catch (SQLException e) {
        throw failure("extended the audit tree, but cannot force it to disk", e);
      }
    }
    return extended;
  }

  @Override
  public Optional<AuditTreeNode> auditTreeNode(int level, long index) throws IOException {
    try {
      return pool.autoCommit(c -> {
        try (PreparedStatement select = c.prepareStatement("SELECT node_hash FROM"
            + " audit_tree_node WHERE tree_level = ? AND tree_index = ?")) {
          select.setInt(1, level);
          select.setLong(2, index);
          try (ResultSet rs = select.executeQuery()) {
            return rs.next() ? Optional.of(new AuditTreeNode(level, index, rs.getString(1)))
                : Optional.empty();
          }
        }
      });
    } catch (SQLException e) {
      throw failure("cannot read the audit tree", e);
    } catch (IllegalArgumentException e) {
      throw new StoreException("audit tree node " + level + "/" + index + " is not a hash ("
          + e.getMessage() + "): the tree was altered");
    }
  }

  @Override
  public boolean saveAuditTreeHead(AuditTreeHead head) throws IOException {
    try {
      pool.autoCommit(c -> {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO audit_tree_head"
            + " (tree_size, root_hash, signed_at, head) VALUES (?, ?, ?, ?)")) {
          insert.setLong(1, head.treeSize());
          insert.setString(2, head.rootHash());
          insert.setObject(3, utc(head.signedAt()));
          insert.setString(4, head.text());
          return insert.executeUpdate();
        }
      });
    } catch (SQLException e) {
      if (isDuplicate(e)) {
        return false;
      }
      throw failure("cannot keep the tree head", e);
    }
    try {
      durability.awaitDurable();
    } catch (SQLException e) {
      throw failure("kept the tree head, but cannot force it to disk", e);
    }
    return true;
  }

  @Override
  public Optional<AuditTreeHead> auditTreeHead(long treeSize) throws IOException {
    return treeHead("SELECT tree_size, root_hash, signed_at, head FROM audit_tree_head"
        + " WHERE tree_size = ?", ps -> ps.setLong(1, treeSize));
  }

  @Override
  public Optional<AuditTreeHead> latestAuditTreeHead() throws IOException {
    return treeHead("SELECT tree_size, root_hash, signed_at, head FROM audit_tree_head"
        + " ORDER BY tree_size DESC LIMIT 1", ps -> { });
  }

  /** {@code query} is one of the fixed strings above; values are always bound. */
  private Optional<AuditTreeHead> treeHead(String query, Binder binder) throws IOException {
    try {
      return pool.autoCommit(c -> {
        try (PreparedStatement select = c.prepareStatement(query)) {
          binder.bind(select);
          try (ResultSet rs = select.executeQuery()) {
            return rs.next() ? Optional.of(new AuditTreeHead(rs.getLong(1), rs.getString(2),
                instant(rs, 3), rs.getString(4))) : Optional.empty();
          }
        }
      });
    } catch (SQLException e) {
      throw failure("cannot read the tree heads", e);
    } catch (IllegalArgumentException e) {
      throw new StoreException("a stored tree head is not valid (" + e.getMessage()
          + "): the tree heads were altered");
    }
  }
}
