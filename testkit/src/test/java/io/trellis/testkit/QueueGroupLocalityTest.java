package io.trellis.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * What Trellis' locality rests on (docs/ARCHITECTURE.md, "Locality"), checked against the real
 * nats-server: in the global topology, a request for a queue group that has members behind leaf us
 * and leaf eu goes to the member on the server where it is published, else to one in the
 * publisher's cluster, and crosses a gateway only when there is none; when the local member leaves,
 * the next request goes to the other region.
 */
class QueueGroupLocalityTest {
  static final String SUBJECT = "wasmbus.rpc.default.MTESTACTOR";
  static final int N = 200;

  /** A queue subscriber that answers with its region's name. */
  static Dispatcher member(Connection c, String region) throws Exception {
    byte[] name = region.getBytes(StandardCharsets.UTF_8);
    Dispatcher d = c.createDispatcher(m -> c.publish(m.getReplyTo(), name));
    d.subscribe(SUBJECT, SUBJECT);
    c.flush(Duration.ofSeconds(5));
    return d;
  }

  static String ask(Connection c) throws InterruptedException {
    Message m = c.request(SUBJECT, new byte[0], Duration.ofSeconds(5));
    if (m == null) {
      return "timeout";
    }
    return m.isStatusMessage()
        ? "status " + m.getStatus()
        : new String(m.getData(), StandardCharsets.UTF_8);
  }

  /** Who answered {@code N} requests published on {@code c}. */
  static Map<String, Integer> answers(Connection c) throws InterruptedException {
    Map<String, Integer> counts = new TreeMap<>();
    for (int i = 0; i < N; i++) {
      counts.merge(ask(c), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void theLocalMemberIsPreferredAndTheOtherRegionTakesOverWhenItLeaves() throws Exception {
    try (NatsTopology t = NatsTopology.global();
        Connection us = t.leaf("us").connect();
        Connection eu = t.leaf("eu").connect();
        Connection atEu = t.leaf("eu").connect();
        Connection atHubB = t.server("hub-b-1").connect();
        Connection atHubA = t.server("hub-a-1").connect()) {
      member(us, "us");
      // us's interest has crossed leaf us -> hub-a -> gateway -> hub-b -> leaf eu
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> ask(atEu).equals("us") && ask(atHubB).equals("us"));
      Dispatcher euMember = member(eu, "eu");
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> ask(atHubB).equals("eu"));

      assertEquals(Map.of("eu", N), answers(atEu), "published on leaf eu: served on leaf eu");
      assertEquals(Map.of("eu", N), answers(atHubB), "published in hub-b: its leaf eu, no gateway");
      assertEquals(Map.of("us", N), answers(atHubA), "published in hub-a: its leaf us");

      euMember.unsubscribe(SUBJECT);
      eu.flush(Duration.ofSeconds(5));
      assertEquals(Map.of("us", N), answers(atEu), "eu gone: leaf eu's requests go to us");
    }
  }
}
