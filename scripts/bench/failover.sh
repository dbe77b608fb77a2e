#!/usr/bin/env bash
# Failover with default settings: three `trellis host` processes run 6 echo replicas; each run
# SIGKILLs one host (and its providers) and times until the others run all 6 again; a fresh host
# then joins. Reports p50 and max. Target: under 15 s (wadm: 60-150 s).
# Usage: scripts/bench/failover.sh [RUNS] [host|leader]
#   host:   a host that does not lead (declared lost by its silence)
#   leader: the host whose reconciler leads (another takes over, then re-places)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bash "$root/scripts/setup.sh" >/dev/null
source "$root/scripts/env.sh"
cd "$root"
mvn -B -q -ntp -o -DskipTests install -pl bench,cli -am 2>/dev/null || mvn -B -q -ntp -DskipTests install -pl bench,cli -am
java -Xmx512m -XX:+UseG1GC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp bench/target/benchmarks.jar io.trellis.bench.AppsFailoverBench "${1:-5}" "${2:-host}" "$root"
