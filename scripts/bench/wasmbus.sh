#!/usr/bin/env bash
# The invocation crypto path with each Ed25519 engine (libsodium through FFM, BouncyCastle, the
# JDK): (1) JMH, wall-clock time of encode+sign, decode+verify and raw sign/verify, one fork per
# engine; (2) the same operations timed by thread CPU time, steadier on a busy machine; (3) native
# memory and RSS before and after a million libsodium sign+verify pairs.
# Results are printed; JMH's are also written to bench/target/jmh-wasmbus-<engine>.txt.
# Usage: scripts/bench/wasmbus.sh [quick]   (quick: short JMH runs and 100k pairs, for a check)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/scripts/bench/lib.sh"
mvn_step "building the benchmarks" -DskipTests install -pl bench -am
jmh_opts=(); calls=20000; pairs=1000000
if [[ "${1:-}" == quick ]]; then
  jmh_opts=(-wi 1 -w 1 -i 2 -r 1); calls=2000; pairs=100000
fi
for engine in sodium bc jdk; do
  echo "== JMH, engine $engine"
  java "${bench_jvm_flags[@]}" -jar bench/target/benchmarks.jar InvocationBench -p engine="$engine" \
    "${jmh_opts[@]}" -jvmArgsAppend "--enable-native-access=ALL-UNNAMED -Dtrellis.ed25519=$engine" \
    -rf text -rff "bench/target/jmh-wasmbus-$engine.txt" >>"$bench_log" 2>&1 \
    || fail "JMH with engine $engine failed (exit $?)"
  cat "bench/target/jmh-wasmbus-$engine.txt"
done
for engine in sodium bc jdk; do
  echo "== CPU time per call, engine $engine"
  n=$calls; [[ $engine == jdk ]] && n=$((calls / 20)) # the JDK's EdDSA is about 20x slower
  java "${bench_jvm_flags[@]}" -Dtrellis.ed25519="$engine" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp bench/target/benchmarks.jar io.trellis.bench.InvocationCpuBench "$n" \
    || fail "the CPU-time harness with engine $engine failed (exit $?)"
done
echo "== native memory, $pairs libsodium sign+verify pairs"
java "${bench_jvm_flags[@]}" -Xmx256m -XX:NativeMemoryTracking=summary -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp bench/target/benchmarks.jar io.trellis.bench.Ed25519MemoryCheck sodium "$pairs" \
  || fail "the native memory check failed (exit $?)"
