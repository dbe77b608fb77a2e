package io.trellis.provider.httpserver;

import io.trellis.provider.sdk.ActorCallException;
import io.trellis.provider.sdk.ProviderContext;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.interfaces.HttpRequest;
import io.trellis.wasmbus.interfaces.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one HTTP request into an {@code HttpServer.HandleRequest} call of the linked actor and maps
 * every way that can fail to an HTTP status: 503 when nothing serves the actor, 504 when it does
 * not answer in time, 500 with the reason when the host or actor answers with an error (for example
 * the host's capability check), 500 for an undecodable answer.
 */
final class RequestForwarder {
  private static final Logger LOG = LoggerFactory.getLogger(RequestForwarder.class);
  private static final Map<String, List<String>> TEXT =
      Map.of("content-type", List.of("text/plain; charset=utf-8"));

  private final ProviderContext context;
  private final String actorId;
  private final ServerSettings settings;

  RequestForwarder(ProviderContext context, String actorId, ServerSettings settings) {
    this.context = context;
    this.actorId = actorId;
    this.settings = settings;
  }

  ServerSettings settings() {
    return settings;
  }

  String actorId() {
    return actorId;
  }

  /** The link's route; null when the link has its address to itself. */
  @Nullable RoutePattern route() {
    return settings.route();
  }

  HttpResponse forward(HttpRequest request) {
    byte[] answer;
    try {
      answer =
          context.callActor(
              actorId, HttpRequest.OPERATION, request.toMsgPack(), settings.timeout());
    } catch (ActorCallException.Timeout e) {
      LOG.warn("{} {}: {}", request.method(), request.path(), e.getMessage());
      return text(504, "Gateway Timeout: " + e.getMessage());
    } catch (ActorCallException.Unreachable | ActorCallException.NotLinked e) {
      LOG.warn("{} {}: {}", request.method(), request.path(), e.getMessage());
      return text(503, "Service Unavailable: " + e.getMessage());
    } catch (ActorCallException.ErrorResponse e) {
      LOG.warn(
          "{} {}: actor {} answered with an error: {}",
          request.method(),
          request.path(),
          actorId,
          e.getMessage());
      return text(500, e.getMessage());
    } catch (ActorCallException.Failed e) {
      return text(500, e.getMessage());
    }
    HttpResponse response;
    try {
      response = HttpResponse.fromMsgPack(answer);
    } catch (LatticeException e) {
      return text(500, "actor " + actorId + " sent an invalid HttpResponse: " + e.getMessage());
    }
    if (response.statusCode() < 100 || response.statusCode() > 999) {
      return text(
          500,
          "actor " + actorId + " answered with an invalid HTTP status " + response.statusCode());
    }
    return response;
  }

  static HttpResponse text(int status, String body) {
    return new HttpResponse(status, TEXT, (body + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
