package org.certifier.cli.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import org.certifier.cli.service.ServiceCommand;
import org.certifier.crypto.Certificates;
import org.certifier.service.store.Database;
import org.certifier.service.store.JdbcServiceStore;
import picocli.CommandLine.Option;

/** Where the service keeps its state, given as to {@code certifier service}. */
public final class StoreOptions {
  @Option(names = {"--policy-cert-file", "--policy_cert_file"}, required = true,
      paramLabel = "FILE", description = "The domain's policy certificate (DER or PEM).")
  Path policyCertFile;

  @Option(names = "--state-dir", defaultValue = "certifier-state", paramLabel = "DIR",
      description = "The service's embedded database, when no --database-url is given"
          + " (default: ${DEFAULT-VALUE}); the service must be stopped (one process at a time).")
  Path stateDir;

  @Option(names = "--database-url", paramLabel = "JDBC-URL",
      description = "The shared database, as for `certifier service` (credentials from "
          + ServiceCommand.USER_VARIABLE + " / " + ServiceCommand.PASSWORD_VARIABLE + ").")
  String databaseUrl;

  X509Certificate policyCertificate() throws IOException, GeneralSecurityException {
    return Certificates.parseDerOrPem(Files.readAllBytes(policyCertFile));
  }

  /** Opens the existing store; an embedded one that is not there is an error, not created. */
  JdbcServiceStore open(X509Certificate policyCertificate) throws IOException {
    Database database;
    if (databaseUrl != null) {
      database = ServiceCommand.database(databaseUrl);
    } else {
      Path file = stateDir.resolve("certifier.mv.db");
      if (!Files.isRegularFile(file)) {
        throw new NoSuchFileException(file.toString());
      }
      database = Database.embedded(stateDir);
    }
    return JdbcServiceStore.open(database, policyCertificate, 2);
  }
}
