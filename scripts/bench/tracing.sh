#!/usr/bin/env bash
# The RPC benchmark (signed echo through a host vs raw request/reply) twice in a row: tracing off
# (the default), then on (OTLP http/protobuf to a local receiver that accepts and drops every
# export, so the cost measured is the host's: spans, context, batching and the export itself).
# Usage: scripts/bench/tracing.sh [seconds-per-case=5]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/scripts/bench/lib.sh"
command -v python3 >/dev/null || fail "python3 is needed for the local OTLP receiver (apt-get install python3)"
[[ -f bench/target/benchmarks.jar && -n "${BENCH_SKIP_BUILD:-}" ]] || mvn_step "building the benchmarks" -DskipTests install -pl bench -am
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 - "$port" <<'PY' &
import http.server, sys
class Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
PY
sink=$!
trap 'kill $sink 2>/dev/null || true' EXIT
run() {
  java -Xms1g -Xmx1g -XX:+UseG1GC -XX:G1HeapRegionSize=16m "${bench_jvm_flags[@]}" \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp bench/target/benchmarks.jar io.trellis.bench.RpcBench "${1:-5}" \
    || fail "the RPC benchmark failed (exit $?)"
}
echo "== tracing off"
(unset OTEL_TRACES_EXPORTER; run "${1:-5}")
echo "== tracing on (every invocation sampled, exported to 127.0.0.1:$port)"
OTEL_TRACES_EXPORTER=otlp OTEL_METRICS_EXPORTER=none OTEL_LOGS_EXPORTER=none \
  OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$port" run "${1:-5}"
