package io.trellis.host.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.trellis.wasmbus.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A plain policy server for tests: a NATS subscription on the policy topic that records every
 * request and answers with what the test's function returns (null = stay silent).
 */
public final class PolicyResponder implements AutoCloseable {
  public final List<JsonNode> requests = new CopyOnWriteArrayList<>();
  private final Connection nc;
  private final Dispatcher dispatcher;
  private volatile Function<JsonNode, byte @Nullable []> answer;

  public PolicyResponder(
      Connection nc, String topic, Function<JsonNode, byte @Nullable []> answer) {
    this.nc = nc;
    this.answer = answer;
    this.dispatcher =
        nc.createDispatcher(
            m -> {
              JsonNode req;
              try {
                req = Json.MAPPER.readTree(m.getData());
              } catch (IOException e) {
                throw new AssertionError("the host sent unreadable JSON", e);
              }
              requests.add(req);
              byte[] reply = this.answer.apply(req);
              if (reply != null) {
                nc.publish(m.getReplyTo(), reply);
              }
            });
    dispatcher.subscribe(topic);
    try {
      nc.flush(Duration.ofSeconds(2));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  public void answer(Function<JsonNode, byte @Nullable []> answer) {
    this.answer = answer;
  }

  /** OTP's reply to a request: {@code {requestId, permitted, message}}. */
  public static byte[] decision(JsonNode req, boolean permitted, String message) {
    return Json.bytes(
        Json.MAPPER
            .createObjectNode()
            .put("requestId", req.get("requestId").asText())
            .put("permitted", permitted)
            .put("message", message));
  }

  public static byte[] raw(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    nc.closeDispatcher(dispatcher);
    try {
      // the server has processed the unsubscribe once it answers the flush's ping, so a request
      // sent after close() finds no responder rather than racing the unsubscribe
      nc.flush(Duration.ofSeconds(5));
    } catch (TimeoutException | InterruptedException e) {
      throw new IllegalStateException("the responder's unsubscribe was not confirmed", e);
    }
  }
}
