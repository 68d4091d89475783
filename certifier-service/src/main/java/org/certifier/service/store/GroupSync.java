package org.certifier.service.store;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Group commit for an fsync: many threads that each need "my write is on disk" share one sync.
 * A caller's write is done before it calls {@link #awaitDurable}; the sync that satisfies it
 * must start after that call, so one leader runs the sync for everyone who asked before it
 * started, and latecomers wait for the next one. Under load this turns one sync per
 * certification into one per batch. Used for the embedded store's journal ({@code force}) and
 * for H2's {@code CHECKPOINT SYNC}.
 *
 * @param <E> what the sync throws
 */
final class GroupSync<E extends Exception> {
  /** The durable-making action, e.g. forcing the journal or H2's {@code CHECKPOINT SYNC}. */
  @FunctionalInterface
  interface Action<E extends Exception> {
    void run() throws E;
  }

  private final Action<E> action;
  private final Function<InterruptedException, E> interrupted;
  /**
   * A lock rather than a monitor: the service's requests run on virtual threads, which park
   * cheaply on a j.u.c. lock, while waiting on a contended monitor cost measurable CPU
   * (docs/benchmarks.md).
   */
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition done = lock.newCondition();
  private long requested;
  private long completed;
  private boolean running;

  /** @param interrupted the failure to report when a waiter is interrupted */
  GroupSync(Action<E> action, Function<InterruptedException, E> interrupted) {
    this.action = action;
    this.interrupted = interrupted;
  }

  /** Returns once a sync that started after this call began has completed. */
  void awaitDurable() throws E {
    long covers;
    lock.lock();
    try {
      long ticket = ++requested;
      // Wait while another thread syncs; if that sync started before our ticket, it does not
      // cover our write, so afterwards we may have to lead the next one.
      while (running && completed < ticket) {
        try {
          done.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw interrupted.apply(e);
        }
      }
      if (completed >= ticket) {
        return;
      }
      running = true;
      // Every ticket handed out so far belongs to a write committed before this point.
      covers = requested;
    } finally {
      lock.unlock();
    }
    boolean synced = false;
    try {
      action.run();
      synced = true;
    } finally {
      lock.lock();
      try {
        running = false;
        if (synced) {
          completed = Math.max(completed, covers);
        }
        done.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }
}
