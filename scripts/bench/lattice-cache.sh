#!/usr/bin/env bash
# lattice-cache: (1) how long a link put on one host's cache takes to appear in another host's
# cache (p50/p99 over N sequential puts), (2) connect + full load of a bucket with M link
# definitions. Starts its own nats-server (testkit) on free loopback ports; nothing else needed.
# Usage: scripts/bench/lattice-cache.sh [puts=200] [entries=10000] [loadRounds=3]
# Output is printed and written to lattice-cache/target/bench-lattice-cache.txt.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bash "$root/scripts/setup.sh" >/dev/null
source "$root/scripts/env.sh"
cd "$root"
mvn -B -q -ntp -DskipTests install -pl testkit,lattice-cache -am
cpfile="$root/lattice-cache/target/bench-classpath.txt"
mvn -B -q -ntp -pl lattice-cache dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cpfile"
java -Xms256m -Xmx1g -cp "lattice-cache/target/test-classes:lattice-cache/target/classes:$(cat "$cpfile")" \
  io.trellis.lattice.LatticeCacheBench "$@" 2>/dev/null | tee lattice-cache/target/bench-lattice-cache.txt
