#!/usr/bin/env bash
# A lattice of many in-JVM hosts on one nats-server (loopback), each with its own NATS connections,
# each running the same ACTORS actors placed through auctions; at each level it measures ping.hosts,
# get inventory, an auction with constraints, a link put seen by every host, heartbeat bytes, a
# lattice-cache load, heap per host and an app deploy of 1,000 replicas.
# Usage: scripts/bench/lattice-scale.sh [ACTORS=200] [LEVELS=5,20,50]   (about 10 minutes at 50x200)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/scripts/bench/lib.sh"
mvn_step "building the benchmarks" -DskipTests install -pl bench -am
java -Xms4g -Xmx8g -XX:+UseG1GC -XX:G1HeapRegionSize=16m "${bench_jvm_flags[@]}" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp bench/target/benchmarks.jar io.trellis.bench.LatticeScaleBench \
  "${1:-200}" "${2:-5,20,50}" "$root" \
  || fail "the lattice scale benchmark failed (exit $?)"
