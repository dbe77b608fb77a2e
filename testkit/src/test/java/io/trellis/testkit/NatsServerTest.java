package io.trellis.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import java.nio.file.Files;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

// jnats Connection.close() throws InterruptedException; try-with-resources is still right here
@SuppressWarnings("try")
class NatsServerTest {

  @Test
  void startsOnAFreeLoopbackPortWithJetStreamAndAGeneratedConfig() throws Exception {
    try (NatsServer a = NatsServer.start();
        NatsServer b =
            NatsServer.start(NatsServerOptions.builder().name("other").jsDomain("d1").build())) {
      assertNotEquals(a.port(), b.port());
      assertEquals("nats://127.0.0.1:" + a.port(), a.url());
      assertTrue(a.isRunning());
      assertTrue(Files.readString(b.configFile()).contains("domain: \"d1\""));
      assertTrue(b.monitor("/jsz").orElseThrow().contains("\"domain\": \"d1\""));
      assertTrue(Files.readString(a.logFile()).contains("Server is ready"));
      try (Connection nc = a.connect()) {
        assertEquals(Connection.Status.CONNECTED, nc.getStatus());
        assertTrue(nc.jetStreamManagement().getAccountStatistics().getLimits() != null);
      }
    }
  }

  @Test
  void restartKeepsFileBackedJetStreamDataOnTheSamePort() throws Exception {
    try (NatsServer s = NatsServer.start()) {
      int port = s.port();
      long pid = s.pid();
      try (Connection nc = s.connect()) {
        nc.keyValueManagement()
            .create(
                KeyValueConfiguration.builder().name("kit").storageType(StorageType.File).build());
        nc.keyValue("kit").put("k", "v1");
        s.restart();
        assertEquals(port, s.port());
        assertNotEquals(pid, s.pid());
        // the same client reconnects to the restarted server and finds the data
        Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> nc.getStatus() == Connection.Status.CONNECTED);
        KeyValue kv = nc.keyValue("kit");
        Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .ignoreExceptions()
            .until(() -> "v1".equals(kv.get("k").getValueAsString()));
      }
    }
  }

  @Test
  void killIsACrashAndRestartRecoversTheStore() throws Exception {
    try (NatsServer s = NatsServer.start()) {
      try (Connection nc = s.connect()) {
        nc.keyValueManagement()
            .create(
                KeyValueConfiguration.builder()
                    .name("crash")
                    .storageType(StorageType.File)
                    .build());
        nc.keyValue("crash").put("k", "before-crash");
        s.kill();
        assertFalse(s.isRunning());
        Awaitility.await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> nc.getStatus() != Connection.Status.CONNECTED);
        s.restart();
        assertTrue(s.isRunning());
      }
      try (Connection nc = s.connect()) {
        assertEquals("before-crash", nc.keyValue("crash").get("k").getValueAsString());
      }
    }
  }

  @Test
  void closeStopsTheProcessAndDeletesTheDirectory() {
    NatsServer s = NatsServer.start();
    ProcessHandle handle = ProcessHandle.of(s.pid()).orElseThrow();
    s.close();
    assertFalse(handle.isAlive());
    assertFalse(Files.exists(s.dir()));
    s.close(); // idempotent
    assertThrows(NatsServerException.class, s::restart);
  }

  @Test
  void aFailedStartReportsTheLogTail() throws Exception {
    NatsServerException e =
        assertThrows(
            NatsServerException.class,
            () ->
                NatsServer.start(
                    NatsServerOptions.builder()
                        .name("broken")
                        .extraConfig("this is { not a config")
                        .startupTimeout(Duration.ofSeconds(5))
                        .build()));
    assertTrue(e.getMessage().contains("broken"), e.getMessage());
    assertTrue(e.getMessage().contains("exited"), e.getMessage());
    assertTrue(e.getMessage().toLowerCase().contains("error"), e.getMessage());
    // the directory is kept for inspection; clean it up here
    java.nio.file.Path dir = e.logFile().orElseThrow().getParent();
    assertTrue(Files.readString(e.logFile().orElseThrow()).contains("Parse error"));
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    assertFalse(Files.exists(dir));
  }
}
