#!/usr/bin/env bash
# The README's first command: set up this machine, build, start a lattice with `trellis up`,
# deploy the echo and kvcounter sample actors behind the httpserver and keyvalue providers,
# print the URLs, and keep running until Ctrl-C, then clean up everything it started.
#
# Ports: ECHO_PORT (default 8080) and COUNTER_PORT (default 8081) for HTTP, NATS on 4222
# (an existing NATS server there is used as is).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
echo_port="${ECHO_PORT:-8080}"
counter_port="${COUNTER_PORT:-8081}"
t0=$SECONDS

step() { printf '\n== %s\n' "$*"; }
field() { sed -n "s/.*\"$1\" *: *\"\([^\"]*\)\".*/\1/p" | head -1; }
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

for p in "$echo_port" "$counter_port"; do
  port_free "$p" || { echo "demo: port $p is in use; set ECHO_PORT / COUNTER_PORT to free ports" >&2; exit 1; }
done

step "setup and build (first run downloads Maven dependencies)"
bash scripts/build.sh

trellis=(bin/trellis)
echo_key=$("${trellis[@]}" claims inspect actors-samples/dist/echo.wasm -o json | field module)
counter_key=$("${trellis[@]}" claims inspect actors-samples/dist/kvcounter.wasm -o json | field module)
http_key=$("${trellis[@]}" par inspect capability-providers/dist/httpserver.par.gz -o json | field service)
kv_key=$("${trellis[@]}" par inspect capability-providers/dist/keyvalue.par.gz -o json | field service)

started=0
cleanup() {
  trap - INT TERM EXIT
  if (( started )); then
    step "stopping everything the demo started"
    "${trellis[@]}" down || true
  fi
}
trap cleanup INT TERM EXIT

step "trellis up (nats-server with JetStream + a host)"
"${trellis[@]}" up --detached
started=1

step "deploying: echo + kvcounter actors, httpserver + keyvalue providers"
"${trellis[@]}" ctl start actor actors-samples/dist/echo.wasm
"${trellis[@]}" ctl start actor actors-samples/dist/kvcounter.wasm
"${trellis[@]}" ctl start provider capability-providers/dist/httpserver.par.gz --wait-timeout-ms 60000
"${trellis[@]}" ctl start provider capability-providers/dist/keyvalue.par.gz --wait-timeout-ms 60000

step "linking"
"${trellis[@]}" ctl link put "$echo_key" "$http_key" wasmcloud:httpserver "ADDRESS=127.0.0.1:$echo_port"
"${trellis[@]}" ctl link put "$counter_key" "$http_key" wasmcloud:httpserver "ADDRESS=127.0.0.1:$counter_port"
"${trellis[@]}" ctl link put "$counter_key" "$kv_key" wasmcloud:keyvalue "bucket=demo_counters"

# The listeners open once the provider has the links; wait until both answer.
for p in "$echo_port" "$counter_port"; do
  for _ in $(seq 1 150); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$p/" 2>/dev/null || true)
    [[ $code == 200 ]] && break
    sleep 0.2
  done
  [[ $code == 200 ]] || { echo "demo: http://127.0.0.1:$p/ did not answer (last status '$code'); see ${TRELLIS_HOME:-$HOME/.trellis}/host.log" >&2; exit 1; }
done

dashboard_url=$(field dashboard_url < "${TRELLIS_HOME:-$HOME/.trellis}/up.json" || true)

cat <<INFO

== ready after $(( SECONDS - t0 )) s. Open the dashboard: ${dashboard_url:-(none: see docs/DASHBOARD.md)}
Try:

  curl -s 'http://127.0.0.1:$echo_port/hello?name=trellis' -d 'some body'
  curl -s http://127.0.0.1:$counter_port/visits
  curl -s 'http://127.0.0.1:$counter_port/visits?amount=10'

In another terminal:
  bin/trellis ctl get inventory
  bin/trellis ctl get links
  bin/trellis ctl watch
  bin/trellis call $echo_key --http GET /from-the-cli

Press Ctrl-C to stop (the demo then runs 'trellis down').
INFO
# sleep in the background so Ctrl-C (or a TERM to this script alone) runs the cleanup at once
while true; do sleep 3600 & wait $!; done
