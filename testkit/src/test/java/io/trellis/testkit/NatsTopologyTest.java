package io.trellis.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.JetStreamOptions;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueOptions;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

// jnats Connection.close() throws InterruptedException; try-with-resources is still right here
@SuppressWarnings("try")
class NatsTopologyTest {

  private static KeyValueOptions domain(String d) {
    return KeyValueOptions.builder().jsDomain(d).jsRequestTimeout(Duration.ofSeconds(3)).build();
  }

  @Test
  void aHubBucketIsUsableFromLeavesThroughTheHubDomain() throws Exception {
    try (NatsTopology t = NatsTopology.hubAndLeaves("hub", "leaf1", "leaf2");
        Connection hub = t.hub().connect();
        Connection leaf1 = t.leaf("leaf1").connect();
        Connection leaf2 = t.leaf("leaf2").connect()) {
      assertEquals(List.of("leaf1", "leaf2"), t.leafDomains());
      hub.keyValueManagement(domain("hub"))
          .create(
              KeyValueConfiguration.builder().name("shared").storageType(StorageType.File).build());

      KeyValue fromLeaf1 = leaf1.keyValue("shared", domain("hub"));
      fromLeaf1.put("k", "written-on-leaf1");
      assertEquals(
          "written-on-leaf1", leaf2.keyValue("shared", domain("hub")).get("k").getValueAsString());
      assertEquals("written-on-leaf1", hub.keyValue("shared").get("k").getValueAsString());

      // without a domain a leaf client talks to its own JetStream, which has no such bucket
      assertEquals("leaf1", leaf1.jetStreamManagement().getAccountStatistics().getDomain());
      assertFalse(leaf1.keyValueManagement().getBucketNames().contains("shared"));
      assertEquals(
          "hub",
          leaf1
              .jetStreamManagement(JetStreamOptions.builder().domain("hub").build())
              .getAccountStatistics()
              .getDomain());
    }
  }

  @Test
  void globalSuperclusterServesTheHubDomainToBothLeavesAndSurvivesLosingAHubServer()
      throws Exception {
    try (NatsTopology t = NatsTopology.global()) {
      assertEquals(4, t.hubServers().size());
      assertEquals(2, t.cluster("hub-a").size());
      try (Connection us = t.leaf("us").connect();
          Connection eu = t.leaf("eu").connect()) {
        us.keyValueManagement(domain("hub"))
            .create(
                KeyValueConfiguration.builder()
                    .name("global")
                    .storageType(StorageType.File)
                    .build());
        us.keyValue("global", domain("hub")).put("k", "from-us");
        assertEquals("from-us", eu.keyValue("global", domain("hub")).get("k").getValueAsString());

        eu.createDispatcher(m -> eu.publish(m.getReplyTo(), m.getData())).subscribe("echo.eu");
        eu.flush(Duration.ofSeconds(2));
        // the leaf picked one of hub-b's servers at random: take away the one it is on
        NatsServer victim = t.attachedHub("eu").orElseThrow();
        assertTrue(t.cluster("hub-b").contains(victim), "leaf eu is on hub-b: " + victim);
        assertTrue(
            t.cluster("hub-a").contains(t.attachedHub("us").orElseThrow()), "leaf us is on hub-a");
        NatsServer other =
            t.cluster("hub-b").stream().filter(s -> s != victim).findFirst().orElseThrow();
        victim.kill();
        assertFalse(victim.isRunning());
        // leaf eu fails over to the other hub-b server; us -> eu still routes
        Awaitility.await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> t.attachedHub("eu").filter(h -> h == other).isPresent());
        Awaitility.await()
            .atMost(Duration.ofSeconds(20))
            .ignoreExceptions()
            .until(
                () -> {
                  var reply =
                      us.request(
                          "echo.eu",
                          "ping".getBytes(StandardCharsets.UTF_8),
                          Duration.ofMillis(500));
                  return reply != null
                      && "ping".equals(new String(reply.getData(), StandardCharsets.UTF_8));
                });
        assertTrue(other.monitor("/healthz").isPresent());
      }
    }
  }
}
