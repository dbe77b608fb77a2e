#!/usr/bin/env bash
# Idempotent machine setup: the Debian packages Trellis and its tests use (nats-server, Maven,
# docker-registry for OCI tests, chromium + chromium-driver for browser tests, libsodium23 for
# native Ed25519, Node.js + npm for the dashboard's vendored JavaScript) and a JDK >= 25.
# Writes what it found to scripts/env.sh, which every other script sources.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then sudo_cmd=(sudo); fi
fi

apt_updated=0
apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: apt-get is not available; install $* by hand" >&2
    return 1
  fi
  if [[ $apt_updated -eq 0 ]]; then
    "${sudo_cmd[@]}" apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

find_nats() {
  command -v nats-server 2>/dev/null || { [[ -x /usr/sbin/nats-server ]] && echo /usr/sbin/nats-server; } || true
}
nats_bin="$(find_nats)"
if [[ -z "$nats_bin" ]]; then
  echo "setup: installing nats-server from apt"
  apt_install nats-server
  nats_bin="$(find_nats)"
fi
[[ -n "$nats_bin" ]] || { echo "setup: nats-server is still missing after apt-get install" >&2; exit 1; }

# command or file that proves the package is there -> Debian package
declare -A wanted=(
  [mvn]=maven
  [docker-registry]=docker-registry
  [chromium]=chromium
  [chromedriver]=chromium-driver
  [npm]=npm
  [python3]=python3  # scripts/bench/tracing.sh: the local OTLP receiver
)
missing=()
for cmd in "${!wanted[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${wanted[$cmd]}")
done
if ! ldconfig -p 2>/dev/null | grep -q 'libsodium\.so\.23'; then missing+=(libsodium23); fi
if ((${#missing[@]})); then
  echo "setup: installing from apt: ${missing[*]}"
  apt_install "${missing[@]}"
fi

java_major() { # prints the major version of the java binary $1, or 0
  local v
  v="$("$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')"
  echo "${v:-0}" | cut -d. -f1
}

jdk=""
required=25
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/javac" && $(java_major "$JAVA_HOME/bin/java") -ge $required ]]; then
  jdk="$JAVA_HOME"
else
  best=0
  for d in /usr/lib/jvm/*; do
    [[ -x "$d/bin/javac" && ! -L "$d" ]] || continue
    m=$(java_major "$d/bin/java")
    if [[ $m -ge $required && $m -gt $best ]]; then best=$m; jdk="$d"; fi
  done
fi
if [[ -z "$jdk" ]]; then
  echo "setup: no JDK $required or newer found (looked at \$JAVA_HOME and /usr/lib/jvm/*)." >&2
  echo "setup: install one, e.g. Temurin 25 (apt: temurin-25-jdk from packages.adoptium.net)," >&2
  echo "setup: or set JAVA_HOME to a JDK $required+ and run this again." >&2
  exit 1
fi

cat > "$here/env.sh.tmp" <<ENV
# Written by scripts/setup.sh; do not edit (re-run setup instead).
export JAVA_HOME="$jdk"
export PATH="$jdk/bin:\$PATH"
export NATS_SERVER_BIN="$nats_bin"
ENV
mv "$here/env.sh.tmp" "$here/env.sh"
echo "setup: JDK $(java_major "$jdk/bin/java") at $jdk; nats-server $("$nats_bin" --version 2>&1 | awk '{print $2}') at $nats_bin"
