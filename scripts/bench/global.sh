#!/usr/bin/env bash
# Link propagation across leaf nodes: a hub supercluster (2x2, domain hub) with leaves us and eu,
# one host on each; p50/p99 of "put on us, visible on eu". Usage: scripts/bench/global.sh [PUTS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/scripts/bench/lib.sh"
mvn_step "building the benchmarks" -DskipTests install -pl bench -am
java -Xms512m -Xmx512m -XX:+UseG1GC "${bench_jvm_flags[@]}" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp bench/target/benchmarks.jar io.trellis.bench.GlobalPropagationBench "${1:-200}" \
  || fail "the global propagation benchmark failed (exit $?)"
