#!/usr/bin/env bash
# Idle actors: heap of N idle echo actors after their instances are released (default 1000), the
# extra latency of the first call after a release, and that a burst reaches count instances and no
# more. Takes about a minute and a half.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/scripts/bench/lib.sh"
mvn_step "building the benchmarks" -DskipTests install -pl bench -am
java -Xms1g -Xmx1g -XX:+UseG1GC -XX:G1HeapRegionSize=16m "${bench_jvm_flags[@]}" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp bench/target/benchmarks.jar io.trellis.bench.IdleActorsBench "$@" \
  || fail "the idle actors benchmark failed (exit $?)"
