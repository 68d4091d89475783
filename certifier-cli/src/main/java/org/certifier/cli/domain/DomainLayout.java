package org.certifier.cli.domain;

import java.nio.file.Path;

/**
 * Where a domain's files live in a directory, named as the reference's sample provisioning
 * (§5.2), so directories made here work with the reference's tools and vice versa.
 */
public record DomainLayout(Path dir, String domain) {
  public Path policyKey() {
    return dir.resolve("policy_key_file." + domain);
  }

  public Path policyCert() {
    return dir.resolve("policy_cert_file." + domain);
  }

  public Path platformKey() {
    return dir.resolve("platform_key_file.bin");
  }

  public Path attestKey() {
    return dir.resolve("attest_key_file.bin");
  }

  public Path endorsement() {
    return dir.resolve("platform_attest_endorsement.bin");
  }

  public Path policy() {
    return dir.resolve("policy.bin");
  }
}
