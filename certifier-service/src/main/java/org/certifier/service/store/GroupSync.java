package org.certifier.service.store;

import java.sql.SQLException;

/**
 * Group commit for the embedded database's fsync: many threads that each need "my committed
 * write is on disk" share one sync. A caller's write is committed before it calls
 * {@link #awaitDurable}; the sync that satisfies it must start after that call, so one leader
 * runs the sync for everyone who asked before it started, and latecomers wait for the next
 * one. Under load this turns one expensive checkpoint per certification into one per batch.
 */
final class GroupSync {
  /** The durable-making action, e.g. H2's {@code CHECKPOINT SYNC}. */
  @FunctionalInterface
  interface Action {
    void run() throws SQLException;
  }

  private final Action action;
  private long requested;
  private long completed;
  private boolean running;

  GroupSync(Action action) {
    this.action = action;
  }

  /** Returns once a sync that started after this call began has completed. */
  void awaitDurable() throws SQLException {
    long covers;
    synchronized (this) {
      long ticket = ++requested;
      // Wait while another thread syncs; if that sync started before our ticket, it does not
      // cover our write, so afterwards we may have to lead the next one.
      while (running && completed < ticket) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SQLException("interrupted while waiting for the store to sync", e);
        }
      }
      if (completed >= ticket) {
        return;
      }
      running = true;
      // Every ticket handed out so far belongs to a write committed before this point.
      covers = requested;
    }
    boolean synced = false;
    try {
      action.run();
      synced = true;
    } finally {
      synchronized (this) {
        running = false;
        if (synced) {
          completed = Math.max(completed, covers);
        }
        notifyAll();
      }
    }
  }
}
