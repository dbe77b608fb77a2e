package io.trellis.dashboard;

/**
 * A NATS user that connects over the websocket listener only.
 *
 * @param name the NATS user name
 * @param password the clear-text password: handed to pages (read-only and browser users) or to the
 *     person signing in (admin); nats-server only ever sees its bcrypt hash
 * @param permissions exactly what the user may publish and subscribe to
 */
public record WebsocketUser(String name, String password, Permissions permissions) {
  /** The reply-subject prefix the user's client must use; it may subscribe below it and no more. */
  public String inboxPrefix() {
    return inboxPrefix(name);
  }

  static String inboxPrefix(String user) {
    return "_INBOX." + user;
  }

  @Override
  public String toString() {
    // never show the password
    return "WebsocketUser[" + name + "]";
  }
}
