package io.trellis.host.config;

import java.util.concurrent.ThreadLocalRandom;

/** Random adjective-noun host names, so people can tell hosts apart at a glance. */
final class FriendlyNames {
  private static final String[] ADJECTIVES = {
    "amber", "brave", "calm", "crimson", "eager", "fancy", "gentle", "golden", "hidden", "jolly",
    "lively", "mellow", "nimble", "quiet", "rapid", "silent", "snowy", "sunny", "swift", "wild"
  };
  private static final String[] NOUNS = {
    "badger", "brook", "canyon", "cedar", "comet", "falcon", "fern", "glacier", "harbor", "heron",
    "lagoon", "maple", "meadow", "otter", "pine", "river", "sparrow", "summit", "thistle", "willow"
  };

  private FriendlyNames() {}

  static String next() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return ADJECTIVES[r.nextInt(ADJECTIVES.length)]
        + "-"
        + NOUNS[r.nextInt(NOUNS.length)]
        + "-"
        + (1000 + r.nextInt(9000));
  }
}
