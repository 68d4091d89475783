package org.certifier.service.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the service keeps its state: a JDBC URL and the credentials to use it. The embedded
 * default is an H2 file in the service's state directory; shared deployments use PostgreSQL.
 * Credentials come from the environment or a file, never the command line (where every local
 * user can read them); {@link #toString()} and {@link #redactedUrl()} never show secrets.
 */
public record Database(String url, String user, String password) {
  private static final String H2 = "jdbc:h2:";
  private static final String H2_FILE = H2 + "file:";
  private static final String POSTGRESQL = "jdbc:postgresql:";

  public Database {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    // The migrations are written and tested for these two; anything else is refused up front
    // rather than half-working. H2 only as a file in this process: its journal sits beside it.
    if (!url.startsWith(H2_FILE) && !url.startsWith(POSTGRESQL)) {
      throw new IllegalArgumentException("unsupported database URL " + redact(url)
          + ": use jdbc:postgresql://HOST:PORT/DATABASE, or jdbc:h2:file:PATH");
    }
  }

  /**
   * The embedded default: an H2 database file {@code certifier.mv.db} in {@code stateDir}. H2
   * must not close the database from its own shutdown hook: the service closes it after the
   * last request has been recorded.
   */
  public static Database embedded(Path stateDir) {
    String file = stateDir.toAbsolutePath().normalize().resolve("certifier").toString();
    if (file.contains(";")) {
      throw new IllegalArgumentException("the state directory's path must not contain ';'"
          + " (it would be read as an H2 setting): " + stateDir);
    }
    return new Database(H2_FILE + file + ";DB_CLOSE_ON_EXIT=FALSE", "", "");
  }

  /**
   * Where the embedded database's write-ahead journal lives: beside its file, e.g.
   * {@code certifier.journal/} next to {@code certifier.mv.db}.
   *
   * @throws IllegalStateException for PostgreSQL, which keeps its own write-ahead log
   */
  public Path journalDirectory() {
    if (!isEmbedded()) {
      throw new IllegalStateException("only the embedded database has a journal");
    }
    String rest = url.substring(H2_FILE.length());
    int settings = rest.indexOf(';');
    String file = settings < 0 ? rest : rest.substring(0, settings);
    if (file.startsWith("~")) {
      // As H2 reads it: the user's home directory.
      file = System.getProperty("user.home") + file.substring(1);
    }
    return Path.of(file + ".journal");
  }

  /** True for the embedded database, which only one process may open. */
  public boolean isEmbedded() {
    return url.startsWith(H2);
  }

  /** The URL without its parameters, which may carry credentials: safe for logs. */
  public String redactedUrl() {
    return redact(url);
  }

  private static String redact(String url) {
    int cut = url.length();
    for (char c : new char[] {'?', ';'}) {
      int i = url.indexOf(c);
      if (i >= 0 && i < cut) {
        cut = i;
      }
    }
    return url.substring(0, cut);
  }

  @Override
  public String toString() {
    return "Database[" + redactedUrl() + (user.isEmpty() ? "" : ", user " + user) + "]";
  }
}
