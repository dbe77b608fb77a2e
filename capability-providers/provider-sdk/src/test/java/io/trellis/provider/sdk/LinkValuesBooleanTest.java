package io.trellis.provider.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.wasmbus.settings.BooleanSetting;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Link values parse switches with the same spellings as the host configuration and the CLI. */
class LinkValuesBooleanTest {

  @Test
  void acceptsTheSharedSpellingsCaseInsensitively() {
    LinkValues v =
        LinkValues.of(
            Map.of("a", "On", "b", "off", "c", "ENABLED", "d", "disabled", "e", "1", "f", "no"));
    assertTrue(v.getBoolean("A", false));
    assertFalse(v.getBoolean("b", true));
    assertTrue(v.getBoolean("c", false));
    assertFalse(v.getBoolean("d", true));
    assertTrue(v.getBoolean("e", false));
    assertFalse(v.getBoolean("f", true));
  }

  @Test
  void absentOrBlankTakesTheDefault() {
    LinkValues v = LinkValues.of(Map.of("blank", " "));
    assertTrue(v.getBoolean("missing", true));
    assertFalse(v.getBoolean("blank", false));
  }

  @Test
  void anythingElseIsRefusedNamingTheKeyAndTheValue() {
    LinkValues v = LinkValues.of(Map.of("TLS", "maybe", "y", "y"));
    InvalidLinkValueException e =
        assertThrows(InvalidLinkValueException.class, () -> v.getBoolean("tls", false));
    assertEquals(
        "link value tls 'maybe' is not a boolean (accepted: " + BooleanSetting.ACCEPTED + ")",
        e.getMessage());
    assertThrows(InvalidLinkValueException.class, () -> v.getBoolean("y", false));
  }
}
