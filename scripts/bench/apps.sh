#!/usr/bin/env bash
# Deploy to `deployed` with the reconciler's defaults, in-JVM hosts on one nats-server:
#   small: an app of three components and ten replicas (echo x5, kvcounter x4, httpserver x1)
#   large: one actor with 1,000 replicas over 10 hosts
# Usage: scripts/bench/apps.sh [small|large|both] [RUNS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bash "$root/scripts/setup.sh" >/dev/null
source "$root/scripts/env.sh"
cd "$root"
mvn -B -q -ntp -o -DskipTests install -pl bench -am 2>/dev/null || mvn -B -q -ntp -DskipTests install -pl bench -am
which="${1:-both}"
runs="${2:-5}"
run() {
  java -Xms2g -Xmx6g -XX:+UseG1GC -XX:G1HeapRegionSize=16m --enable-native-access=ALL-UNNAMED \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp bench/target/benchmarks.jar io.trellis.bench.AppsDeployBench "$1" "$runs" "$root"
}
[[ $which == small || $which == both ]] && run small
[[ $which == large || $which == both ]] && run large
exit 0
