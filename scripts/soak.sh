#!/usr/bin/env bash
# The soak run (docs/RELIABILITY.md): a three-server NATS cluster, three `trellis host` processes,
# an application deployed through the apps API, mixed load and random faults from a printed seed,
# then a report per fault kind. Loopback only; bounded (the driver stops itself after the given
# minutes plus 10 minutes at most). Exit status non-zero when an acknowledged increment is missing
# or a process is left behind (or the soak could not run).
#
#   scripts/soak.sh [--minutes N] [--seed S] [--no-build]
#
# --no-build skips `mvn install -DskipTests` (for .ci/run, right after the test suite built it).
# Maven steps try the local repository first, then Maven Central (scripts/bench/lib.sh).
# Set MAVEN_OPTS / pass -Dmaven.repo.local through SOAK_MVN_ARGS to use another local repository.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build=1
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) build=0; shift ;;
    --minutes|--seed)
      [[ $# -ge 2 ]] || { echo "soak: $1 needs a value" >&2; exit 2; }
      args+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n 2,12p "$0"; exit 0 ;;
    *) echo "soak: unknown argument '$1' (usage: scripts/soak.sh [--minutes N] [--seed S] [--no-build])" >&2; exit 2 ;;
  esac
done
# shellcheck source=/dev/null
source "$root/scripts/bench/lib.sh"
read -r -a mvn_extra <<<"${SOAK_MVN_ARGS:-}"
if [[ $build == 1 ]]; then
  mvn_step "build (mvn install -DskipTests)" "${mvn_extra[@]}" install -DskipTests
fi
cp_file="$root/e2e/target/soak-classpath.txt"
classpath_args=("${mvn_extra[@]}" -f "$root/e2e/pom.xml" dependency:build-classpath
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file")
mvn_step "class path of e2e" "${classpath_args[@]}"
[[ -s "$cp_file" ]] || fail "class path of e2e is empty ($cp_file)"
[[ -d "$root/e2e/target/test-classes/io/trellis/e2e/soak" ]] ||
  fail "e2e test classes are missing; run without --no-build"
cd "$root"
exec java "${bench_jvm_flags[@]}" --sun-misc-unsafe-memory-access=allow -Xmx512m \
  -cp "$root/e2e/target/test-classes:$(cat "$cp_file")" \
  io.trellis.e2e.soak.Soak --root "$root" "${args[@]}"
