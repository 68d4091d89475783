package org.certifier.service;

import org.certifier.service.store.Database;

/** Policy updates through the embedded database, with the one replica that may open it. */
class H2PolicyUpdatesTest extends PolicyUpdatesContract {
  private int databases;

  @Override
  Database database() {
    return Database.embedded(dir.resolve("state-" + databases++));
  }

  @Override
  int replicaCount() {
    return 1;
  }
}
