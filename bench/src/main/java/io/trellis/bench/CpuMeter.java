package io.trellis.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time spent by this JVM and by another process (the nats-server) between two snapshots. On a
 * machine shared with other work, CPU per request is a steadier number than requests per second:
 * other load slows both, but it does not change what one request costs.
 */
final class CpuMeter {
  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  // USER_HZ is 100 on every Linux kernel the JDK supports
  private static final long NANOS_PER_TICK = 10_000_000L;

  private final long otherPid;

  CpuMeter(long otherPid) {
    this.otherPid = otherPid;
  }

  record Snapshot(long jvmNanos, long otherNanos) {}

  Snapshot snapshot() {
    return new Snapshot(OS.getProcessCpuTime(), processCpuNanos(otherPid));
  }

  /** " cpu/req: jvm 123 us + nats 45 us", or "" when the numbers are not available. */
  static String perRequest(Snapshot before, Snapshot after, long requests) {
    if (requests <= 0 || before.jvmNanos() < 0 || after.jvmNanos() < 0) {
      return "";
    }
    double jvm = (after.jvmNanos() - before.jvmNanos()) / 1e3 / requests;
    String other =
        before.otherNanos() < 0 || after.otherNanos() < 0
            ? ""
            : String.format(
                " + nats %.0f us", (after.otherNanos() - before.otherNanos()) / 1e3 / requests);
    return String.format("  cpu/req: jvm %.0f us%s", jvm, other);
  }

  /** utime + stime of a process from /proc, or -1 where there is no /proc. */
  static long processCpuNanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // the command name may hold spaces: fields are counted after its closing parenthesis
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
