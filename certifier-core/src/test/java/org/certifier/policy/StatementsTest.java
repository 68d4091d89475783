package org.certifier.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.util.List;
import org.certifier.proto.entity_message;
import org.certifier.proto.key_message;
import org.certifier.proto.proof;
import org.certifier.proto.proof_step;
import org.certifier.proto.vse_clause;
import org.junit.jupiter.api.Test;

/** The printable forms of §3.1, used by inspect and by every error message. */
class StatementsTest {
  @Test
  void eccKeysPrintTheSameInGoAndCppEncodings() {
    String go = Statements.describe(Fixtures.ecc("VCEK", 5, true));
    assertEquals(go, Statements.describe(Fixtures.ecc("VCEK", 5, false)));
    assertTrue(go.matches("Key\\[ecc-P-384, VCEK, [0-9a-f]{40}\\]"), go);
  }

  @Test
  void keysWithoutNameOmitIt() {
    key_message k = Fixtures.rsa("", 5);
    String hex = Statements.hex(k.getRsaKey().getPublicModulus().substring(0, 20));
    assertEquals("Key[rsa, " + hex + "]", Statements.describe(k));
  }

  @Test
  void symmetricKeysNeverPrintTheirBits() {
    key_message aes = key_message.newBuilder().setKeyName("app-symmetric-key")
        .setKeyType("aes-256-gcm").setSecretKeyBits(ByteString.copyFrom(new byte[] {
            (byte) 0xab, (byte) 0xcd})).build();
    assertEquals("Key[aes-256-gcm, app-symmetric-key]", Statements.describe(aes));
  }

  @Test
  void measurementsWithRegisters() {
    byte[] m = {0x01, (byte) 0xff};
    assertEquals("Measurement[01ff]", Statements.describe(Entities.measurement(m)));
    assertEquals("Measurement[01ff] using (7, 8)",
        Statements.describe(Entities.measurement(m, new byte[] {7, 8})));
  }

  @Test
  void platformsAndEnvironments() {
    assertEquals("platform[amd-sev-snp, no key, debug: no, api-major: >= 0, "
        + "tcb-version: >= 18446744073709551615]",
        Statements.describe(Entities.platform(Fixtures.sevTemplate(-1L))));
    entity_message env = Fixtures.environment(Fixtures.platform("sgx",
        Fixtures.integer("cpusvn", "=", 3)), new byte[] {0x0a});
    assertEquals("environment[platform[sgx, no key, cpusvn: 3], measurement: 0a]",
        Statements.describe(env));
    String keyed = Statements.describe(Entities.platform(Fixtures.platform("sgx").toBuilder()
        .setHasKey(true).setAttestKey(Fixtures.rsa("pk", 1)).build()));
    assertTrue(keyed.startsWith("platform[sgx, key: Key[rsa, pk, "), keyed);
  }

  @Test
  void clauseShapes() {
    entity_message k = Entities.key(Fixtures.rsa("k", 1));
    entity_message m = Entities.measurement(new byte[] {1});
    String key = Statements.describe(k);
    assertEquals(key + " speaks-for Measurement[01]",
        Statements.describe(Clauses.simple(k, Verb.SPEAKS_FOR, m)));
    assertEquals(key + " says Measurement[01] is-trusted",
        Statements.describe(Clauses.says(k, Clauses.unary(m, Verb.IS_TRUSTED))));
    // Only a nested assertion is bracketed.
    assertEquals(key + " says (" + key + " says Measurement[01] is-trusted)",
        Statements.describe(Clauses.says(k, Clauses.says(k, Clauses.unary(m,
            Verb.IS_TRUSTED)))));
  }

  @Test
  void malformedStatementsStillPrint() {
    assertEquals("? ?", Statements.describe(vse_clause.getDefaultInstance()));
    assertEquals("entity[program] is-trusted", Statements.describe(vse_clause.newBuilder()
        .setSubject(entity_message.newBuilder().setEntityType("program")).setVerb("is-trusted")
        .build()));
    assertEquals("Key[rsa, k, ?]", Statements.describe(key_message.newBuilder()
        .setKeyName("k").setKeyType("rsa-2048-public").build()));
  }

  @Test
  void untrustedTextCannotForgeLogLines() {
    String name = "evil\nINFO admitted" + "x".repeat(200);
    String printed = Statements.describe(Fixtures.rsa(name, 1));
    assertFalse(printed.contains("\n"));
    assertTrue(printed.contains("evil?INFO admitted"));
    assertTrue(printed.length() < 160, printed);
  }

  @Test
  void proofsListOneStepPerLine() {
    entity_message k = Entities.key(Fixtures.rsa("k", 1));
    entity_message m = Entities.measurement(new byte[] {1});
    vse_clause axiom = Clauses.unary(k, Verb.IS_TRUSTED);
    vse_clause said = Clauses.says(k, Clauses.unary(m, Verb.IS_TRUSTED));
    proof p = proof.newBuilder().addAllSteps(List.of(proof_step.newBuilder().setS1(axiom)
        .setS2(said).setConclusion(Clauses.unary(m, Verb.IS_TRUSTED)).setRuleApplied(3)
        .build(), proof_step.newBuilder().setRuleApplied(1).build())).build();
    String key = Statements.describe(k);
    assertEquals("1. rule 3: " + key + " is-trusted and " + key
        + " says Measurement[01] is-trusted => Measurement[01] is-trusted\n"
        + "2. rule 1: ? and ? => ?", Statements.describe(p));
  }
}
