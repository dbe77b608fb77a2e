#!/bin/sh
# Trellis capability provider launcher. This file is a POSIX shell script with an executable jar
# appended after the `exit` line below (a zip tolerates a prefix), so one file runs anywhere a
# Java 25+ runtime is installed: $JAVA_HOME/bin/java if JAVA_HOME is set, otherwise `java` on PATH.
# JVM options come from TRELLIS_PROVIDER_JAVA_OPTS; the default suits a small, mostly idle
# process (serial GC, small stacks) and exits on OutOfMemoryError so the host sees it stop.
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  java="$JAVA_HOME/bin/java"
elif command -v java >/dev/null 2>&1; then
  java="$(command -v java)"
else
  echo "trellis provider: no Java runtime found: install Java 25 or newer, or set JAVA_HOME" >&2
  exit 127
fi
version="$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n 1)"
major="${version#1.}"
major="${major%%.*}"
case "$major" in
  ''|*[!0-9]*)
    echo "trellis provider: cannot tell the version of $java (got '$version'); Java 25 or newer is required" >&2
    exit 1 ;;
esac
if [ "$major" -lt 25 ]; then
  echo "trellis provider: $java is Java $version, but Java 25 or newer is required (set JAVA_HOME)" >&2
  exit 1
fi
exec "$java" ${TRELLIS_PROVIDER_JAVA_OPTS:--XX:+UseSerialGC -Xss512k -XX:+ExitOnOutOfMemoryError} -jar "$0" "$@"
exit 1
