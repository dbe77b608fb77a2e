package io.trellis.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class ChallengeTest {
  @Test
  void bearerChallengeAsDistributionSendsIt() {
    Challenge c =
        Challenge.parse(
                "Bearer realm=\"https://auth.example/token\",service=\"registry.example\","
                    + "scope=\"repository:org/echo:pull\",error=\"invalid_token\"")
            .orElseThrow();
    assertTrue(c.bearer());
    assertEquals("https://auth.example/token", c.param("realm"));
    assertEquals("registry.example", c.param("service"));
    assertEquals("repository:org/echo:pull", c.param("scope"));
  }

  @Test
  void basicAndUnknownSchemes() {
    assertTrue(Challenge.parse("Basic realm=\"Registry Realm\"").orElseThrow().basic());
    assertEquals(
        "Registry Realm",
        Challenge.parse("basic realm=\"Registry Realm\"").orElseThrow().param("realm"));
    assertTrue(Challenge.parse("Negotiate abc").isEmpty());
    assertTrue(Challenge.parse(null).isEmpty());
    assertTrue(Challenge.parse("Bearer").orElseThrow().params().isEmpty());
  }

  @Test
  void tokensAreKeptUntilShortlyBeforeTheyExpire() {
    TokenCache cache = new TokenCache();
    cache.put("r", "repository:a:pull", "t1", Duration.ofSeconds(6));
    assertEquals("t1", cache.get("r", "repository:a:pull"));
    assertNull(cache.get("r", "repository:a:pull,push"));
    cache.put("r", "repository:b:pull", "short", Duration.ofSeconds(3));
    assertNull(cache.get("r", "repository:b:pull"), "a token about to expire is not kept");
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> cache.get("r", "repository:a:pull") == null);
    cache.put("r", "s", "t2", Duration.ofMinutes(5));
    assertNotNull(cache.get("r", "s"));
    cache.invalidate("r", "s");
    assertNull(cache.get("r", "s"));
  }
}
