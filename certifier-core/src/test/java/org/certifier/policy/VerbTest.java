package org.certifier.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class VerbTest {
  private static final Set<Verb> DELEGATED = EnumSet.of(Verb.IS_TRUSTED_FOR_ATTESTATION,
      Verb.IS_TRUSTED_FOR_AUTHENTICATION, Verb.IS_TRUSTED_FOR_KEY_PROVISION);

  @Property
  void dominanceIsTheTreeOfSection3_4(@ForAll Verb a, @ForAll Verb b) {
    boolean expected = a == b || (a == Verb.IS_TRUSTED && DELEGATED.contains(b));
    assertEquals(expected, a.dominates(b), a + " dominates " + b);
  }

  @Property
  void labelsRoundTrip(@ForAll Verb v) {
    assertEquals(Optional.of(v), Verb.fromLabel(v.label()));
    assertEquals(v.label(), v.toString());
  }

  @Example
  void labelsAreTheReferenceSpellings() {
    assertEquals(Set.of("says", "speaks-for", "is-trusted", "is-trusted-for-attestation",
        "is-trusted-for-authentication", "is-trusted-for-key-provision", "is-environment",
        "has-trusted-platform-property", "environment-platform-is-trusted",
        "environment-measurement-is-trusted"),
        EnumSet.allOf(Verb.class).stream().map(Verb::label)
            .collect(java.util.stream.Collectors.toSet()));
  }

  @Example
  void unknownLabelsAreNotVerbs() {
    assertEquals(Optional.empty(), Verb.fromLabel("Is-Trusted"));
    assertEquals(Optional.empty(), Verb.fromLabel("is-trusted "));
    assertEquals(Optional.empty(), Verb.fromLabel(null));
  }

  @Example
  void trustVerbsAreTheDominanceTree() {
    assertTrue(Verb.IS_TRUSTED.isTrust());
    assertTrue(Verb.IS_TRUSTED_FOR_KEY_PROVISION.isTrust());
    assertFalse(Verb.SPEAKS_FOR.isTrust());
    assertFalse(Verb.IS_ENVIRONMENT.isTrust());
  }
}
