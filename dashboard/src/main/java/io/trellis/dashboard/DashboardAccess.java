package io.trellis.dashboard;

import io.trellis.wasmbus.LatticeException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * The NATS users a browser may connect as over the websocket listener, each allowed exactly what
 * its page needs (PROTOCOL.md §17):
 *
 * <ul>
 *   <li>{@code dashboard} (read-only): subscribe to the lattice's events and the app manager's
 *       status; request ping, inventories, links, claims, providers' health and the app API's read
 *       operations.
 *   <li>{@code dashboard-admin}: all of that, plus auctions, start/stop/scale of actors, start/stop
 *       of providers, link put/delete and the app API's put, deploy, undeploy and delete.
 *   <li>{@code browser}: publish to the subjects given (default {@code browser.>}), the subjects
 *       web pages use to call actors through the messaging provider.
 * </ul>
 *
 * Each user may subscribe only to its own reply inbox ({@code _INBOX.<user>.>}), so no user reads
 * another's replies. Passwords are random per {@code trellis up}.
 */
public record DashboardAccess(
    String lattice,
    String ctlPrefix,
    WebsocketUser reader,
    WebsocketUser admin,
    WebsocketUser browser) {
  public static final String READER = "dashboard";
  public static final String ADMIN = "dashboard-admin";
  public static final String BROWSER = "browser";
  public static final List<String> DEFAULT_BROWSER_SUBJECTS = List.of("browser.>");

  /** First subject tokens that belong to the lattice, NATS or the app manager. */
  static final Set<String> RESERVED =
      Set.of("wasmbus", "wadm", "_INBOX", "$JS", "$KV", "$O", "$SYS");

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Users with fresh random passwords.
   *
   * @param browserSubjects what the {@code browser} user may publish to
   * @throws LatticeException naming a browser subject that reaches into the lattice's own subjects
   */
  public static DashboardAccess generate(
      String lattice, String ctlPrefix, List<String> browserSubjects) {
    for (String s : browserSubjects) {
      checkBrowserSubject(s);
    }
    return new DashboardAccess(
        lattice,
        ctlPrefix,
        new WebsocketUser(READER, newPassword(), readerPermissions(lattice, ctlPrefix, READER)),
        new WebsocketUser(ADMIN, newPassword(), adminPermissions(lattice, ctlPrefix, ADMIN)),
        new WebsocketUser(
            BROWSER, newPassword(), new Permissions(browserSubjects, List.of(inbox(BROWSER)))));
  }

  /** 144 random bits, URL-safe. */
  public static String newPassword() {
    byte[] b = new byte[18];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static Permissions readerPermissions(String lattice, String ctl, String user) {
    return new Permissions(readSubjects(lattice, ctl), watchSubjects(lattice, user));
  }

  static Permissions adminPermissions(String lattice, String ctl, String user) {
    List<String> pub = new ArrayList<>(readSubjects(lattice, ctl));
    String c = ctl + "." + lattice;
    pub.addAll(
        List.of(
            c + ".auction.actor",
            c + ".auction.provider",
            c + ".cmd.*.la",
            c + ".cmd.*.sa",
            c + ".cmd.*.scale",
            c + ".cmd.*.lp",
            c + ".cmd.*.sp",
            c + ".linkdefs.put",
            c + ".linkdefs.del"));
    String api = "wadm.api." + lattice + ".model";
    pub.addAll(List.of(api + ".put", api + ".deploy.*", api + ".undeploy.*", api + ".del.*"));
    return new Permissions(pub, watchSubjects(lattice, user));
  }

  private static List<String> readSubjects(String lattice, String ctl) {
    String c = ctl + "." + lattice;
    String api = "wadm.api." + lattice + ".model";
    return List.of(
        c + ".ping.hosts",
        c + ".get.links",
        c + ".get.claims",
        c + ".get.*.inv",
        api + ".list",
        api + ".get.*",
        api + ".versions.*",
        api + ".status.*",
        // a provider's health answer, as hosts ask for it (PROTOCOL.md §7.4): no side effects
        "wasmbus.rpc." + lattice + ".*.*.health");
  }

  private static List<String> watchSubjects(String lattice, String user) {
    return List.of(
        "wasmbus.evt." + lattice,
        "wadm.evt." + lattice,
        "wadm.status." + lattice + ".*",
        inbox(user));
  }

  private static String inbox(String user) {
    return WebsocketUser.inboxPrefix(user) + ".>";
  }

  static void checkBrowserSubject(String subject) {
    String s = subject.strip();
    if (!s.matches("[A-Za-z0-9_*>-]+(\\.[A-Za-z0-9_*>-]+)*")) {
      throw new LatticeException(
          "browser subject '"
              + subject
              + "' is not a valid subject: dot-separated tokens of letters, digits, '_', '-', '*' and '>'");
    }
    String first = s.split("\\.", 2)[0];
    if (RESERVED.contains(first) || first.equals("*") || first.equals(">")) {
      throw new LatticeException(
          "browser subject '"
              + subject
              + "' is not allowed: subjects starting with "
              + RESERVED.stream().sorted().toList()
              + " (or a wildcard) belong to the lattice; use a prefix of your own such as browser.>");
    }
  }

  @Override
  public String toString() {
    return "DashboardAccess[lattice=" + lattice + ", ctl=" + ctlPrefix + "]";
  }
}
