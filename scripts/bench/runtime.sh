#!/usr/bin/env bash
# Actor runtime harness: echo calls/s (compiler vs interpreter), first call on a fresh instance,
# compile time per sample actor, heap per idle instance. Takes about a minute.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/scripts/bench/lib.sh"
mvn_step "building the benchmarks" -DskipTests install -pl bench -am
java -Xms1g -Xmx1g -XX:+UseG1GC -XX:G1HeapRegionSize=16m "${bench_jvm_flags[@]}" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp bench/target/benchmarks.jar io.trellis.bench.RuntimeBench \
  || fail "the runtime benchmark failed (exit $?)"
