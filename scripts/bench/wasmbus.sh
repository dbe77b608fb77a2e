#!/usr/bin/env bash
# JMH: invocation encode+sign / decode+verify, and raw Ed25519 sign/verify, BouncyCastle vs JDK.
# Results are printed and written to bench/target/jmh-wasmbus-<engine>.txt.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bash "$root/scripts/setup.sh" >/dev/null
source "$root/scripts/env.sh"
cd "$root"
mvn -B -q -ntp -DskipTests install -pl bench -am
for engine in bc jdk; do
  java -jar bench/target/benchmarks.jar InvocationBench -p engine="$engine" \
    -jvmArgsAppend "-Dtrellis.ed25519=$engine" -rf text -rff "bench/target/jmh-wasmbus-$engine.txt"
done
