package org.certifier.service.store;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store contract on a real PostgreSQL server ({@link EmbeddedPostgresDatabases}); each
 * test gets a database of its own.
 */
class PostgresServiceStoreTest extends ServiceStoreContract {
  @RegisterExtension
  static final EmbeddedPostgresDatabases POSTGRES = new EmbeddedPostgresDatabases("store");

  @Override
  Database freshDatabase() throws Exception {
    return POSTGRES.fresh();
  }
}
