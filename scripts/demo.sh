#!/usr/bin/env bash
# The README's first command: set up this machine, build, start a lattice with `trellis up`,
# deploy the application in examples/demo.yaml (the echo and kvcounter sample actors behind the
# httpserver and keyvalue providers) with one `trellis app deploy --wait`, print its status and
# the URLs, and keep running until Ctrl-C, then clean up everything it started.
#
# Ports: ECHO_PORT (default 8080) and COUNTER_PORT (default 8081) for HTTP, NATS_PORT (default
# 4222) for NATS (an existing NATS server there is used as is).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
echo_port="${ECHO_PORT:-8080}"
counter_port="${COUNTER_PORT:-8081}"
nats_port="${NATS_PORT:-4222}"
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

# The manifest names 8080 and 8081; other ports get a copy with those replaced.
manifest=examples/demo.yaml
if [[ $echo_port != 8080 || $counter_port != 8081 ]]; then
  manifest="$(mktemp -d)/demo.yaml"
  sed -e "s/127.0.0.1:8080/127.0.0.1:$echo_port/" -e "s/127.0.0.1:8081/127.0.0.1:$counter_port/" \
    examples/demo.yaml > "$manifest"
fi

started=0
cleanup() {
  trap - INT TERM EXIT
  if (( started )); then
    step "stopping everything the demo started"
    # undeployed first, so the next 'trellis up' does not bring the demo back by itself
    "${trellis[@]}" app undeploy demo --ctl-port "$nats_port" --timeout-ms 10000 >/dev/null 2>&1 || true
    "${trellis[@]}" down || true
  fi
}
trap cleanup INT TERM EXIT

step "trellis up (nats-server with JetStream + a host with its application reconciler)"
"${trellis[@]}" up --detached --nats-port "$nats_port"
started=1

step "trellis app deploy $manifest --wait"
"${trellis[@]}" app deploy "$manifest" --wait --wait-timeout-ms 180000 --ctl-port "$nats_port" --timeout-ms 10000

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
step "trellis app status demo"
"${trellis[@]}" app status demo --ctl-port "$nats_port" --timeout-ms 10000

cat <<INFO

== ready after $(( SECONDS - t0 )) s. Open the dashboard: ${dashboard_url:-(none: see docs/DASHBOARD.md)}
Try:

  curl -s 'http://127.0.0.1:$echo_port/hello?name=trellis' -d 'some body'
  curl -s http://127.0.0.1:$counter_port/visits
  curl -s 'http://127.0.0.1:$counter_port/visits?amount=10'

URLs:
  echo       http://127.0.0.1:$echo_port/
  counter    http://127.0.0.1:$counter_port/visits

In another terminal:
  bin/trellis app status demo
  bin/trellis app list
  bin/trellis ctl get inventory
  bin/trellis ctl get links
  bin/trellis ctl watch
  bin/trellis call $echo_key --http GET /from-the-cli

Press Ctrl-C to stop (the demo then runs 'trellis down').
INFO
# sleep in the background so Ctrl-C (or a TERM to this script alone) runs the cleanup at once
while true; do sleep 3600 & wait $!; done
