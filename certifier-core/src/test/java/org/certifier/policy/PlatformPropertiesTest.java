package org.certifier.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.certifier.evidence.Failure;
import org.certifier.evidence.VerificationException;
import org.certifier.proto.platform;
import org.certifier.proto.property;

class PlatformPropertiesTest {
  @Example
  void sevPlatformSatisfiesTemplate() throws VerificationException {
    PlatformProperties.check(Fixtures.sevTemplate(115), Fixtures.observedSev(115));
    PlatformProperties.check(Fixtures.sevTemplate(115), Fixtures.observedSev(116));
  }

  @Example
  void tcbBelowTheMinimumIsReadable() {
    assertEquals("tcb-version 68 < 115 required",
        mismatch(Fixtures.sevTemplate(115), Fixtures.observedSev(68)));
  }

  @Example
  void stringMismatchIsReadable() {
    platform debug = Fixtures.platform("amd-sev-snp", Fixtures.string("debug", "yes"),
        Fixtures.integer("api-major", "=", 1), Fixtures.integer("tcb-version", "=", 200));
    assertEquals("debug: observed yes, policy requires no",
        debugRefused(Fixtures.sevTemplate(115), debug));
  }

  @Example
  void platformTypeMustMatch() {
    platform sgx = Fixtures.observedSev(200).toBuilder().setPlatformType("sgx").build();
    assertEquals("platform type: observed sgx, policy requires amd-sev-snp",
        mismatch(Fixtures.sevTemplate(115), sgx));
  }

  @Example
  void missingPropertyFails() {
    platform template = Fixtures.platform("amd-sev-snp", Fixtures.goString("smt", "no"));
    assertEquals("smt: not reported by the platform, policy requires smt: no",
        mismatch(template, Fixtures.observedSev(1)));
  }

  @Example
  void everyUnmetRequirementIsListed() {
    platform debug = Fixtures.platform("amd-sev-snp", Fixtures.string("debug", "yes"),
        Fixtures.integer("api-major", "=", 1), Fixtures.integer("tcb-version", "=", 3));
    assertEquals("debug: observed yes, policy requires no; tcb-version 3 < 115 required",
        mismatch(Fixtures.sevTemplate(115), debug));
  }

  @Example
  void intEqualityNeedsTheSameValue() {
    platform template = Fixtures.platform("amd-sev-snp", Fixtures.integer("api-minor", "=", 54));
    assertEquals("api-minor: observed 55, policy requires 54",
        mismatch(template, Fixtures.observedSev(1)));
  }

  @Example
  void unknownComparatorFails() {
    platform template = Fixtures.platform("amd-sev-snp", Fixtures.integer("api-minor", ">", 1));
    assertTrue(mismatch(template, Fixtures.observedSev(1)).contains("unknown comparator"));
  }

  @Example
  void valueTypeMismatchFails() {
    platform template = Fixtures.platform("amd-sev-snp", Fixtures.goString("api-major", "1"));
    assertTrue(mismatch(template, Fixtures.observedSev(1)).contains("type"));
  }

  @Example
  void observedIntMustBeAnEquality() {
    platform observed = Fixtures.platform("amd-sev-snp", Fixtures.integer("tcb-version", ">=", 9));
    assertTrue(mismatch(Fixtures.sevTemplate(1).toBuilder()
        .setProps(Fixtures.sevTemplate(1).getProps().toBuilder().removeProps(0).removeProps(0))
        .build(), observed).contains("instead of"));
  }

  @Example
  void duplicateObservedPropertyFails() {
    platform observed = Fixtures.platform("amd-sev-snp", Fixtures.string("debug", "no"),
        Fixtures.string("debug", "yes"));
    platform template = Fixtures.platform("amd-sev-snp", Fixtures.goString("debug", "no"));
    assertTrue(mismatch(template, observed).contains("reported 2 times"));
  }

  @Example
  void templateKeyMustBeTheObservedKey() throws VerificationException {
    platform template = Fixtures.platform("sgx").toBuilder().setHasKey(true)
        .setAttestKey(Fixtures.rsa("pk", 1)).build();
    assertTrue(mismatch(template, Fixtures.platform("sgx")).startsWith("platform key"));
    PlatformProperties.check(template, template.toBuilder()
        .setAttestKey(Fixtures.rsa("renamed", 1)).build());
  }

  @Example
  void templateWithoutPropertiesAcceptsAnyPlatformOfItsType() throws VerificationException {
    PlatformProperties.check(Fixtures.platform("amd-sev-snp"), Fixtures.observedSev(0));
  }

  @Example
  void aDebuggablePlatformNeedsATemplateThatNamesDebug() throws VerificationException {
    platform debuggable = Fixtures.platform("amd-sev-snp", Fixtures.goString("debug", "yes"),
        Fixtures.integer("api-major", "=", 1), Fixtures.integer("tcb-version", "=", 200));
    String why = "debug: the host can debug this platform (debug: yes); only a policy template"
        + " that names debug, e.g. debug: yes, accepts that";

    assertEquals(why, debugRefused(Fixtures.platform("amd-sev-snp"), debuggable));
    assertEquals(why, debugRefused(Fixtures.platform("amd-sev-snp",
        Fixtures.integer("tcb-version", ">=", 115)), debuggable));
    // Saying so is enough; a template demanding debug: no refuses it for debugging too.
    PlatformProperties.check(Fixtures.platform("amd-sev-snp", Fixtures.goString("debug", "yes")),
        debuggable);
    assertEquals("debug: observed yes, policy requires no",
        debugRefused(Fixtures.sevTemplate(115), debuggable));
    // A template demanding debug: yes of a platform that cannot be debugged is a mismatch.
    platform locked = Fixtures.platform("amd-sev-snp", Fixtures.goString("debug", "no"));
    assertEquals("debug: observed no, policy requires yes", mismatch(Fixtures.platform(
        "amd-sev-snp", Fixtures.goString("debug", "yes")), locked));
  }

  @Example
  void anythingButDebugNoCountsAsDebuggable() {
    for (property odd : new property[] {Fixtures.string("debug", "maybe"),
        Fixtures.string("debug", "NO"), Fixtures.integer("debug", "=", 0),
        Fixtures.string("debug", "no").toBuilder().clearStringValue().build()}) {
      assertTrue(debugRefused(Fixtures.platform("sgx"), Fixtures.platform("sgx", odd))
          .startsWith("debug: the host can debug this platform"), odd.toString());
    }
  }

  @Example
  void missingPlatformFails() {
    assertEquals("no platform to compare", mismatch(null, Fixtures.observedSev(1)));
  }

  @Property
  void greaterOrEqualIsUnsigned(@ForAll long minimum, @ForAll long observed) {
    platform template = Fixtures.platform("amd-sev-snp",
        Fixtures.integer("tcb-version", ">=", minimum));
    platform seen = Fixtures.platform("amd-sev-snp",
        Fixtures.integer("tcb-version", "=", observed));
    boolean satisfied = true;
    try {
      PlatformProperties.check(template, seen);
    } catch (VerificationException e) {
      assertEquals(Failure.PLATFORM_PROPERTY_MISMATCH, e.failure());
      satisfied = false;
    }
    assertEquals(Long.compareUnsigned(observed, minimum) >= 0, satisfied);
  }

  @Example
  void valuesAbove2To63AreLarge() throws VerificationException {
    long huge = 0xFFFF_FFFF_FFFF_FFFFL; // the VCEK "no TCB" marker, 2^64 - 1
    PlatformProperties.check(
        Fixtures.platform("amd-sev-snp", Fixtures.integer("tcb-version", ">=", 115)),
        Fixtures.platform("amd-sev-snp", Fixtures.integer("tcb-version", "=", huge)));
    assertEquals("tcb-version 115 < 9223372036854775808 required", mismatch(
        Fixtures.platform("amd-sev-snp", Fixtures.integer("tcb-version", ">=", Long.MIN_VALUE)),
        Fixtures.platform("amd-sev-snp", Fixtures.integer("tcb-version", "=", 115))));
  }

  @Example
  void namelessPropertiesFail() {
    property nameless = Fixtures.string("x", "y").toBuilder().clearPropertyName().build();
    assertTrue(mismatch(Fixtures.platform("sgx", nameless), Fixtures.platform("sgx"))
        .contains("without a name"));
    assertTrue(mismatch(Fixtures.platform("sgx"), Fixtures.platform("sgx", nameless))
        .contains("without a name"));
  }

  @Example
  void aTemplateSilentAboutTheGradedTcbAcceptsOnlyUpToDateWithoutAdvisories()
      throws VerificationException {
    PlatformProperties.check(Fixtures.platform("intel-tdx"), intel("UpToDate", ""));
    assertEquals("tcb-status: observed tcb-status: OutOfDate; a policy template that does not"
        + " name tcb-status accepts only UpToDate; advisory-ids: observed advisory-ids:"
        + " INTEL-SA-00615; a policy template that does not name advisory-ids accepts none",
        tcbRefused(Fixtures.platform("intel-tdx"), intel("OutOfDate", "INTEL-SA-00615")));
  }

  @Example
  void inAcceptsEachListedValue() throws VerificationException {
    platform template = Fixtures.platform("intel-tdx",
        in("tcb-status", "UpToDate,SWHardeningNeeded"),
        in("advisory-ids", "INTEL-SA-00615,INTEL-SA-00657"));
    PlatformProperties.check(template, intel("UpToDate", ""));
    PlatformProperties.check(template, intel("SWHardeningNeeded", "INTEL-SA-00615"));
    PlatformProperties.check(template,
        intel("SWHardeningNeeded", "INTEL-SA-00657,INTEL-SA-00615"));

    assertEquals("tcb-status: observed OutOfDate, policy accepts only"
        + " UpToDate,SWHardeningNeeded", tcbRefused(template, intel("OutOfDate",
            "INTEL-SA-00615")));
    assertEquals("advisory-ids: observed INTEL-SA-00828, policy accepts only"
        + " INTEL-SA-00615,INTEL-SA-00657", tcbRefused(template,
            intel("SWHardeningNeeded", "INTEL-SA-00615,INTEL-SA-00828")));
    // Whole elements only: a prefix of an accepted value is another value.
    assertEquals("tcb-status: observed UpTo, policy accepts only UpToDate,SWHardeningNeeded",
        tcbRefused(template, intel("UpTo", "")));
  }

  @Example
  void aRefusedTcbWithAnotherMismatchIsAPlatformMismatch() {
    platform template = Fixtures.platform("intel-tdx", Fixtures.integer("qe-svn", ">=", 9));
    platform observed = intel("OutOfDate", "").toBuilder()
        .setProps(intel("OutOfDate", "").getProps().toBuilder()
            .addProps(Fixtures.integer("qe-svn", "=", 8)))
        .build();
    assertEquals("qe-svn 8 < 9 required; tcb-status: observed tcb-status: OutOfDate; a policy"
        + " template that does not name tcb-status accepts only UpToDate",
        mismatch(template, observed));
  }

  @Example
  void inIsForStringsOnly() {
    platform template = Fixtures.platform("intel-tdx", Fixtures.integer("qe-svn", "in", 9));
    platform observed = Fixtures.platform("intel-tdx", Fixtures.integer("qe-svn", "=", 9));
    assertEquals("qe-svn: unknown comparator in", mismatch(template, observed));
  }

  private static platform intel(String status, String advisories) {
    return Fixtures.platform("intel-tdx", Fixtures.string("debug", "no"),
        Fixtures.string("tcb-status", status), Fixtures.string("advisory-ids", advisories));
  }

  private static property in(String name, String values) {
    return Fixtures.string(name, values).toBuilder().setComparator("in").build();
  }

  private static String tcbRefused(platform template, platform observed) {
    VerificationException e = assertThrows(VerificationException.class,
        () -> PlatformProperties.check(template, observed));
    assertEquals(Failure.TCB_STATUS_NOT_ACCEPTED, e.failure());
    return e.getMessage();
  }

  private static String debugRefused(platform template, platform observed) {
    VerificationException e = assertThrows(VerificationException.class,
        () -> PlatformProperties.check(template, observed));
    assertEquals(Failure.DEBUG_NOT_ALLOWED, e.failure());
    return e.getMessage();
  }

  private static String mismatch(platform template, platform observed) {
    VerificationException e = assertThrows(VerificationException.class,
        () -> PlatformProperties.check(template, observed));
    assertEquals(Failure.PLATFORM_PROPERTY_MISMATCH, e.failure());
    return e.getMessage();
  }
}
