package org.certifier.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import org.certifier.claims.VersionedPolicy;
import org.certifier.client.RenewalSettings;
import org.certifier.client.TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The domain's signed policy decides how long admission certificates live: the real service
 * issues for the shorter of the policy's lifetime and its own setting, and a policy update
 * changes the lifetime of the certificates issued after it.
 */
class PolicyLifetimeTest {
  private static final Duration SERVICE_LIFETIME = Duration.ofDays(1);
  /** No background renewal: each test looks at the certificate it was issued. */
  private static final TrustManager.Options NO_RENEWAL = TrustManager.Options.defaults()
      .withRenewal(RenewalSettings.disabled());

  @TempDir
  Path dir;

  /**
   * notAfter - notBefore of the certificate {@code name} gets. The Certifier neither backdates
   * nor adds a skew margin: both are the decision's time, truncated to whole seconds, plus the
   * lifetime for notAfter, so a whole-second lifetime shows exactly.
   */
  private static Duration certifiedLifetime(LiveDomain domain, CertifierService service,
      String name) throws Exception {
    try (TrustManager tm = domain.certifiedMember(name, service.port(), NO_RENEWAL)) {
      X509Certificate cert = tm.admissionCertificate(LiveDomain.NAME).orElseThrow();
      return Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant());
    }
  }

  @Test
  void aPolicyLifetimeShortensTheCertificates() throws Exception {
    LiveDomain domain = new LiveDomain(dir);
    domain.signPolicy(1, Optional.of(Duration.ofSeconds(3)));
    try (CertifierService service = domain.start(SERVICE_LIFETIME)) {
      assertEquals(Optional.of(Duration.ofSeconds(3)),
          service.policy().current().certificateLifetime());
      assertEquals(Duration.ofSeconds(3), certifiedLifetime(domain, service, "member"));
    }
  }

  @Test
  void anOperatorsShorterSettingStillWins() throws Exception {
    LiveDomain domain = new LiveDomain(dir);
    domain.signPolicy(1, Optional.of(Duration.ofHours(1)));
    try (CertifierService service = domain.start(Duration.ofSeconds(5))) {
      assertEquals(Duration.ofSeconds(5), certifiedLifetime(domain, service, "member"));
    }
  }

  @Test
  void theReferencePolicyAndAVersionWithoutALifetimeKeepTheServicesLifetime()
      throws Exception {
    LiveDomain domain = new LiveDomain(dir);
    try (CertifierService service = domain.start(SERVICE_LIFETIME)) {
      assertEquals(VersionedPolicy.UNVERSIONED, service.policy().version());
      assertEquals(SERVICE_LIFETIME, certifiedLifetime(domain, service, "plain"));
      domain.signPolicy(1, Optional.empty());
      service.reloadPolicy();
      assertEquals(1, service.policy().version());
      assertEquals(SERVICE_LIFETIME, certifiedLifetime(domain, service, "versioned"));
    }
  }

  @Test
  void aPolicyUpdateChangesTheLifetimeOfTheNextCertificates() throws Exception {
    LiveDomain domain = new LiveDomain(dir);
    domain.signPolicy(1, Optional.empty());
    try (CertifierService service = domain.start(SERVICE_LIFETIME)) {
      assertEquals(SERVICE_LIFETIME, certifiedLifetime(domain, service, "before"));

      domain.signPolicy(2, Optional.of(Duration.ofSeconds(3)));
      // The poller may have taken it already; either way version 2 is then in force.
      service.reloadPolicy();

      assertEquals(2, service.policy().version());
      assertEquals(Duration.ofSeconds(3), certifiedLifetime(domain, service, "after"));
    }
  }
}
