package io.trellis.host.runtime;

import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.alloc.MemAllocStrategy;

/**
 * Allocates a few pages beyond what the module asks for at creation. Rust's allocator grows memory
 * by one page on the first request of every fresh instance; with Chicory's doubling default that
 * grow copies into a buffer twice the size (2.2 MB for a 17-page actor, a humongous G1 object).
 * Headroom absorbs the first grows in place, halving per-instance heap. Later growth adds a quarter
 * (at least the request plus headroom) instead of doubling, bounded by the limit.
 */
final class HeadroomAllocStrategy implements MemAllocStrategy {
  private final int headroomBytes;
  private final int maxBytes;

  HeadroomAllocStrategy(int headroomPages, int maxPages) {
    this.headroomBytes = headroomPages * Memory.PAGE_SIZE;
    this.maxBytes = (int) Math.min(Integer.MAX_VALUE, (long) maxPages * Memory.PAGE_SIZE);
  }

  @Override
  public int initial(int bytes) {
    return (int) Math.min(maxBytes, (long) bytes + headroomBytes);
  }

  @Override
  public int next(int current, int target) {
    if (target <= current) {
      return current;
    }
    long grown = Math.max((long) target + headroomBytes, (long) current + current / 4);
    return (int) Math.min(maxBytes, Math.max(grown, target));
  }
}
