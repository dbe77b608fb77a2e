#!/usr/bin/env bash
# HTTP echo end to end (wrk -> httpserver provider process -> NATS -> host -> echo actor and back)
# at concurrency 1, 16 and 64, and in the same run the architecture's floor: the same Jetty front
# end doing a raw NATS request to a trivial responder, with no host and no actor. Bounded: 3 s
# warm-up + SECONDS measured per case, after a JIT warm-up of WARMUP seconds.
# Usage: scripts/bench/http-e2e.sh [SECONDS=8] [WARMUP=20]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/scripts/bench/lib.sh"
secs="${1:-8}"; warmup="${2:-20}"
need_wrk
command -v python3 >/dev/null || fail "python3 is needed to pick free ports"
mvn_step "building Trellis (host, providers and their PARs, benchmarks)" -DskipTests install
[[ -f capability-providers/dist/httpserver.par.gz ]] \
  || fail "capability-providers/dist/httpserver.par.gz is missing after the build"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
classpath capability-providers/httpserver "$work/cp.txt"
floor_cp="capability-providers/httpserver/target/test-classes:capability-providers/httpserver/target/classes:$(cat "$work/cp.txt")"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
nport="$(free_port)"
"$NATS_SERVER_BIN" -a 127.0.0.1 -p "$nport" -js -sd "$work/js" >"$work/nats.log" 2>&1 &
for _ in $(seq 50); do (echo >/dev/tcp/127.0.0.1/"$nport") 2>/dev/null && break; sleep 0.1; done
(echo >/dev/tcp/127.0.0.1/"$nport") 2>/dev/null || { cat "$work/nats.log" >>"$bench_log"; fail "nats-server did not start on port $nport"; }

run_wrk() { # port conns label
  local url="http://127.0.0.1:$1/hello/world?a=1&b=2" threads=2
  (( $2 == 1 )) && threads=1
  wrk -t"$threads" -c"$2" -d3s "$url" >/dev/null 2>&1 || true
  local out; out="$(wrk -t"$threads" -c"$2" -d"${secs}s" --latency "$url" 2>&1 || true)"
  printf '| %s | %s | %s | %s | %s | %s |\n' "$3" "$2" "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" \
    "$(echo "$out" | awk '$1=="50%" {print $2}')" "$(echo "$out" | awk '$1=="99%" {print $2}')" \
    "$(echo "$out" | grep -E 'Non-2xx|Socket errors' | tr '\n' ' ' || true)"
}

echo "| path | connections | req/s | p50 | p99 | errors |"
echo "| --- | --- | --- | --- | --- | --- |"
eport="$(free_port)"
mkfifo "$work/e2e.in"
java -Xms1g -Xmx1g -XX:+UseG1GC -XX:G1HeapRegionSize=16m "${bench_jvm_flags[@]}" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp bench/target/benchmarks.jar io.trellis.bench.HttpE2EBench "$nport" "$eport" 4 <"$work/e2e.in" >"$work/e2e.log" 2>&1 &
exec 9>"$work/e2e.in"
for _ in $(seq 600); do grep -q READY "$work/e2e.log" && break; sleep 0.1; done
if ! grep -q READY "$work/e2e.log"; then
  cat "$work/e2e.log" >>"$bench_log"
  fail "the end-to-end setup (host, echo, httpserver provider) did not become ready within 60 s"
fi
# JIT warm-up of the host (large generated wasm classes) and the provider before measuring
wrk -t2 -c16 -d"${warmup}s" "http://127.0.0.1:$eport/warm" >/dev/null 2>&1 || true
for c in 1 16 64; do run_wrk "$eport" "$c" "HTTP -> provider -> host -> echo"; done
exec 9>&-
wait %2 2>/dev/null || true
fport="$(free_port)"
java -Xms256m -Xmx256m -XX:+UseSerialGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$floor_cp" \
  io.trellis.provider.httpserver.bench.HttpFrontBench jetty "$fport" nats "nats://127.0.0.1:$nport" >"$work/floor.log" 2>&1 &
for _ in $(seq 100); do grep -q READY "$work/floor.log" && break; sleep 0.1; done
if ! grep -q READY "$work/floor.log"; then
  cat "$work/floor.log" >>"$bench_log"
  fail "the floor's Jetty front end did not start"
fi
for c in 1 16 64; do run_wrk "$fport" "$c" "floor: Jetty -> raw NATS -> trivial responder"; done
