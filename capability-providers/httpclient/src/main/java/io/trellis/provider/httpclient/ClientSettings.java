package io.trellis.provider.httpclient;

import io.trellis.provider.sdk.InvalidLinkValueException;
import io.trellis.provider.sdk.LinkValues;
import java.time.Duration;
import java.util.Map;

/**
 * One actor's outbound HTTP settings (link values, case-insensitive): {@code timeout_ms} (the whole
 * request, default the lattice RPC timeout, since the calling actor's host gives up then anyway),
 * {@code connect_timeout_ms} (default 5000 or the request timeout if shorter), {@code
 * max_response_bytes} (default 20 MiB; sizes as {@code 10m}).
 */
record ClientSettings(Duration timeout, Duration connectTimeout, long maxResponseBytes) {
  static final long DEFAULT_MAX_RESPONSE_BYTES = 20L * 1024 * 1024;

  static ClientSettings from(Map<String, String> values, Duration rpcTimeout) {
    LinkValues v = LinkValues.of(values);
    Duration timeout = v.getMillis("timeout_ms", rpcTimeout);
    Duration connect =
        v.getMillis(
            "connect_timeout_ms",
            timeout.compareTo(Duration.ofSeconds(5)) < 0 ? timeout : Duration.ofSeconds(5));
    long max = v.getSize("max_response_bytes", DEFAULT_MAX_RESPONSE_BYTES);
    if (max > Integer.MAX_VALUE - 16) {
      throw new InvalidLinkValueException("max_response_bytes=" + max + " is larger than 2 GiB");
    }
    return new ClientSettings(timeout, connect, max);
  }
}
