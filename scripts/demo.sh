#!/usr/bin/env bash
# The README's first command. Until `trellis up` lands (see the README's status table), this builds
# Trellis and shows the signed echo sample actor's claims, verified by the trellis CLI.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/build.sh"
cd "$root"
echo
echo "== claims of the signed echo sample actor =="
bin/trellis claims inspect actors-samples/dist/echo.wasm
echo
echo "The lattice host and 'trellis up' are not built yet; this demo will start a lattice then."
