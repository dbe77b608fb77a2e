package io.trellis.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * The nats-server configuration that opens a websocket listener for the dashboard (PROTOCOL.md
 * §17): the {@link DashboardAccess} users, allowed on websocket connections only, and one user for
 * plain TCP clients that is also the {@code no_auth_user}, so hosts, providers and the CLI keep
 * connecting without credentials on the loopback TCP port while a websocket client must name a user
 * and gets only that user's permissions. The websocket users' passwords are written as bcrypt
 * hashes.
 */
public final class NatsAccessConfig {
  /** The user TCP clients without credentials become: every right, TCP only. */
  public static final String TCP_USER = "trellis";

  // cost 10: about 50 ms per websocket connect on a small machine, hashing once per connection
  private static final int BCRYPT_COST = 10;
  private static final SecureRandom RANDOM = new SecureRandom();

  private NatsAccessConfig() {}

  /**
   * The config text to add to a nats-server config file.
   *
   * @param wsHost the websocket listener's address (loopback unless the user chose otherwise)
   * @param wsPort the websocket listener's port
   */
  public static String render(DashboardAccess access, String wsHost, int wsPort) {
    StringBuilder c = new StringBuilder(2048);
    c.append("# dashboard access (PROTOCOL.md §17): websocket users with exact permissions;\n");
    c.append("# TCP clients without credentials become '")
        .append(TCP_USER)
        .append("', which has every right but cannot connect over the websocket\n");
    c.append("authorization {\n  users = [\n");
    // In clear: nats-server 2.9 checks the no_auth_user's configured password against itself, which
    // fails for a bcrypt hash. Nobody needs it (TCP clients send none) and it opens no websocket.
    c.append("    { user: \"")
        .append(TCP_USER)
        .append("\", password: \"")
        .append(DashboardAccess.newPassword())
        .append("\", allowed_connection_types: [\"STANDARD\"] }\n");
    for (WebsocketUser u : List.of(access.reader(), access.admin(), access.browser())) {
      user(c, u);
    }
    c.append("  ]\n}\n");
    c.append("no_auth_user: \"").append(TCP_USER).append("\"\n");
    c.append("websocket {\n  listen: \"")
        .append(wsHost)
        .append(':')
        .append(wsPort)
        .append("\"\n  no_tls: true\n}\n");
    return c.toString();
  }

  private static void user(StringBuilder c, WebsocketUser u) {
    c.append("    { user: \"")
        .append(u.name())
        .append("\", password: \"")
        .append(hash(u.password()))
        .append("\", allowed_connection_types: [\"WEBSOCKET\"],\n");
    c.append("      permissions: {\n        publish: { allow: ");
    list(c, u.permissions().publish());
    c.append(" }\n        subscribe: { allow: ");
    list(c, u.permissions().subscribe());
    c.append(" }\n      } }\n");
  }

  private static void list(StringBuilder c, List<String> subjects) {
    c.append('[');
    for (int i = 0; i < subjects.size(); i++) {
      c.append(i == 0 ? "" : ", ").append('"').append(subjects.get(i)).append('"');
    }
    c.append(']');
  }

  static String hash(String password) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return OpenBSDBCrypt.generate(
        "2a", password.getBytes(StandardCharsets.UTF_8), salt, BCRYPT_COST);
  }
}
