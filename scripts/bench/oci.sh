#!/usr/bin/env bash
# Actor start from an OCI registry (PROTOCOL.md §14) against a start from a file, in one run: a
# 1.8 MB signed actor started over the control interface from a file, from a local docker-registry
# with an empty cache, and with a warm cache (one manifest request to revalidate the tag); plus the
# pull alone. Everything on loopback. Takes about a minute. Usage: scripts/bench/oci.sh [ROUNDS] [BYTES]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bash "$root/scripts/setup.sh" >/dev/null
source "$root/scripts/env.sh"
cd "$root"
mvn -B -q -ntp -o -DskipTests install -pl bench -am 2>/dev/null || mvn -B -q -ntp -DskipTests install -pl bench -am
java --enable-native-access=ALL-UNNAMED -Xms1g -Xmx1g -XX:+UseG1GC -XX:G1HeapRegionSize=16m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp bench/target/benchmarks.jar io.trellis.bench.OciBench "$@"
