#!/usr/bin/env bash
# Where requests entering at the eu leaf are served when the same actor runs in us and eu (global
# topology: hub supercluster 2x2, leaves us and eu), local vs remote latency (p50/p99, measured
# alternately), and the errors while eu's instances stop and while its host is killed under load.
# Runs e2e GlobalLocalityTest with bigger numbers. Usage: scripts/bench/locality.sh [REQUESTS] [THREADS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bash "$root/scripts/setup.sh" >/dev/null
source "$root/scripts/env.sh"
cd "$root"
# the test needs the provider archives (capability-providers/dist) and cli/target/trellis.jar
mvn -B -q -ntp -o -DskipTests install 2>/dev/null || mvn -B -q -ntp -DskipTests install
mvn -B -q -ntp -o -pl e2e test -Dtest=GlobalLocalityTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dlocality.requests="${1:-1000}" -Dlocality.threads="${2:-4}" \
  || { echo "GlobalLocalityTest failed; see e2e/target/surefire-reports" >&2; exit 1; }
grep -h '^LOCALITY\|CDATA\[LOCALITY' e2e/target/surefire-reports/io.trellis.e2e.GlobalLocalityTest-output.txt \
  | sed 's/.*LOCALITY /LOCALITY /' | sort -u
