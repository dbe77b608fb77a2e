#!/usr/bin/env bash
# Setup, then build every module and the trellis CLI jar without running tests.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
source "$root/scripts/env.sh"
cd "$root"
mvn -B -q -ntp -DskipTests install
echo "build: ok (bin/trellis is ready)"
