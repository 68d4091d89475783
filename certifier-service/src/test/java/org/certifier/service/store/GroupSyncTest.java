package org.certifier.service.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class GroupSyncTest {

  private static GroupSync<SQLException> sqlSync(GroupSync.Action<SQLException> action) {
    return new GroupSync<>(action, SQLException::new);
  }

  @Test
  void everyCallerReturnsOnlyAfterASyncThatCoversItsWrite() throws Exception {
    AtomicLong writes = new AtomicLong();
    AtomicLong durableUpTo = new AtomicLong();
    AtomicInteger syncs = new AtomicInteger();
    GroupSync<SQLException> sync = sqlSync(() -> {
      long seen = writes.get();
      syncs.incrementAndGet();
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      durableUpTo.accumulateAndGet(seen, Math::max);
    });
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> calls = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        calls.add(pool.submit(() -> {
          for (int i = 0; i < 50; i++) {
            long mine = writes.incrementAndGet();
            sync.awaitDurable();
            assertTrue(durableUpTo.get() >= mine, "write " + mine + " not covered");
          }
          return null;
        }));
      }
      for (Future<?> f : calls) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertTrue(syncs.get() < 800, "concurrent callers share syncs: " + syncs.get());
  }

  @Test
  void aLoneCallerSyncsEachTime() throws Exception {
    AtomicInteger syncs = new AtomicInteger();
    GroupSync<SQLException> sync = sqlSync(syncs::incrementAndGet);
    for (int i = 0; i < 5; i++) {
      sync.awaitDurable();
    }
    assertEquals(5, syncs.get());
  }

  @Test
  void aFailedSyncFailsItsCallerAndTheNextCallSyncsAgain() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    GroupSync<SQLException> sync = sqlSync(() -> {
      if (calls.incrementAndGet() == 1) {
        throw new SQLException("disk full");
      }
    });
    assertThrows(SQLException.class, sync::awaitDurable);
    sync.awaitDurable();
    assertEquals(2, calls.get());
  }
}
