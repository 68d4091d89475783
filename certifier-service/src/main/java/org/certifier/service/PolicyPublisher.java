package org.certifier.service;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import org.certifier.claims.VersionedPolicy;
import org.certifier.evidence.VerificationException;
import org.certifier.proto.key_message;
import org.certifier.service.store.PolicyRollbackException;
import org.certifier.service.store.PolicyVersion;
import org.certifier.service.store.ServiceStore;

/**
 * Publishes a versioned policy to the store that the domain's replicas poll. Nothing reaches the
 * store that the replicas would refuse: the artefact must verify under the domain's policy key
 * now, be above every version published before, and, if it names the version it replaces, name
 * the newest one published.
 */
public final class PolicyPublisher {
  private PolicyPublisher() {}

  /** The artefact names a previous version that is not the newest published one. */
  public static final class BrokenChainException extends Exception {
    private static final long serialVersionUID = 1L;

    BrokenChainException(String message) {
      super(message);
    }
  }

  /**
   * Verifies and publishes {@code artefact}.
   *
   * @return the published policy
   * @throws VerificationException if it is not a versioned policy signed by {@code policyKey}
   *     with every statement valid now (an unversioned reference file is refused too: it has no
   *     version to order it by)
   * @throws PolicyRollbackException if its version is not above the newest published
   * @throws BrokenChainException if it names a previous version other than the newest published
   */
  public static VersionedPolicy publish(ServiceStore store, byte[] artefact,
      key_message policyKey, Clock clock)
      throws VerificationException, IOException, BrokenChainException {
    VersionedPolicy policy = VersionedPolicy.verify(artefact, policyKey, clock.instant());
    if (policy.previousSha256().isPresent()) {
      long newest = store.newestPolicyVersion();
      if (newest >= policy.version()) {
        throw new PolicyRollbackException(policy.version(), newest);
      }
      List<PolicyVersion> top = store.policyVersionsAbove(newest - 1, 1);
      if (top.isEmpty() || !top.get(0).sha256().equals(policy.previousSha256().get())) {
        throw new BrokenChainException("policy version " + policy.version()
            + " says it replaces the artefact with SHA-256 " + policy.previousSha256().get()
            + ", but the newest published version is "
            + (top.isEmpty() ? "none" : newest + " with SHA-256 " + top.get(0).sha256()));
      }
    }
    store.publishPolicy(PolicyVersion.of(policy.version(), policy.artefact(), clock.instant()));
    return policy;
  }
}
