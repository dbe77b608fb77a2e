#!/usr/bin/env bash
# Compare-and-set increments on JetStream KV (PROTOCOL.md §5.3.1): the plain per-subject check
# against the stream-wide guard Trellis adds on replicated buckets, one writer and three writers on
# a three-server cluster. Argument: seconds per scenario (default 10; seven scenarios).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/scripts/bench/lib.sh"
mvn_step "building the benchmarks" -DskipTests install -pl bench -am
java "${bench_jvm_flags[@]}" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp bench/target/benchmarks.jar io.trellis.bench.KvCasBench "$@" \
  || fail "the KV compare-and-set benchmark failed (exit $?)"
