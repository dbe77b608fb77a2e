package io.trellis.ctl;

import io.nats.client.Connection;
import io.trellis.ctl.Connector.Credentials;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Configures a {@link CtlClient}. Either hand in an open {@link #connection(Connection)} (the
 * client then never closes it) or give a {@link #url(String)} and at most one kind of credentials,
 * and the client opens and owns its connection.
 */
public final class CtlClientBuilder {
  public static final String DEFAULT_URL = "nats://127.0.0.1:4222";
  public static final String DEFAULT_LATTICE = "default";
  public static final String DEFAULT_CTL_TOPIC_PREFIX = "wasmbus.ctl";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  /** What wasmCloud's control-interface client waits for auction replies (PROTOCOL.md §8.4). */
  public static final Duration DEFAULT_AUCTION_TIMEOUT = Duration.ofSeconds(5);

  private @Nullable Connection connection;
  private String url = DEFAULT_URL;
  private Credentials credentials = new Credentials.None();
  private @Nullable Path tlsCaFile;
  private String lattice = DEFAULT_LATTICE;
  private String ctlTopicPrefix = DEFAULT_CTL_TOPIC_PREFIX;
  private @Nullable String jsDomain;
  private Duration timeout = DEFAULT_TIMEOUT;
  private Duration auctionTimeout = DEFAULT_AUCTION_TIMEOUT;
  private Duration connectTimeout = Duration.ofSeconds(5);
  private String connectionName = "trellis-ctl-client";

  CtlClientBuilder() {}

  /** Use an existing connection; it stays open when the client is closed. */
  public CtlClientBuilder connection(Connection connection) {
    this.connection = Objects.requireNonNull(connection, "connection");
    return this;
  }

  /**
   * e.g. {@code nats://127.0.0.1:4222} (default), {@code tls://host:4222}, or a comma-separated
   * list.
   */
  public CtlClientBuilder url(String url) {
    this.url = Objects.requireNonNull(url, "url");
    return this;
  }

  /** A NATS {@code .creds} file (user JWT and seed). */
  public CtlClientBuilder credsFile(Path file) {
    this.credentials = new Credentials.CredsFile(file);
    return this;
  }

  /** A user JWT and its nkey seed (SU…). */
  public CtlClientBuilder jwtAndSeed(String jwt, String seed) {
    this.credentials = new Credentials.JwtAndSeed(jwt, seed);
    return this;
  }

  /** Plain nkey authentication with a user seed. */
  public CtlClientBuilder seed(String seed) {
    this.credentials = new Credentials.Seed(seed);
    return this;
  }

  /**
   * A PEM file with the CA that the server's TLS certificate must chain to, instead of the JVM's
   * default trust store (wash's and the host's {@code WASMCLOUD_TLS_CA_PATH}).
   */
  public CtlClientBuilder tlsCaFile(Path pem) {
    this.tlsCaFile = Objects.requireNonNull(pem, "pem");
    return this;
  }

  public CtlClientBuilder latticePrefix(String lattice) {
    this.lattice = lattice;
    return this;
  }

  /** Two tokens, as the OTP host's subject parser requires (PROTOCOL.md §8.1). */
  public CtlClientBuilder ctlTopicPrefix(String prefix) {
    this.ctlTopicPrefix = prefix;
    return this;
  }

  /** The JetStream domain of the lattice data bucket, used when reading it directly. */
  public CtlClientBuilder jsDomain(@Nullable String jsDomain) {
    this.jsDomain = jsDomain;
    return this;
  }

  /** How long to wait for a reply to a query or command, and to collect ping replies. */
  public CtlClientBuilder timeout(Duration timeout) {
    this.timeout = positive(timeout, "timeout");
    return this;
  }

  /** How long auctions collect replies unless a call says otherwise. */
  public CtlClientBuilder auctionTimeout(Duration auctionTimeout) {
    this.auctionTimeout = positive(auctionTimeout, "auction timeout");
    return this;
  }

  public CtlClientBuilder connectTimeout(Duration connectTimeout) {
    this.connectTimeout = positive(connectTimeout, "connect timeout");
    return this;
  }

  public CtlClientBuilder connectionName(String name) {
    this.connectionName = name;
    return this;
  }

  /**
   * Validates the settings and, without a given connection, connects.
   *
   * @throws IllegalArgumentException for a bad lattice or topic prefix
   * @throws CtlConnectException when NATS cannot be reached or refuses the credentials
   */
  public CtlClient build() {
    if (lattice == null || !lattice.matches("[^.*>\\s]+")) {
      throw new IllegalArgumentException(
          "invalid lattice prefix '"
              + lattice
              + "': one NATS subject token, without '.', '*', '>' or spaces");
    }
    if (ctlTopicPrefix == null || !ctlTopicPrefix.matches("[^.*>\\s]+\\.[^.*>\\s]+")) {
      throw new IllegalArgumentException(
          "invalid control topic prefix '"
              + ctlTopicPrefix
              + "': it must be exactly two subject tokens, like wasmbus.ctl");
    }
    Connection nc = connection;
    boolean owned = nc == null;
    String server = owned ? url : String.valueOf(nc.getConnectedUrl());
    if (owned) {
      nc = Connector.connect(url, credentials, tlsCaFile, connectTimeout, connectionName);
    }
    return new CtlClient(
        nc, owned, server, lattice, ctlTopicPrefix, jsDomain, timeout, auctionTimeout);
  }

  private static Duration positive(Duration d, String what) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
    return d;
  }
}
