package io.trellis.oci;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * One pull or push of one reference: builds URLs, sends requests with the right credentials
 * (answering Basic and Bearer challenges once), follows blob redirects without leaking the
 * Authorization header to another host, and turns every failure into an {@link OciException} that
 * names the reference and the cause. Secrets never appear in messages.
 */
final class Session {
  /** What the session does; decides the token scope and the wording of errors. */
  public enum Action {
    PULL("pull", "pull"),
    PUSH("push", "pull,push");

    final String verb;
    final String actions;

    Action(String verb, String actions) {
      this.verb = verb;
      this.actions = actions;
    }
  }

  private static final int MAX_REDIRECTS = 5;
  private static final int MAX_SMALL_BODY = 64 * 1024;

  private final Transport transport;
  private final OciReference ref;
  private final Action action;
  private final Deadline deadline;
  private final Optional<RegistryCredentials> credentials;
  private final String base;

  Session(
      Transport transport,
      OciReference ref,
      Action action,
      Deadline deadline,
      Optional<RegistryCredentials> credentials) {
    this.transport = transport;
    this.ref = ref;
    this.action = action;
    this.deadline = deadline;
    this.credentials = credentials;
    this.base =
        (transport.options().insecure(ref.registry()) ? "http://" : "https://") + ref.apiHost();
  }

  public OciReference reference() {
    return ref;
  }

  public Deadline deadline() {
    return deadline;
  }

  /** {@code <base>/v2/<repository>/<path>}. */
  public URI uri(String path) {
    return URI.create(base + "/v2/" + ref.repository() + "/" + path);
  }

  /** A request; {@code body} null for none. */
  public record Call(
      String method,
      URI uri,
      Map<String, String> headers,
      byte @Nullable [] body,
      int offset,
      int length,
      Duration cap) {
    public static Call get(URI uri, Map<String, String> headers, Duration cap) {
      return new Call("GET", uri, headers, null, 0, 0, cap);
    }
  }

  /**
   * Sends a call, answering an authentication challenge once. 401 and 403 become {@link
   * RegistryAuthException}; any other status is the caller's to judge.
   */
  public HttpResponse<InputStream> send(Call call) {
    for (int attempt = 0; ; attempt++) {
      HttpResponse<InputStream> resp = sendFollowing(call, authorization());
      int status = resp.statusCode();
      if (status == 401 && attempt == 0) {
        Optional<Challenge> c =
            Challenge.parse(resp.headers().firstValue("www-authenticate").orElse(null));
        discard(resp);
        if (c.isEmpty()) {
          throw auth("the registry answered 401 without a Basic or Bearer challenge");
        }
        transport.challenges().put(ref.registry(), c.get());
        if (c.get().bearer()) {
          transport.tokens().invalidate(ref.registry(), scope());
        }
        if (c.get().basic() && !hasPassword()) {
          throw auth(
              "the registry requires a user name and password and none is configured for "
                  + ref.registry()
                  + " (HTTP 401)");
        }
        continue;
      }
      if (status == 401 || status == 403) {
        String detail = errorText(resp);
        throw auth(
            (status == 401 ? "the registry refused " : "the registry denied access to ")
                + who()
                + " (HTTP "
                + status
                + detail
                + ")");
      }
      return resp;
    }
  }

  private String who() {
    if (hasPassword()) {
      return "user '" + credentials.get().username() + "'";
    }
    return credentials.isPresent() ? "the configured token" : "anonymous access";
  }

  private boolean hasPassword() {
    return credentials.isPresent() && credentials.get().hasPassword();
  }

  private String scope() {
    return "repository:" + ref.repository() + ":" + action.actions;
  }

  private @Nullable String authorization() {
    Challenge c = transport.challenges().get(ref.registry());
    if (c == null) {
      return null;
    }
    if (c.basic()) {
      RegistryCredentials cr = credentials.orElse(null);
      return cr != null && cr.hasPassword() ? basic(cr) : null;
    }
    RegistryCredentials cr = credentials.orElse(null);
    if (cr != null && !cr.hasPassword() && cr.token() != null) {
      return "Bearer " + cr.token();
    }
    String token = transport.tokens().get(ref.registry(), scope());
    if (token == null) {
      TokenFetch.Token t = new TokenFetch(this, c, cr).fetch(scope());
      transport.tokens().put(ref.registry(), scope(), t.token(), t.lifetime());
      token = t.token();
    }
    return "Bearer " + token;
  }

  static String basic(RegistryCredentials c) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8));
  }

  Transport transport() {
    return transport;
  }

  private HttpResponse<InputStream> sendFollowing(Call call, @Nullable String auth) {
    URI uri = call.uri();
    URI origin = uri;
    boolean redirectable = call.method().equals("GET") || call.method().equals("HEAD");
    for (int hop = 0; ; hop++) {
      HttpResponse<InputStream> resp = exchange(call, uri, auth);
      int s = resp.statusCode();
      boolean redirect = s == 301 || s == 302 || s == 303 || s == 307 || s == 308;
      Optional<String> location = resp.headers().firstValue("location");
      if (!redirectable || !redirect || location.isEmpty()) {
        return resp;
      }
      discard(resp);
      if (hop >= MAX_REDIRECTS) {
        throw protocol("more than " + MAX_REDIRECTS + " redirects, starting at " + call.uri());
      }
      uri = uri.resolve(location.get());
      if (!sameOrigin(origin, uri)) {
        // The registry's credentials are for the registry only, never for a storage host.
        auth = null;
      }
    }
  }

  private static boolean sameOrigin(URI a, URI b) {
    return String.valueOf(a.getScheme()).equalsIgnoreCase(String.valueOf(b.getScheme()))
        && String.valueOf(a.getHost()).equalsIgnoreCase(String.valueOf(b.getHost()))
        && port(a) == port(b);
  }

  private static int port(URI u) {
    if (u.getPort() > 0) {
      return u.getPort();
    }
    return "http".equalsIgnoreCase(u.getScheme()) ? 80 : 443;
  }

  /** One HTTP exchange; every transport failure becomes an OciException. */
  HttpResponse<InputStream> exchange(Call call, URI uri, @Nullable String auth) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri).timeout(deadline.remainingAtMost(call.cap()));
    call.headers().forEach(b::header);
    if (auth != null) {
      b.header("Authorization", auth);
    }
    byte[] body = call.body();
    b.method(
        call.method(),
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body, call.offset(), call.length()));
    try {
      return transport.http().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw transportFailure(uri, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PullTimeoutException(prefix() + "interrupted while waiting for " + uri, e);
    }
  }

  OciException transportFailure(URI uri, IOException e) {
    String where = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
    if (e instanceof HttpConnectTimeoutException) {
      return new RegistryUnreachableException(
          prefix()
              + "no connection to "
              + where
              + " within "
              + transport.options().connectTimeout().toSeconds()
              + " s",
          e);
    }
    if (e instanceof HttpTimeoutException) {
      return deadline.expired()
          ? timeout()
          : new RegistryUnreachableException(
              prefix() + where + " did not answer within the time allowed", e);
    }
    if (has(e, UnresolvedAddressException.class) || has(e, UnknownHostException.class)) {
      return new RegistryUnreachableException(
          prefix() + "unknown host '" + uri.getHost() + "' (it does not resolve)", e);
    }
    if (e instanceof ConnectException) {
      return new RegistryUnreachableException(
          prefix() + "the connection to " + where + " was refused (is the registry running?)", e);
    }
    if (has(e, SSLException.class)) {
      return new RegistryUnreachableException(
          prefix()
              + "TLS with "
              + where
              + " failed: "
              + e.getMessage()
              + " (a registry that speaks plain HTTP must be listed in"
              + " WASMCLOUD_OCI_ALLOWED_INSECURE, or use --insecure)",
          e);
    }
    if (deadline.expired()) {
      return timeout();
    }
    return new RegistryUnreachableException(prefix() + "talking to " + where + " failed: " + e, e);
  }

  private static boolean has(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /** "cannot pull REF: " */
  public String prefix() {
    return "cannot " + action.verb + " " + ref + ": ";
  }

  public PullTimeoutException timeout() {
    return new PullTimeoutException(
        prefix()
            + "it did not finish within "
            + deadline.total().toSeconds()
            + " s; the registry sends too slowly or stalled");
  }

  public RegistryProtocolException protocol(String cause) {
    return new RegistryProtocolException(prefix() + cause);
  }

  private RegistryAuthException auth(String cause) {
    return new RegistryAuthException(prefix() + cause);
  }

  /**
   * Reads a whole small body (a manifest, a token, an error) of at most {@code limit} bytes within
   * the deadline.
   *
   * @return null when it is larger than the limit
   */
  public byte @Nullable [] readBody(HttpResponse<InputStream> resp, int limit, String what) {
    InputStream in = resp.body();
    byte[] b;
    try (Transport.Watch w = transport.watch(in, deadline.remaining())) {
      try {
        b = in.readNBytes(limit + 1);
      } catch (IOException e) {
        if (w.fired() || deadline.expired()) {
          throw timeout();
        }
        throw new RegistryUnreachableException(
            prefix() + "reading " + what + " failed: " + e.getMessage(), e);
      }
      if (w.fired()) {
        throw timeout();
      }
    } finally {
      discard(resp);
    }
    return b.length > limit ? null : b;
  }

  /** The registry's error code and message, e.g. {@code , MANIFEST_UNKNOWN: manifest unknown}. */
  public String errorText(HttpResponse<InputStream> resp) {
    byte[] b;
    try {
      b = readBody(resp, MAX_SMALL_BODY, "the error");
    } catch (OciException e) {
      return "";
    }
    return b == null ? "" : RegistryErrors.describe(b);
  }

  public static void discard(HttpResponse<InputStream> resp) {
    try {
      resp.body().close();
    } catch (IOException ignored) {
      // the connection is dropped instead of reused; nothing else depends on it
    }
  }
}
