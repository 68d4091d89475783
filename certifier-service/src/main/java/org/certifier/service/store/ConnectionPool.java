package org.certifier.service.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A few JDBC connections, reused. Connecting to PostgreSQL costs a TCP handshake and an
 * authentication round trip, several times the cost of the statements a certification runs,
 * and an embedded H2 database is closed whenever its last connection is. At most {@code size}
 * connections exist at once; callers beyond that wait. A connection that failed is closed rather
 * than reused, and one that sat idle is checked first, so a restarted database costs no request.
 */
final class ConnectionPool implements AutoCloseable {
  /** Idle longer than this, a connection is checked before use (the server may have gone). */
  private static final long CHECK_AFTER_IDLE_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final int CHECK_TIMEOUT_SECONDS = 2;
  private static final long WAIT_SECONDS = 30;

  /** Work on one connection. */
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private record Idle(Connection connection, long since) {}

  private final Database database;
  private final List<String> sessionSetup;
  private final Semaphore permits;
  private final Deque<Idle> idle = new ArrayDeque<>();
  private boolean closed;

  /** @param sessionSetup statements run once on each new connection */
  ConnectionPool(Database database, int size, List<String> sessionSetup) {
    this.database = database;
    this.sessionSetup = List.copyOf(sessionSetup);
    this.permits = new Semaphore(size, true);
  }

  /** Runs {@code work} with auto-commit on: each statement is its own transaction. */
  <T> T autoCommit(Work<T> work) throws SQLException {
    return use(false, work);
  }

  /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
  <T> T transaction(Work<T> work) throws SQLException {
    return use(true, work);
  }

  private <T> T use(boolean transaction, Work<T> work) throws SQLException {
    acquire();
    Connection connection = null;
    boolean reusable = false;
    try {
      connection = borrow();
      connection.setAutoCommit(!transaction);
      T result;
      try {
        result = work.run(connection);
        if (transaction) {
          connection.commit();
        }
      } catch (SQLException | RuntimeException e) {
        if (transaction) {
          rollback(connection, e);
        }
        // A refused statement (a duplicate key, say) leaves a healthy connection behind.
        reusable = isValid(connection);
        throw e;
      }
      reusable = true;
      return result;
    } finally {
      if (connection != null) {
        giveBack(connection, reusable);
      }
      permits.release();
    }
  }

  private void acquire() throws SQLException {
    try {
      if (!permits.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new SQLException("no database connection free within " + WAIT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for a database connection", e);
    }
  }

  private Connection borrow() throws SQLException {
    while (true) {
      Idle candidate;
      synchronized (this) {
        if (closed) {
          throw new SQLException("the store is closed");
        }
        candidate = idle.pollFirst();
      }
      if (candidate == null) {
        return connect();
      }
      if (System.nanoTime() - candidate.since() < CHECK_AFTER_IDLE_NANOS
          || isValid(candidate.connection())) {
        return candidate.connection();
      }
      closeQuietly(candidate.connection());
    }
  }

  private Connection connect() throws SQLException {
    Connection connection = DriverManager.getConnection(database.url(), database.user(),
        database.password());
    try (Statement statement = connection.createStatement()) {
      for (String sql : sessionSetup) {
        statement.execute(sql);
      }
    } catch (SQLException e) {
      closeQuietly(connection);
      throw e;
    }
    return connection;
  }

  private void giveBack(Connection connection, boolean reusable) {
    synchronized (this) {
      if (reusable && !closed) {
        idle.addFirst(new Idle(connection, System.nanoTime()));
        return;
      }
    }
    closeQuietly(connection);
  }

  private static void rollback(Connection connection, Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private static boolean isValid(Connection connection) {
    try {
      return connection.isValid(CHECK_TIMEOUT_SECONDS);
    } catch (SQLException e) {
      return false;
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      // a broken connection is being dropped; there is nothing more to do with it
    }
  }

  /** Closes the idle connections now and those in use when they are given back. */
  @Override
  public void close() {
    List<Idle> toClose;
    synchronized (this) {
      closed = true;
      toClose = List.copyOf(idle);
      idle.clear();
    }
    toClose.forEach(i -> closeQuietly(i.connection()));
  }
}
