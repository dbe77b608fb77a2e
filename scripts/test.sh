#!/usr/bin/env bash
# Setup, then the full test suite: unit tests and integration tests against a real nats-server
# (each test class starts its own server on a free loopback port).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
source "$root/scripts/env.sh"
cd "$root"
mvn -B -ntp install "$@"
