package org.certifier.verifiers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.certifier.proto.property;
import org.junit.jupiter.api.Test;

/** The value types and comparators every platform's observed properties carry. */
class ObservedPropertiesTest {
  @Test
  void intsAndStringsCompareByEquality() {
    property svn = ObservedProperties.equalTo("isv-svn", 0xFFFF_FFFFL);
    assertEquals("isv-svn", svn.getPropertyName());
    assertEquals("int", svn.getValueType());
    assertEquals("=", svn.getComparator());
    assertEquals(0xFFFF_FFFFL, svn.getIntValue());
    assertFalse(svn.hasStringValue());

    property status = ObservedProperties.equalTo("tcb-status", "UpToDate");
    assertEquals("string", status.getValueType());
    assertEquals("=", status.getComparator());
    assertEquals("UpToDate", status.getStringValue());
    assertFalse(status.hasIntValue());
  }

  @Test
  void yesNoLeavesTheComparatorUnsetAsTheReferenceDoes() {
    property debug = ObservedProperties.yesNo("debug", true);
    assertEquals("string", debug.getValueType());
    assertEquals("yes", debug.getStringValue());
    assertFalse(debug.hasComparator());
    assertEquals("no", ObservedProperties.yesNo("smt", false).getStringValue());
  }
}
