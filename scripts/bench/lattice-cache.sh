#!/usr/bin/env bash
# lattice-cache: (1) how long a link put on one host's cache takes to appear in another host's
# cache (p50/p99 over N sequential puts), (2) connect + full load of a bucket with M link
# definitions. Starts its own nats-server (testkit) on free loopback ports; nothing else needed.
# Usage: scripts/bench/lattice-cache.sh [puts=200] [entries=10000] [loadRounds=3]
# Output is printed and written to lattice-cache/target/bench-lattice-cache.txt.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/scripts/bench/lib.sh"
# test-compile: the harness lives in lattice-cache's test sources
mvn_step "building testkit and lattice-cache" -DskipTests install -pl testkit,lattice-cache -am
cpfile="$root/lattice-cache/target/bench-classpath.txt"
classpath lattice-cache "$cpfile"
if ! java -Xms256m -Xmx1g "${bench_jvm_flags[@]}" \
  -cp "lattice-cache/target/test-classes:lattice-cache/target/classes:$(cat "$cpfile")" \
  io.trellis.lattice.LatticeCacheBench "$@" 2>>"$bench_log" | tee lattice-cache/target/bench-lattice-cache.txt; then
  fail "the lattice-cache benchmark failed"
fi
