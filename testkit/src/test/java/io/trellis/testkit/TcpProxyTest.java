package io.trellis.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nats.client.Connection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

// jnats Connection.close() throws InterruptedException; try-with-resources is still right here
@SuppressWarnings("try")
class TcpProxyTest {

  @Test
  void cutDisconnectsOnlyTheProxiedClientAndRestoreLetsItReconnect() throws Exception {
    try (NatsServer s = NatsServer.start();
        TcpProxy proxy = TcpProxy.start(s.port());
        Connection viaProxy = NatsServer.connect(NatsServer.clientOptionsFor(proxy.url()));
        Connection direct = s.connect()) {
      direct.createDispatcher(m -> direct.publish(m.getReplyTo(), m.getData())).subscribe("echo");
      direct.flush(Duration.ofSeconds(1));
      assertEquals(
          "hi",
          new String(
              viaProxy
                  .request("echo", "hi".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(2))
                  .getData(),
              StandardCharsets.UTF_8));

      proxy.cut();
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> viaProxy.getStatus() != Connection.Status.CONNECTED);
      assertEquals(Connection.Status.CONNECTED, direct.getStatus());

      proxy.restore();
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> viaProxy.getStatus() == Connection.Status.CONNECTED);
      assertEquals(
          "back",
          new String(
              viaProxy
                  .request("echo", "back".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(2))
                  .getData(),
              StandardCharsets.UTF_8));
    }
  }
}
