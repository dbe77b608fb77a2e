package io.trellis.host.config;

/**
 * Where and how one NATS connection connects (rpc, ctl or the providers' rpc): host, port and
 * credentials. Credentials are a user JWT + nkey seed, a seed alone (nkey auth), or a creds file.
 */
public record NatsEndpoint(
    String host, int port, String seed, String jwt, boolean tls, String credsFile) {

  public NatsEndpoint {
    host = host == null || host.isBlank() ? "127.0.0.1" : host.strip();
    seed = seed == null ? "" : seed.strip();
    jwt = jwt == null ? "" : jwt.strip();
    credsFile = credsFile == null ? "" : credsFile.strip();
    if (port < 1 || port > 65535) {
      throw new InvalidHostConfigException(
          "NATS port " + port + " is out of range 1..65535 (host " + host + ")");
    }
  }

  /** {@code nats://host:port} (or {@code tls://}); a host that already has a scheme is kept. */
  public String url() {
    if (host.contains("://")) {
      return host.contains(":" + port) || host.matches(".*:\\d+$") ? host : host + ":" + port;
    }
    return (tls ? "tls://" : "nats://") + hostForUrl() + ":" + port;
  }

  /** {@code host:port} with no scheme, as HostData's lattice_rpc_url wants it. */
  public String hostPort() {
    if (host.contains("://")) {
      // a host given as a URL: drop the scheme, keep an explicit port
      String rest = host.substring(host.indexOf("://") + 3);
      int slash = rest.indexOf('/');
      rest = slash >= 0 ? rest.substring(0, slash) : rest;
      int at = rest.lastIndexOf('@');
      rest = at >= 0 ? rest.substring(at + 1) : rest;
      return rest.matches(".*:\\d+$") ? rest : rest + ":" + port;
    }
    return hostForUrl() + ":" + port;
  }

  private String hostForUrl() {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /** Describes the credentials without revealing them. */
  public String authDescription() {
    if (!credsFile.isEmpty()) {
      return "creds file " + credsFile;
    }
    if (!jwt.isEmpty() && !seed.isEmpty()) {
      return "user JWT + seed";
    }
    if (!seed.isEmpty()) {
      return "nkey seed";
    }
    return "no credentials";
  }

  @Override
  public String toString() {
    // Never print credentials: the record's default toString would include the seed and the JWT.
    return url() + " (" + authDescription() + ")";
  }
}
