#!/usr/bin/env bash
# Link propagation across leaf nodes: a hub supercluster (2x2, domain hub) with leaves us and eu,
# one host on each; p50/p99 of "put on us, visible on eu". Usage: scripts/bench/global.sh [PUTS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bash "$root/scripts/setup.sh" >/dev/null
source "$root/scripts/env.sh"
cd "$root"
mvn -B -q -ntp -o -DskipTests install -pl bench -am 2>/dev/null || mvn -B -q -ntp -DskipTests install -pl bench -am
java -Xms512m -Xmx512m -XX:+UseG1GC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp bench/target/benchmarks.jar io.trellis.bench.GlobalPropagationBench "${1:-200}"
