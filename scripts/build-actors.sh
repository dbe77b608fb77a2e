#!/usr/bin/env bash
# Build (and sign) the Rust sample actors in actors-samples/.
#
#   scripts/build-actors.sh              install toolchain if missing, build, sign, print sha256s
#   scripts/build-actors.sh --build-only same, but stop after the unsigned build/ outputs
#
# Steps (idempotent):
#   1. apt-get install Debian's offline Rust toolchain if any package is missing
#      (rustc 1.63 + wasm32 std + lld-14 + serde/rmp-serde crate sources).
#   2. RUSTC=/usr/bin/rustc /usr/bin/cargo build --release --offline --locked   (in actors-samples/)
#   3. copy the unsigned modules to actors-samples/build/<name>.wasm
#   4. generate missing TEST keys in actors-samples/keys/ and sign every module into
#      actors-samples/dist/<name>.wasm with bin/trellis (deterministic: fixed --iat/--jti)
#   5. print the sha256 of every build/ and dist/ file
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SAMPLES="actors-samples"
TRELLIS="bin/trellis"
cd "$REPO_ROOT"

BUILD_ONLY=0
for arg in "$@"; do
  case "$arg" in
    --build-only) BUILD_ONLY=1 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "build-actors.sh: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

log() { printf '==> %s\n' "$*"; }
die() { printf 'build-actors.sh: ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
# 1. Toolchain (Debian bookworm packages; no network needed afterwards)
# ---------------------------------------------------------------------------------------------
PACKAGES=(
  rustc cargo libstd-rust-dev-wasm32 lld-14
  librust-serde-dev librust-serde-derive-dev librust-rmp-serde-dev librust-serde-json-dev
)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=()
for p in "${PACKAGES[@]}"; do
  installed "$p" || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing missing packages: ${missing[*]}"
  SUDO=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || die "packages missing (${missing[*]}) and not root / no sudo"
    SUDO=(sudo)
  fi
  "${SUDO[@]}" apt-get update
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"
else
  log "toolchain packages present"
fi

# ---------------------------------------------------------------------------------------------
# 2. Build. Always Debian's cargo + rustc by full path: rustup's cargo/rustc may come first on
#    PATH and have no wasm32 target (see actors-samples/.cargo/config.toml).
# ---------------------------------------------------------------------------------------------
log "building workspace (offline, locked)"
(cd "$SAMPLES" && RUSTC=/usr/bin/rustc /usr/bin/cargo build --release --offline --locked)

# ---------------------------------------------------------------------------------------------
# 3. Unsigned outputs
# ---------------------------------------------------------------------------------------------
#        name               jti (22 chars, fixed)     caps / call alias
ACTORS=(
  "echo               TRLSsampleEcho00000001    wasmcloud:httpserver"
  "echo_unprivileged  TRLSsampleEchoUnpriv02    -"
  "kvcounter          TRLSsampleKvcounter003    wasmcloud:httpserver wasmcloud:keyvalue"
  "pinger             TRLSsamplePinger000004    wasmcloud:httpserver"
  "ponger             TRLSsamplePonger000005    alias=wasmcloud/ponger"
  "fetch              TRLSsampleFetch0000006    wasmcloud:httpserver wasmcloud:httpclient"
  "logger             TRLSsampleLogger000007    wasmcloud:httpserver wasmcloud:builtin:logging wasmcloud:builtin:numbergen"
  "subscriber         TRLSsampleSubscriber08    wasmcloud:messaging"
  "hasher             TRLSsampleHasher000009    wasmcloud:httpserver"
  "policy             TRLSsamplePolicy000010    wasmcloud:messaging wasmcloud:keyvalue"
)

OUT="$SAMPLES/target/wasm32-unknown-unknown/release"
mkdir -p "$SAMPLES/build"
for entry in "${ACTORS[@]}"; do
  read -r name _ <<<"$entry"
  [[ -f "$OUT/$name.wasm" ]] || die "build output $OUT/$name.wasm not found"
  cp "$OUT/$name.wasm" "$SAMPLES/build/$name.wasm"
done

print_sums() { # dir
  (cd "$REPO_ROOT" && for entry in "${ACTORS[@]}"; do
     read -r name _ <<<"$entry"
     sha256sum "$1/$name.wasm"
   done)
}

log "unsigned modules (sha256):"
print_sums "$SAMPLES/build"

if ((BUILD_ONLY)); then
  log "--build-only: not signing"
  exit 0
fi

# ---------------------------------------------------------------------------------------------
# 4. Keys + signing with the project CLI
# ---------------------------------------------------------------------------------------------
CLI_HINT="build the Trellis CLI first (from the repo root: 'mvn -q -DskipTests package'), so that
$TRELLIS exists and supports 'keys gen' and 'claims sign'; or run with --build-only to skip signing"

[[ -x "$TRELLIS" ]] || die "$TRELLIS not found or not executable: $CLI_HINT"

cli() {
  "$TRELLIS" "$@" || die "'$TRELLIS $*' failed (exit $?): $CLI_HINT"
}

mkdir -p "$SAMPLES/keys" "$SAMPLES/dist"
if [[ ! -f "$SAMPLES/keys/account.nk" ]]; then
  log "generating TEST account key $SAMPLES/keys/account.nk"
  cli keys gen account --out "$SAMPLES/keys/account.nk"
fi

for entry in "${ACTORS[@]}"; do
  read -r name jti caps <<<"$entry"
  ((${#jti} == 22)) || die "jti for $name must be 22 characters: $jti"
  if [[ ! -f "$SAMPLES/keys/$name.nk" ]]; then
    log "generating TEST module key $SAMPLES/keys/$name.nk"
    cli keys gen module --out "$SAMPLES/keys/$name.nk"
  fi
  extra=()
  for c in $caps; do
    case "$c" in
      -) ;;
      alias=*) extra+=(--call-alias "${c#alias=}") ;;
      *) extra+=(--cap "$c") ;;
    esac
  done
  log "signing $name"
  cli claims sign "$SAMPLES/build/$name.wasm" \
    -d "$SAMPLES/dist/$name.wasm" \
    --name "$name" \
    --issuer "$SAMPLES/keys/account.nk" \
    --subject "$SAMPLES/keys/$name.nk" \
    --rev 1 --ver 0.1.0 \
    --iat 1767225600 \
    --jti "$jti" \
    "${extra[@]}"
  [[ -s "$SAMPLES/dist/$name.wasm" ]] || die "$TRELLIS claims sign did not write $SAMPLES/dist/$name.wasm: $CLI_HINT"
done

# ---------------------------------------------------------------------------------------------
# 5. Checksums
# ---------------------------------------------------------------------------------------------
log "sha256 (unsigned build/ and signed dist/):"
print_sums "$SAMPLES/build"
print_sums "$SAMPLES/dist"
