package io.trellis.host.ctl;

import io.trellis.host.HostLabels;
import io.trellis.host.actors.ActorSupervisor;
import io.trellis.host.providers.ProviderSupervisor;
import io.trellis.lattice.LatticeCache;
import java.time.Duration;

/**
 * What the control-interface handlers need of the host they serve, and nothing more; {@link
 * io.trellis.host.Host} implements it. Keeping the handlers on this seam lets them be read (and
 * tested) without the host's boot and shutdown machinery.
 */
public interface ControlledHost {
  /** The fixed facts ping and inventory report. */
  HostFacts facts();

  /** The labels, which label put/del change at run time. */
  HostLabels labels();

  Duration uptime();

  ActorSupervisor actors();

  ProviderSupervisor providers();

  LatticeCache lattice();

  /** Publishes a heartbeat now (after a ping and a label change, as the OTP host does). */
  void publishHeartbeat();

  /** Graceful stop, for the stop-host command. */
  void stop(Duration grace);
}
