#!/usr/bin/env bash
# Vendors the dashboard's JavaScript dependencies at build time (Maven runs this in
# generate-resources): `npm ci` from the committed package-lock.json, in target/npm, then copies the
# files the page loads into target/generated-resources, which Maven packs into the jar. The page
# never loads anything from a CDN. Re-running is cheap: npm runs again only when the lock changed.
set -euo pipefail
module="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if ! command -v npm >/dev/null 2>&1; then
  echo "dashboard: npm is not installed, and the build needs it to vendor nats.ws from npm." >&2
  echo "dashboard: run scripts/setup.sh (Debian/Ubuntu: sudo apt-get install npm)." >&2
  exit 1
fi
work="$module/target/npm"
out="$module/target/generated-resources/vendor/io/trellis/dashboard/site/vendor"
mkdir -p "$work" "$out"
cp "$module/package.json" "$module/package-lock.json" "$work/"
stamp="$work/node_modules/.trellis-lock"
if ! cmp -s "$work/package-lock.json" "$stamp" 2>/dev/null; then
  (cd "$work" && npm ci --ignore-scripts --omit=optional --no-audit --no-fund --prefer-offline --loglevel=error)
  cp "$work/package-lock.json" "$stamp"
fi
src="$work/node_modules/nats.ws"
[[ -f "$src/esm/nats.js" ]] || { echo "dashboard: $src/esm/nats.js is missing after npm ci" >&2; exit 1; }
# nats.ws's ESM build is one self-contained file (no imports): the page imports it as is.
cp "$src/esm/nats.js" "$out/nats.ws.js"
cp "$src/LICENSE" "$out/nats.ws.LICENSE.txt"
