package org.certifier.bench;

import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.certifier.claims.SignedPolicy;
import org.certifier.evidence.VerifiedEvidence;
import org.certifier.policy.Clauses;
import org.certifier.policy.Entities;
import org.certifier.policy.ProofChecker;
import org.certifier.policy.Prover;
import org.certifier.policy.Verb;
import org.certifier.proto.proof;
import org.certifier.proto.trust_request_message;
import org.certifier.proto.vse_clause;
import org.certifier.protocol.Messages;
import org.certifier.service.DomainKeys;
import org.certifier.verifiers.vse.VseVerifier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** The non-crypto work of a certification: parsing, evidence verification, policy, proof. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ProofBenchmark {
  @Param({"1", "10000"})
  int policyMeasurements;

  private BenchDomain domain;
  private SignedPolicy policy;
  private byte[] request;
  private VerifiedEvidence evidence;
  private vse_clause goal;
  private List<vse_clause> known;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    domain = BenchDomain.create(policyMeasurements - 1);
    DomainKeys keys = DomainKeys.load(domain.layout().policyKey(), domain.layout().policyCert());
    policy = SignedPolicy.parse(Files.readAllBytes(domain.layout().policy()), keys.publicKey(),
        Instant.now());
    trust_request_message r = domain.requests(1, 1).get(0);
    request = r.toByteArray();
    evidence = new VseVerifier().verify(r.getSupport(), Instant.now());
    goal = Clauses.unary(Entities.key(evidence.enclaveKey()),
        Verb.IS_TRUSTED_FOR_AUTHENTICATION);
    known = statements();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    domain.close();
  }

  private List<vse_clause> statements() {
    List<vse_clause> all = new ArrayList<>();
    all.add(policy.axiom());
    all.addAll(policy.relevantTo(evidence.statements(), Instant.now()));
    all.addAll(evidence.statements());
    return all;
  }

  @Benchmark
  public trust_request_message parseRequest() throws Exception {
    return Messages.parse(trust_request_message.parser(), request, "request");
  }

  @Benchmark
  public List<vse_clause> selectPolicy() {
    return statements();
  }

  @Benchmark
  public proof proveAndCheck() throws Exception {
    proof p = Prover.prove(goal, known);
    ProofChecker.check(goal, p, known);
    return p;
  }
}
