package org.certifier.service.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded H2 database, one file per test. */
class H2ServiceStoreTest extends ServiceStoreContract {
  @TempDir
  Path dir;
  private int databases;

  @Override
  Database freshDatabase() {
    return Database.embedded(dir.resolve("state-" + databases++));
  }

  @Test
  void theEmbeddedDatabaseIsOneFileInTheStateDirectory() throws Exception {
    open().close();
    Path stateDir = Path.of(database.url().substring("jdbc:h2:file:".length(),
        database.url().indexOf(';'))).getParent();
    assertEquals(true, Files.isRegularFile(stateDir.resolve("certifier.mv.db")));
  }

  @Test
  void committedWritesAreNotDelayed() throws Exception {
    open();
    try (var c = connect(); var s = c.createStatement();
        var rs = s.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
            + " WHERE SETTING_NAME = 'WRITE_DELAY'")) {
      rs.next();
      assertEquals("0", rs.getString(1), "a killed process must not lose committed rows");
    }
  }
}
