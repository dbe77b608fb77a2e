#!/usr/bin/env bash
# Signed echo invocations over NATS through a host vs raw jnats request/reply, same run, same
# nats-server, concurrency 1/16/64, with the CPU each request cost (this JVM + nats-server).
# Usage: scripts/bench/rpc.sh [seconds-per-case=5]
# TRELLIS_BENCH_POLICY=true: the host asks a permit-all policy server (checks hit its cache).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/scripts/bench/lib.sh"
mvn_step "building the benchmarks" -DskipTests install -pl bench -am
java -Xms1g -Xmx1g -XX:+UseG1GC -XX:G1HeapRegionSize=16m "${bench_jvm_flags[@]}" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dtrellis.bench.policy="${TRELLIS_BENCH_POLICY:-false}" \
  -cp bench/target/benchmarks.jar io.trellis.bench.RpcBench "${1:-5}" \
  || fail "the RPC benchmark failed (exit $?)"
