package io.trellis.wasmbus.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BooleanSettingTest {

  @ParameterizedTest
  @ValueSource(strings = {"true", "TRUE", "yes", "Yes", "on", "ON", "enabled", "1", " on "})
  void acceptsTrueSpellingsInAnyCase(String v) {
    assertTrue(BooleanSetting.parse("S", v));
  }

  @ParameterizedTest
  @ValueSource(strings = {"false", "False", "no", "NO", "off", "Off", "disabled", "0", "\toff\n"})
  void acceptsFalseSpellingsInAnyCase(String v) {
    assertFalse(BooleanSetting.parse("S", v));
  }

  @ParameterizedTest
  @ValueSource(strings = {"maybe", "tru", "2", "-1", "y", "n", "enable", "", " ", "on off"})
  void refusesEverythingElseNamingTheSettingAndTheValue(String v) {
    InvalidSettingException e =
        assertThrows(InvalidSettingException.class, () -> BooleanSetting.parse("MY_SWITCH", v));
    assertEquals(
        "MY_SWITCH '" + v + "' is not a boolean (accepted: " + BooleanSetting.ACCEPTED + ")",
        e.getMessage());
  }

  @Test
  void nullIsRefusedWithoutADefaultAndDefaultedWithOne() {
    assertThrows(InvalidSettingException.class, () -> BooleanSetting.parse("S", null));
    assertTrue(BooleanSetting.parse("S", null, true));
    assertFalse(BooleanSetting.parse("S", "  ", false));
    assertTrue(BooleanSetting.parse("S", "on", false));
    InvalidSettingException e =
        assertThrows(InvalidSettingException.class, () -> BooleanSetting.parse("S", "x", true));
    assertTrue(e.getMessage().startsWith("S 'x' is not a boolean"), e.getMessage());
  }
}
