package org.certifier.service;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import org.certifier.service.certify.Decision;
import org.certifier.service.store.AuditEntry;
import org.certifier.service.store.DecisionRecord;
import org.certifier.service.store.IssuedCertificate;
import org.certifier.service.store.ServiceStore;
import org.certifier.service.tcp.CertifierTcpServer;

/**
 * Puts every decision on record before its answer is sent: the audit entry, and for an admission
 * certificate the issuance record, in one transaction; then the operator's log line. If the store
 * fails, the listener throws and the client is answered {@code internal-error}.
 */
final class DecisionRecorder implements CertifierTcpServer.DecisionListener {
  private static final System.Logger LOG = System.getLogger("org.certifier.service");
  private static final System.Logger ADMISSIONS =
      System.getLogger(LogProfile.ADMISSIONS_LOGGER);
  private static final HexFormat HEX = HexFormat.of();

  private final ServiceStore store;
  private final Clock clock;
  private final LogProfile profile;

  DecisionRecorder(ServiceStore store, Clock clock, LogProfile profile) {
    this.store = store;
    this.clock = clock;
    this.profile = profile;
  }

  @Override
  public void decided(Decision decision, Optional<byte[]> request,
      Optional<InetAddress> requester) throws IOException {
    Optional<String> evidence = request.map(DecisionRecorder::sha256);
    Optional<String> who = requester.map(InetAddress::getHostAddress);
    switch (decision) {
      case Decision.Admitted a -> {
        String measurement = HEX.formatHex(a.measurement());
        Optional<IssuedCertificate> issued = a.certificate().map(c -> IssuedCertificate.of(c.serial(),
            a.artifact(), c.subjectPublicKeyInfo(), c.notBefore(), c.notAfter(), measurement, who,
            a.purpose(), a.policySha256()));
        AuditEntry entry = store.record(DecisionRecord.admitted(clock.instant(), evidence, who,
            a.purpose(), measurement, a.serial(), sha256(a.artifact()), a.policySha256(),
            a.proof()), issued);
        if (ADMISSIONS.isLoggable(Level.INFO)) {
          ADMISSIONS.log(Level.INFO, "admitted {0} for {1}: Measured-{2}{3} (audit entry {4})",
              who.orElse("?"), a.purpose(), measurement,
              a.serial().map(s -> ", serial " + s).orElse(""), entry.seq());
        }
      }
      case Decision.Rejected r -> {
        AuditEntry entry = store.record(DecisionRecord.rejected(clock.instant(),
            r.failure().code(), evidence, who, r.policySha256()), Optional.empty());
        if (profile == LogProfile.DEVELOPMENT) {
          LOG.log(Level.WARNING, "rejected {0}: {1}: {2} (audit entry {3})", who.orElse("?"),
              r.failure().code(), r.reason(), entry.seq());
        } else {
          LOG.log(Level.WARNING, "rejected {0}: {1} (audit entry {2})", who.orElse("?"),
              r.failure().code(), entry.seq());
        }
      }
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
