#!/usr/bin/env bash
# HTTP front end of the httpserver provider, chosen by measurement: Jetty 12 (virtual threads) vs
# the JDK's com.sun.net.httpserver (virtual-thread executor), each in its own JVM, loaded by wrk on
# loopback. "plain" answers at once (the server alone); "nats" adds the NATS request/reply round
# trip every provider request makes. Bounded: 3 s warm-up + 8 s measured per case, ~4 minutes.
# Usage: scripts/bench/http.sh [ROUNDS=2] [SECONDS=8]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rounds="${1:-2}"; secs="${2:-8}"
source "$root/scripts/bench/lib.sh"
need_wrk
command -v python3 >/dev/null || fail "python3 is needed to pick free ports"
mods=capability-providers/httpserver,capability-providers/provider-testkit
mvn_step "building the httpserver provider" -DskipTests install -pl "$mods" -am
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
classpath capability-providers/httpserver "$work/cp.txt"
cp="capability-providers/httpserver/target/test-classes:capability-providers/httpserver/target/classes:$(cat "$work/cp.txt")"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
nport="$(free_port)"
"$NATS_SERVER_BIN" -a 127.0.0.1 -p "$nport" >"$work/nats.log" 2>&1 &
for _ in $(seq 50); do (echo >/dev/tcp/127.0.0.1/"$nport") 2>/dev/null && break; sleep 0.1; done

echo "| server | mode | connections | round | req/s | p50 | p90 | p99 | started in | errors |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for round in $(seq "$rounds"); do
  for mode in plain nats; do
    for conns in 16 64; do
      for kind in jetty jdk; do
        port="$(free_port)"
        java -Xms256m -Xmx256m -XX:+UseSerialGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" \
          io.trellis.provider.httpserver.bench.HttpFrontBench "$kind" "$port" "$mode" "nats://127.0.0.1:$nport" \
          >"$work/server.log" 2>&1 &
        pid=$!
        for _ in $(seq 100); do grep -q READY "$work/server.log" && break; sleep 0.1; done
        if ! grep -q READY "$work/server.log"; then
          echo "| $kind | $mode | $conns | $round | server did not start: $(tail -1 "$work/server.log") |"
          kill "$pid" 2>/dev/null || true; continue
        fi
        started="$(sed -n 's/.*started in \([0-9.]*\) ms.*/\1 ms/p' "$work/server.log")"
        url="http://127.0.0.1:$port/hello/world?a=1&b=2"
        wrk -t2 -c"$conns" -d3s "$url" >/dev/null 2>&1 || true
        out="$(wrk -t2 -c"$conns" -d"${secs}s" --latency "$url" 2>&1 || true)"
        kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
        rps="$(echo "$out" | awk '/Requests\/sec/ {print $2}')"
        p50="$(echo "$out" | awk '$1=="50%" {print $2}')"
        p90="$(echo "$out" | awk '$1=="90%" {print $2}')"
        p99="$(echo "$out" | awk '$1=="99%" {print $2}')"
        errs="$(echo "$out" | grep -E 'Non-2xx|Socket errors' | tr '\n' ' ' || true)"
        echo "| $kind | $mode | $conns | $round | $rps | $p50 | $p90 | $p99 | $started | ${errs:-none} |"
      done
    done
  done
done
