package io.trellis.provider.httpserver;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.trellis.provider.sdk.ActorCallException;
import io.trellis.provider.sdk.ProviderContext;
import io.trellis.tracing.Tracing;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.interfaces.HttpRequest;
import io.trellis.wasmbus.interfaces.HttpResponse;
import io.trellis.wasmbus.rpc.TraceContext;
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
    Tracing tracing = context.tracing();
    if (!tracing.enabled()) {
      return call(request);
    }
    // the HTTP request's span (PROTOCOL.md §16.2): continues a W3C traceparent the client sent
    Span span =
        tracing.startRemoteChild(
            "HTTP " + request.method(), SpanKind.SERVER, incoming(request.header()));
    span.setAttribute("http.request.method", request.method());
    span.setAttribute("url.path", request.path());
    span.setAttribute("wasmcloud.actor", actorId);
    HttpResponse response;
    try (Scope s = Tracing.activate(span)) {
      response = call(request);
    }
    span.setAttribute("http.response.status_code", response.statusCode());
    if (response.statusCode() >= 500) {
      Tracing.fail(span, "HTTP " + response.statusCode());
    }
    span.end();
    return response;
  }

  private static @Nullable TraceContext incoming(Map<String, List<String>> header) {
    for (Map.Entry<String, List<String>> e : header.entrySet()) {
      if (e.getKey().equalsIgnoreCase(TraceContext.TRACEPARENT) && !e.getValue().isEmpty()) {
        String state = null;
        for (Map.Entry<String, List<String>> s : header.entrySet()) {
          if (s.getKey().equalsIgnoreCase(TraceContext.TRACESTATE) && !s.getValue().isEmpty()) {
            state = s.getValue().getFirst();
          }
        }
        String parent = e.getValue().getFirst();
        return parent.isBlank() ? null : new TraceContext(parent.strip(), state);
      }
    }
    return null;
  }

  private HttpResponse call(HttpRequest request) {
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
