#!/usr/bin/env bash
# Actor runtime harness: echo calls/s (compiler vs interpreter), first call on a fresh instance,
# compile time per sample actor, heap per idle instance. Takes about a minute.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bash "$root/scripts/setup.sh" >/dev/null
source "$root/scripts/env.sh"
cd "$root"
mvn -B -q -ntp -o -DskipTests install -pl bench -am 2>/dev/null || mvn -B -q -ntp -DskipTests install -pl bench -am
java -Xms1g -Xmx1g -XX:+UseG1GC -XX:G1HeapRegionSize=16m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp bench/target/benchmarks.jar io.trellis.bench.RuntimeBench
