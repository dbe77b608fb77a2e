#!/usr/bin/env bash
# Shared steps of the scripts under scripts/bench: each says what failed and how to go on, and each
# Maven step tries the local repository first (fast, no network) and then Maven Central (a fresh
# machine has nothing local). Source it after `root` is set; it sources scripts/env.sh itself.
# Set BENCH_VERBOSE=1 to see Maven's output.

bench_log="$(mktemp -t trellis-bench.XXXXXX.log)"

# fail MESSAGE: says what failed, shows the end of the step's log, stops the script.
fail() {
  echo "bench: $1" >&2
  if [[ -s "$bench_log" ]]; then
    echo "bench: last lines of $bench_log:" >&2
    tail -n 25 "$bench_log" >&2
  fi
  exit 1
}

# step DESCRIPTION COMMAND...: runs a command, stops with DESCRIPTION if it fails.
step() {
  local what="$1"; shift
  if [[ "${BENCH_VERBOSE:-0}" == 1 ]]; then
    "$@" || fail "$what failed (exit $?): $*"
  else
    "$@" >>"$bench_log" 2>&1 || fail "$what failed (exit $?): $*"
  fi
}

# mvn_step DESCRIPTION MAVEN-ARGS...: offline first, then online; says which failed.
mvn_step() {
  local what="$1"; shift
  if mvn -B -q -ntp -o "$@" >>"$bench_log" 2>&1; then
    return 0
  fi
  echo "bench: $what: offline Maven build failed (a plugin or dependency is not in the local repository yet); retrying with Maven Central" >&2
  step "$what (online)" mvn -B -q -ntp "$@"
}

# classpath MODULE OUTFILE: the module's test class path (compile + test dependencies) into OUTFILE.
classpath() {
  mvn_step "class path of $1" -f "$root/$1/pom.xml" dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$2"
  [[ -s "$2" ]] || fail "class path of $1 is empty ($2)"
}

# need_wrk: installs wrk (Debian package) when missing.
need_wrk() {
  command -v wrk >/dev/null && return 0
  local sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null && sudo_cmd=(sudo)
  echo "bench: installing wrk from apt" >&2
  step "apt-get update" "${sudo_cmd[@]}" apt-get update -qq
  step "installing wrk" env DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq wrk
  command -v wrk >/dev/null || fail "wrk is still missing after apt-get install"
}

# JVM flags every harness needs: libsodium through FFM without a warning.
bench_jvm_flags=(--enable-native-access=ALL-UNNAMED)

step "machine setup (scripts/setup.sh)" bash "$root/scripts/setup.sh"
[[ -f "$root/scripts/env.sh" ]] || fail "scripts/setup.sh did not write scripts/env.sh"
# shellcheck source=/dev/null
source "$root/scripts/env.sh"
cd "$root"
