package io.trellis.host.ctl;

import io.trellis.host.actors.ActorSupervisor;
import io.trellis.host.providers.ProviderSupervisor;
import io.trellis.lattice.LatticeCache;
import java.time.Duration;
import java.util.Map;

/**
 * What the control-interface handlers need of the host they serve, and nothing more; {@link
 * io.trellis.host.Host} implements it. Keeping the handlers on this seam lets them be read (and
 * tested) without the host's boot and shutdown machinery.
 */
public interface ControlledHost {
  /** The fixed facts ping and inventory report. */
  HostFacts facts();

  /** The labels now (label put/del change them at run time). */
  Map<String, String> labels();

  /**
   * Sets a label.
   *
   * @return false when the key is built in ({@code hostcore.*}) and cannot be changed
   */
  boolean putLabel(String key, String value);

  /**
   * Removes a label.
   *
   * @return false when the key is built in, or absent
   */
  boolean removeLabel(String key);

  Duration uptime();

  ActorSupervisor actors();

  ProviderSupervisor providers();

  LatticeCache lattice();

  /** Publishes a heartbeat now (after a ping and a label change, as the OTP host does). */
  void publishHeartbeat();

  /** Graceful stop, for the stop-host command. */
  void stop(Duration grace);
}
