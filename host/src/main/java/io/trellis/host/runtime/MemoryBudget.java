package io.trellis.host.runtime;

/**
 * Refuses a count whose linear memories alone would take more than half the heap when every
 * instance runs at once: the JVM would otherwise die of OutOfMemoryError with every other actor on
 * the host.
 */
final class MemoryBudget {
  private MemoryBudget() {}

  /**
   * @param total the actor's count after the change
   * @throws ActorLoadException if the instances would not fit
   */
  static void check(ActorModule module, RuntimeOptions options, int total) {
    int initial =
        module
            .code()
            .module()
            .memorySection()
            .map(s -> s.getMemory(0).limits().initialPages())
            .orElse(0);
    long perInstance = (long) (initial + options.headroomPages()) * 65536L;
    long needed = perInstance * total;
    long budget = Runtime.getRuntime().maxMemory() / 2;
    if (needed > budget) {
      throw new ActorLoadException(
          "cannot run "
              + total
              + " instances of actor "
              + module.publicKey()
              + ": their linear memory needs about "
              + (needed >> 20)
              + " MiB, more than half of this host's "
              + (Runtime.getRuntime().maxMemory() >> 20)
              + " MiB heap; run fewer instances per host or give the host more heap (-Xmx)");
    }
  }
}
