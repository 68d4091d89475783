package org.certifier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.certifier.proto.environment;
import org.certifier.proto.platform;
import org.certifier.proto.property;
import org.certifier.proto.vse_clause;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `certifier property|platform|environment make`: make_property, make_platform, ... (§5.1). */
class PlatformCommandsTest {
  @TempDir
  Path dir;

  @Test
  void buildsAnSevPlatformStatementStepByStep() throws Exception {
    ok("property", "make", "--name", "debug", "--type", "string", "--string-value", "no",
        "--output", dir.resolve("p1"));
    ok("property", "make", "--property_name", "api-major", "--property_type", "int",
        "--comparator", ">=", "--int_value", "0", "--output", dir.resolve("p2"));
    ok("property", "make", "--name", "tcb-version", "--type", "int", "--comparator", "ge",
        "--int-value", "0x0300000000008115", "--output", dir.resolve("p3"));
    property debug = property.parseFrom(Files.readAllBytes(dir.resolve("p1")));
    // make_property always writes the comparator, also for strings.
    assertEquals("=", debug.getComparator());
    assertEquals(0x0300000000008115L,
        property.parseFrom(Files.readAllBytes(dir.resolve("p3"))).getIntValue());
    ok("property", "combine", "--in", dir.resolve("p1") + "," + dir.resolve("p2") + ","
        + dir.resolve("p3"), "--output", dir.resolve("props"));
    Cli.Result r = ok("platform", "make", "--platform_type", "amd-sev-snp",
        "--properties_file", dir.resolve("props"), "--output", dir.resolve("platform"));
    assertTrue(r.out().contains("platform[amd-sev-snp, no key, debug: no, api-major: >= 0,"
        + " tcb-version: >= 216172782113816853]"), r.toString());
    platform p = platform.parseFrom(Files.readAllBytes(dir.resolve("platform")));
    assertTrue(p.hasHasKey() && !p.getHasKey());
    ok("clause", "unary", "--platform-subject", dir.resolve("platform"), "--verb",
        "has-trusted-platform-property", "--output", dir.resolve("clause"));
    assertEquals("has-trusted-platform-property", vse_clause.parseFrom(
        Files.readAllBytes(dir.resolve("clause"))).getVerb());
    r = ok("environment", "make", "--platform-file", dir.resolve("platform"),
        "--measurement-file", Cli.vector("provisioning/example_app.measurement"),
        "--output", dir.resolve("env"));
    assertEquals(32, environment.parseFrom(Files.readAllBytes(dir.resolve("env")))
        .getTheMeasurement().size());
    ok("clause", "unary", "--environment-subject", dir.resolve("env"), "--verb",
        "is-environment", "--output", dir.resolve("env-clause"));
    Cli.Result shown = ok("inspect", dir.resolve("env-clause"));
    assertTrue(shown.out().contains("type: vse_clause") && shown.out().contains(
        "well-formed: yes"), shown.toString());
    assertTrue(ok("inspect", dir.resolve("p3")).out().contains("type: property"));
    assertTrue(ok("inspect", dir.resolve("props")).out().contains("type: properties"));
    assertTrue(ok("inspect", dir.resolve("platform")).out().contains("type: platform"));
    assertTrue(ok("inspect", dir.resolve("env")).out().contains("type: environment"));
  }

  @Test
  void badValuesAreInputErrors() {
    Cli.Result r = Cli.run("property", "make", "--name", "debug", "--type", "string",
        "--comparator", ">=", "--string-value", "no", "--output", dir.resolve("p"));
    assertEquals(ExitCodes.BAD_INPUT, r.exit(), r.toString());
    assertTrue(r.err().contains("strings can only be compared"), r.toString());
    r = Cli.run("property", "make", "--name", "n", "--type", "int", "--int-value", "-3",
        "--output", dir.resolve("p"));
    assertEquals(ExitCodes.BAD_INPUT, r.exit(), r.toString());
    assertTrue(r.err().contains("not an unsigned 64-bit number"), r.toString());
    r = Cli.run("property", "make", "--name", "n", "--type", "float", "--int-value", "3",
        "--output", dir.resolve("p"));
    assertEquals(ExitCodes.BAD_INPUT, r.exit(), r.toString());
    assertFalse(Files.exists(dir.resolve("p")));
  }

  private static Cli.Result ok(Object... args) {
    Cli.Result r = Cli.run(args);
    assertEquals(ExitCodes.OK, r.exit(), r.toString());
    return r;
  }
}
