package org.certifier.verifiers.sevsnp;

import static org.certifier.verifiers.sevsnp.SnpVectors.MILAN_TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.certifier.proto.platform;
import org.certifier.proto.property;
import org.junit.jupiter.api.Test;

/** The reference's platform-property vocabulary, with AMD's bit meanings. */
class SnpPropertiesTest {
  private final SnpVerifier verifier = new SnpVerifier(AmdRoots.embedded());

  @Test
  void goSevGuestReportIsDebuggableWithSmt() throws Exception {
    platform p = SnpProperties.platform(verifier.verify(SnpVectors.goSevGuestReport(),
        SnpVectors.goSevGuestVcek(), MILAN_TIME));

    assertEquals("amd-sev-snp", p.getPlatformType());
    assertFalse(p.getHasKey());
    assertFalse(p.hasAttestKey());
    // Go read policy 0xb0000 as single-socket yes (bit 19), debug no (bit 18) and migrate yes
    // (bit 17, reserved and always one).
    assertEquals(List.of(
        string("single-socket", "no"),
        string("debug", "yes"),
        string("smt", "yes"),
        string("migrate", "no"),
        integer("api-major", 0),
        integer("api-minor", 0),
        integer("tcb-version", 0x4405000000000002L),
        integer("tcb-bootloader", 2),
        integer("tcb-tee", 0),
        integer("tcb-snp", 5),
        integer("tcb-microcode", 68),
        integer("vmpl", 0)), p.getProps().getPropsList());
  }

  @Test
  void virteeReportIsNeitherDebuggableNorMigratable() throws Exception {
    platform p = SnpProperties.platform(verifier.verify(SnpVectors.virteeReport(),
        SnpVectors.virteeVcek(), MILAN_TIME));

    assertEquals(List.of(
        string("single-socket", "no"),
        string("debug", "no"),
        string("smt", "yes"),
        string("migrate", "no"),
        integer("api-major", 0),
        integer("api-minor", 0),
        integer("tcb-version", 0x7308000000000003L),
        integer("tcb-bootloader", 3),
        integer("tcb-tee", 0),
        integer("tcb-snp", 8),
        integer("tcb-microcode", 115),
        integer("vmpl", 0)), p.getProps().getPropsList());
    assertEquals(p, platform.parseFrom(p.toByteArray()));
  }

  @Test
  void singleSocketMigrationAgentAndAbiComeFromTheirOwnBits() throws Exception {
    SnpClaims claims = SnpClaims.of(SnpReport.parse(ReportBytes.of(SnpVectors.virteeReport())
        .u64(SnpLayout.POLICY, 0x20000 | 1L << 18 | 1L << 20 | 0x0134).bytes()),
        SnpProduct.MILAN);

    List<property> props = SnpProperties.platform(claims).getProps().getPropsList();

    assertEquals(string("single-socket", "yes"), props.get(0));
    assertEquals(string("debug", "no"), props.get(1));
    assertEquals(string("smt", "no"), props.get(2));
    assertEquals(string("migrate", "yes"), props.get(3));
    assertEquals(integer("api-major", 1), props.get(4));
    assertEquals(integer("api-minor", 0x34), props.get(5));
  }

  @Test
  void turinAddsTheFmcAndTheVmplIsTheReports() throws Exception {
    SnpClaims claims = SnpClaims.of(SnpReport.parse(ReportBytes.of(SnpReportTest.minimalReport())
        .version(3, 0x1A, 0x02, 0x01).allTcbs(TcbVersion.turin(1, 2, 3, 4, 9).raw())
        .u32(SnpLayout.VMPL, 2).bytes()), SnpProduct.TURIN);

    List<property> props = SnpProperties.platform(claims).getProps().getPropsList();

    assertEquals(List.of(integer("tcb-bootloader", 2), integer("tcb-tee", 3),
        integer("tcb-snp", 4), integer("tcb-microcode", 9), integer("tcb-fmc", 1),
        integer("vmpl", 2)), props.subList(7, props.size()));
  }

  private static property string(String name, String value) {
    return property.newBuilder().setPropertyName(name).setValueType("string")
        .setStringValue(value).build();
  }

  private static property integer(String name, long value) {
    return property.newBuilder().setPropertyName(name).setValueType("int").setComparator("=")
        .setIntValue(value).build();
  }
}
