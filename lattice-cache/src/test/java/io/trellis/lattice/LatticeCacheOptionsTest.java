package io.trellis.lattice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatticeCacheOptionsTest {

  @Test
  void defaultsAndTheBuilder() {
    LatticeCacheOptions d = LatticeCacheOptions.defaults("default");
    assertEquals("LATTICEDATA_default", d.bucketName());
    assertNull(d.jsDomain());
    assertEquals(LatticeCacheOptions.DEFAULT_REQUEST_TIMEOUT, d.requestTimeout());
    assertEquals(LatticeCacheOptions.DEFAULT_LOAD_TIMEOUT, d.loadTimeout());
    assertEquals(LatticeCacheOptions.DEFAULT_WATCH_CHECK_INTERVAL, d.watchCheckInterval());
    LatticeCacheOptions some =
        LatticeCacheOptions.builder("p")
            .jsDomain("hub")
            .requestTimeout(Duration.ofSeconds(1))
            .loadTimeout(Duration.ofSeconds(9))
            .build();
    assertEquals("hub", some.jsDomain());
    assertEquals(Duration.ofSeconds(1), some.requestTimeout());
    assertEquals(Duration.ofSeconds(9), some.loadTimeout());
    assertEquals(
        LatticeCacheOptions.DEFAULT_WATCH_CHECK_INTERVAL,
        some.watchCheckInterval(),
        "what the builder is not told keeps its default");
    assertEquals(some, some.toBuilder().build());
    assertNull(LatticeCacheOptions.builder("p").jsDomain(" ").build().jsDomain());
    assertEquals(
        Duration.ZERO,
        LatticeCacheOptions.builder("p")
            .watchCheckInterval(Duration.ZERO)
            .build()
            .watchCheckInterval());
  }

  @Test
  void badValuesAreRejectedWithTheirName() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LatticeCacheOptions.defaults("a.b"));
    assertEquals(
        "lattice prefix 'a.b' cannot be part of a bucket name (allowed: A-Z a-z 0-9 _ -)",
        e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> LatticeCacheOptions.builder("p").jsDomain("a.b").build());
    assertThrows(
        IllegalArgumentException.class,
        () -> LatticeCacheOptions.builder("p").requestTimeout(Duration.ZERO).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> LatticeCacheOptions.builder("p").watchCheckInterval(Duration.ofSeconds(-1)).build());
    assertThrows(NullPointerException.class, () -> LatticeCacheOptions.defaults(null));
  }
}
