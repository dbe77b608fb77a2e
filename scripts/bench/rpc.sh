#!/usr/bin/env bash
# Signed echo invocations over NATS through a host vs raw jnats request/reply, same run, same
# nats-server, concurrency 1/16/64. Usage: scripts/bench/rpc.sh [seconds-per-case]
# TRELLIS_BENCH_POLICY=true: the host asks a permit-all policy server (checks hit its cache).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bash "$root/scripts/setup.sh" >/dev/null
source "$root/scripts/env.sh"
cd "$root"
mvn -B -q -ntp -o -DskipTests install -pl bench -am 2>/dev/null || mvn -B -q -ntp -DskipTests install -pl bench -am
java -Xms1g -Xmx1g -XX:+UseG1GC -XX:G1HeapRegionSize=16m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dtrellis.bench.policy="${TRELLIS_BENCH_POLICY:-false}" \
  -cp bench/target/benchmarks.jar io.trellis.bench.RpcBench "${1:-5}"
