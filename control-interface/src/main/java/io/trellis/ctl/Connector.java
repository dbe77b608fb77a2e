package io.trellis.ctl;

import io.nats.client.AuthHandler;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.trellis.wasmbus.settings.InvalidSettingException;
import io.trellis.wasmbus.settings.TrustedCa;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Opens the client's own NATS connection: fails fast on the first attempt (a CLI should say "cannot
 * connect" within the connect timeout, not retry forever), reports no-responders as 503s, and keeps
 * jnats from logging connection errors itself: the exception says what happened.
 */
final class Connector {
  private Connector() {}

  /** How to authenticate; exactly one of the forms, or none. */
  sealed interface Credentials {
    record None() implements Credentials {}

    record CredsFile(Path path) implements Credentials {}

    record JwtAndSeed(String jwt, String seed) implements Credentials {}

    record Seed(String seed) implements Credentials {}
  }

  static Connection connect(
      String url,
      Credentials creds,
      @Nullable Path tlsCaFile,
      Duration connectTimeout,
      String name) {
    AtomicReference<String> lastError = new AtomicReference<>();
    Options.Builder b =
        new Options.Builder()
            .server(url)
            .connectionName(name)
            .connectionTimeout(connectTimeout)
            .reportNoResponders()
            .errorListener(
                new ErrorListener() {
                  @Override
                  public void errorOccurred(Connection conn, String error) {
                    lastError.set(error);
                  }

                  @Override
                  public void exceptionOccurred(Connection conn, Exception exp) {
                    Throwable t = exp;
                    while (t.getCause() != null && t.getCause() != t) {
                      t = t.getCause();
                    }
                    String why =
                        t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
                    // over TLS the server's refusal arrives first, then the handshake times out:
                    // the refusal is what the user needs to read
                    lastError.getAndUpdate(prev -> isAuth(prev) ? prev : why);
                  }
                });
    AuthHandler auth =
        switch (creds) {
          case Credentials.None n -> null;
          case Credentials.CredsFile f -> {
            if (!Files.isReadable(f.path())) {
              throw new CtlConnectException("cannot read NATS credentials file " + f.path(), null);
            }
            yield Nats.credentials(f.path().toString());
          }
          case Credentials.JwtAndSeed j ->
              Nats.staticCredentials(j.jwt().toCharArray(), j.seed().toCharArray());
          case Credentials.Seed s -> Nats.staticCredentials(null, s.seed().toCharArray());
        };
    if (auth != null) {
      b.authHandler(auth);
    }
    if (tlsCaFile != null) {
      try {
        b.sslContext(TrustedCa.sslContext(tlsCaFile));
      } catch (InvalidSettingException e) {
        throw new CtlConnectException(e.getMessage(), e);
      }
    }
    try {
      return Nats.connect(b.build());
    } catch (IOException e) {
      String why = lastError.get() != null ? lastError.get() : e.getMessage();
      boolean auth_ = isAuth(why);
      throw new CtlConnectException(
          "cannot connect to NATS at "
              + url
              + ": "
              + why
              + (auth_
                  ? " (check the credentials: --ctl-credsfile, --ctl-seed, --ctl-jwt)"
                  : " (is a lattice running? try trellis up)"),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CtlConnectException("interrupted while connecting to NATS at " + url, e);
    } catch (IllegalArgumentException | IllegalStateException e) {
      // jnats rejects malformed seeds and URLs this way
      throw new CtlConnectException("cannot connect to NATS at " + url + ": " + e.getMessage(), e);
    }
  }

  private static boolean isAuth(@Nullable String error) {
    return error != null && error.toLowerCase(Locale.ROOT).contains("authorization");
  }
}
