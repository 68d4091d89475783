package org.certifier.service;

import org.certifier.service.store.Database;
import org.certifier.service.store.EmbeddedPostgresDatabases;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Policy updates with two replicas on a real PostgreSQL server ({@link
 * EmbeddedPostgresDatabases}, as in the store's tests); each test gets a database of its own.
 */
class PostgresPolicyUpdatesTest extends PolicyUpdatesContract {
  @RegisterExtension
  static final EmbeddedPostgresDatabases POSTGRES =
      new EmbeddedPostgresDatabases("policy_updates");

  @Override
  Database database() throws Exception {
    return POSTGRES.fresh();
  }

  @Override
  int replicaCount() {
    return 2;
  }
}
