package io.trellis.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.json.Json;
import java.net.URI;
import org.jspecify.annotations.Nullable;

/**
 * What the page learns from {@code /config.json}: where the NATS websocket is, which lattice to
 * show, and how to connect. Only the read-only and browser users' passwords are handed out; the
 * admin user's name is, so the page can offer a sign-in, but its password never leaves the machine
 * other than through the person who types it.
 *
 * @param wsUrl the NATS websocket URL, e.g. {@code ws://127.0.0.1:4223}
 * @param reader the user the page connects as, or null when the websocket needs no credentials
 * @param adminUser the user to sign in as for actions, or null when actions use the page's own
 *     connection (an open websocket, or a reader with the rights)
 * @param browser the user pages calling actors connect as, or null when there is none
 */
public record DashboardSettings(
    URI wsUrl,
    String lattice,
    String ctlPrefix,
    @Nullable PageUser reader,
    @Nullable String adminUser,
    @Nullable PageUser browser) {

  /** A user name and password handed to the page. */
  public record PageUser(String user, String password) {
    @Override
    public String toString() {
      return "PageUser[" + user + "]";
    }
  }

  public DashboardSettings {
    String scheme = wsUrl.getScheme();
    if (scheme == null
        || !(scheme.equals("ws") || scheme.equals("wss"))
        || wsUrl.getHost() == null) {
      throw new LatticeException(
          "NATS websocket URL '" + wsUrl + "' must look like ws://HOST:PORT or wss://HOST:PORT");
    }
  }

  /** The settings for the users {@code trellis up} created. */
  public static DashboardSettings of(DashboardAccess access, URI wsUrl) {
    return new DashboardSettings(
        wsUrl,
        access.lattice(),
        access.ctlPrefix(),
        new PageUser(access.reader().name(), access.reader().password()),
        access.admin().name(),
        new PageUser(access.browser().name(), access.browser().password()));
  }

  /** The {@code /config.json} document. */
  public byte[] toJson() {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("ws_url", wsUrl.toString());
    o.put("lattice", lattice);
    o.put("ctl_prefix", ctlPrefix);
    user(o, "read", reader);
    if (adminUser != null) {
      o.putObject("admin")
          .put("user", adminUser)
          .put("inbox_prefix", WebsocketUser.inboxPrefix(adminUser));
    } else {
      o.putNull("admin");
    }
    user(o, "browser", browser);
    return Json.bytes(o);
  }

  private static void user(ObjectNode o, String field, @Nullable PageUser u) {
    if (u == null) {
      o.putNull(field);
      return;
    }
    o.putObject(field)
        .put("user", u.user())
        .put("password", u.password())
        .put("inbox_prefix", WebsocketUser.inboxPrefix(u.user()));
  }
}
