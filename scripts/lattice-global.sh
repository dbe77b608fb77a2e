#!/usr/bin/env bash
# A local copy of a global deployment, on loopback:
#   hub supercluster: clusters hub-a and hub-b, 2 servers each, joined by gateways,
#                     JetStream domain "hub" (the lattice data lives here)
#   leaf nodes:       leaf-us (domain "us", attached to hub-a) and leaf-eu (domain "eu", to hub-b)
#   hosts:            one Trellis host per leaf, labelled region=us / region=eu
#
#   scripts/lattice-global.sh up   [-p BASE_PORT]   start everything, print the URLs
#   scripts/lattice-global.sh down                  stop exactly what 'up' started
#   scripts/lattice-global.sh status
#
# State (configs, JetStream stores, logs, pids) lives in $TRELLIS_GLOBAL_STATE, default
# $TRELLIS_HOME/global (~/.trellis/global). Ports for server i (0..5) from BASE (default 24222):
# client BASE+i, route BASE+10+i, gateway BASE+20+i, leaf listen BASE+30+i, monitoring BASE+50+i;
# the hosts' Prometheus metrics on BASE+64 (us) and BASE+65 (eu).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state="${TRELLIS_GLOBAL_STATE:-${TRELLIS_HOME:-$HOME/.trellis}/global}"
base=24222
cmd="${1:-}"; shift || true
while [[ $# -gt 0 ]]; do
  case "$1" in
    -p|--base-port) base="$2"; shift 2 ;;
    *) echo "lattice-global.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
names=(hub-a-1 hub-a-2 hub-b-1 hub-b-2 leaf-us leaf-eu)

die() { echo "lattice-global.sh: $*" >&2; exit 1; }
port() { echo $(( base + $2 + $1 )); }   # port INDEX OFFSET

alive() { # pidfile marker
  [[ -f "$1" ]] || return 1
  local pid; pid=$(head -1 "$1")
  [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "$2"
}

server_conf() { # index name
  local i=$1 n=$2 c
  c="server_name: \"$n\"
listen: \"127.0.0.1:$(port "$i" 0)\"
http: \"127.0.0.1:$(port "$i" 50)\"
accounts {
  APP: { jetstream: enabled, users: [ { user: app, password: app } ] }
  SYS: { users: [ { user: sys, password: sys } ] }
}
system_account: SYS
no_auth_user: app
"
  if [[ $n == hub-* ]]; then
    local cl=${n%-*} r1 r2
    if [[ $cl == hub-a ]]; then r1=0; r2=1; else r1=2; r2=3; fi
    c+="jetstream { store_dir: \"$state/data/$n\", domain: \"hub\" }
cluster {
  name: \"$cl\"
  listen: \"127.0.0.1:$(port "$i" 10)\"
  routes: [ \"nats-route://127.0.0.1:$(port $r1 10)\", \"nats-route://127.0.0.1:$(port $r2 10)\" ]
}
gateway {
  name: \"$cl\"
  listen: \"127.0.0.1:$(port "$i" 20)\"
  gateways: [
    { name: \"hub-a\", urls: [ \"nats://127.0.0.1:$(port 0 20)\", \"nats://127.0.0.1:$(port 1 20)\" ] }
    { name: \"hub-b\", urls: [ \"nats://127.0.0.1:$(port 2 20)\", \"nats://127.0.0.1:$(port 3 20)\" ] }
  ]
}
leafnodes { listen: \"127.0.0.1:$(port "$i" 30)\" }
"
  else
    local d=${n#leaf-} a b
    if [[ $d == us ]]; then a=0; b=1; else a=2; b=3; fi
    c+="jetstream { store_dir: \"$state/data/$n\", domain: \"$d\" }
leafnodes {
  reconnect: 1
  remotes: [ { urls: [ \"nats-leaf://app:app@127.0.0.1:$(port $a 30)\", \"nats-leaf://app:app@127.0.0.1:$(port $b 30)\" ], account: APP } ]
}
"
  fi
  printf '%s' "$c"
}

wait_http() { # url timeout-seconds
  local deadline=$(( SECONDS + $2 ))
  until curl -fs -o /dev/null "$1" 2>/dev/null; do
    (( SECONDS < deadline )) || return 1
    sleep 0.2
  done
}

up() {
  bash "$root/scripts/setup.sh" >/dev/null
  source "$root/scripts/env.sh"
  [[ -f "$root/cli/target/trellis.jar" ]] || die "build first: bash scripts/build.sh"
  command -v curl >/dev/null || die "curl is needed to check server readiness (apt-get install curl)"
  for n in "${names[@]}" host-us host-eu; do
    alive "$state/pids/$n.pid" "$n" && die "already up ($n is running); run: $0 down"
  done
  mkdir -p "$state"/{conf,data,logs,pids}
  local i
  for i in "${!names[@]}"; do
    server_conf "$i" "${names[$i]}" > "$state/conf/${names[$i]}.conf"
    "$NATS_SERVER_BIN" -t -c "$state/conf/${names[$i]}.conf" >/dev/null 2>&1 \
      || die "invalid config $state/conf/${names[$i]}.conf: $("$NATS_SERVER_BIN" -t -c "$state/conf/${names[$i]}.conf" 2>&1 | tail -1)"
  done
  for i in 0 1 2 3 4 5; do
    local n=${names[$i]}
    setsid "$NATS_SERVER_BIN" -c "$state/conf/$n.conf" > "$state/logs/$n.log" 2>&1 < /dev/null &
    printf '%s\n%s\n' "$!" "$state/conf/$n.conf" > "$state/pids/$n.pid"
    if [[ $i == 3 ]]; then  # hub complete: /healthz is 503 until JetStream has a meta leader
      for j in 0 1 2 3; do
        wait_http "http://127.0.0.1:$(port $j 50)/healthz" 60 \
          || die "${names[$j]} is not healthy; see $state/logs/${names[$j]}.log"
      done
    fi
  done
  for j in 4 5; do
    wait_http "http://127.0.0.1:$(port $j 50)/healthz" 30 || die "${names[$j]} is not healthy; see $state/logs/${names[$j]}.log"
    local t=0
    until curl -fs "http://127.0.0.1:$(port $j 50)/leafz" | grep -q '"leafnodes": [1-9]'; do
      (( t++ < 150 )) || die "${names[$j]} did not connect to the hub; see $state/logs/${names[$j]}.log"
      sleep 0.2
    done
  done
  # One cluster key for the whole lattice, so both hosts trust each other's invocations.
  local seed
  seed=$("$root/bin/trellis" keys gen cluster -o json | sed -n 's/.*"seed":"\([^"]*\)".*/\1/p')
  for region in us eu; do
    local idx=4; [[ $region == eu ]] && idx=5
    env WASMCLOUD_CTL_PORT="$(port $idx 0)" WASMCLOUD_RPC_PORT="$(port $idx 0)" WASMCLOUD_PROV_RPC_PORT="$(port $idx 0)" \
      WASMCLOUD_JS_DOMAIN=hub WASMCLOUD_CLUSTER_SEED="$seed" WASMCLOUD_ALLOW_FILE_LOAD=true HOST_region=$region \
      TRELLIS_METRICS_PORT="$(port $idx 60)" \
      HOST_CONFIG="$state/host-$region.json" TRELLIS_FRIENDLY_NAME="$region-host" \
      setsid "$root/bin/trellis" host > "$state/logs/host-$region.log" 2>&1 < /dev/null &
    printf '%s\n%s\n' "$!" "trellis.jar" > "$state/pids/host-$region.pid"
  done
  for region in us eu; do
    local t=0
    until grep -q "is running on lattice" "$state/logs/host-$region.log" 2>/dev/null; do
      (( t++ < 300 )) || die "host-$region did not start; see $state/logs/host-$region.log"
      sleep 0.2
    done
  done
  cat <<INFO
Global lattice is up (state in $state):
  hub (domain hub)   nats://127.0.0.1:$(port 0 0)  nats://127.0.0.1:$(port 1 0) (hub-a)  nats://127.0.0.1:$(port 2 0)  nats://127.0.0.1:$(port 3 0) (hub-b)
  leaf us (domain us) nats://127.0.0.1:$(port 4 0)   host region=us   log $state/logs/host-us.log   metrics http://127.0.0.1:$(port 4 60)/metrics
  leaf eu (domain eu) nats://127.0.0.1:$(port 5 0)   host region=eu   log $state/logs/host-eu.log   metrics http://127.0.0.1:$(port 5 60)/metrics
Try:
  bin/trellis ctl get hosts --ctl-port $(port 0 0)
  bin/trellis ctl start actor actors-samples/dist/echo.wasm --constraint region=eu --ctl-port $(port 0 0)
Stop with: $0 down
INFO
}

down() {
  local any=0 n
  for n in host-us host-eu leaf-us leaf-eu hub-b-2 hub-b-1 hub-a-2 hub-a-1; do
    local f="$state/pids/$n.pid"
    [[ -f $f ]] || continue
    local marker; marker=$(sed -n 2p "$f")
    if alive "$f" "$marker"; then
      local pid; pid=$(head -1 "$f")
      kill -TERM "$pid"; any=1
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
      echo "stopped $n (pid $pid)"
    fi
    rm -f "$f"
  done
  (( any )) || echo "nothing was running"
}

status() {
  local n
  for n in "${names[@]}" host-us host-eu; do
    local f="$state/pids/$n.pid"
    if [[ -f $f ]] && alive "$f" "$(sed -n 2p "$f")"; then echo "$n: running (pid $(head -1 "$f"))"; else echo "$n: stopped"; fi
  done
}

case "$cmd" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) sed -n '2,15p' "$0"; exit 2 ;;
esac
