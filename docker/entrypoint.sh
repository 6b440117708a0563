#!/bin/sh
# Runs the collector as the unprivileged user dockwatch, in the group that owns the mounted
# Docker socket (its GID differs from host to host, so it is read here, at start).
set -eu
SOCK="${DOCKER_SOCKET:-/var/run/docker.sock}"
JVM_OPTS="$(grep -v '^#' /opt/dockwatch/jvm.options | tr '\n' ' ')"
if [ "$(id -u)" = 0 ]; then
  groups="dockwatch"
  if [ -S "$SOCK" ]; then
    gid="$(stat -c %g "$SOCK")"
    groups="$groups,$gid"
  fi
  chown -R dockwatch:dockwatch /var/lib/dockwatch 2>/dev/null || true
  # shellcheck disable=SC2086
  exec setpriv --reuid=dockwatch --regid=dockwatch --groups="$groups" --inh-caps=-all \
    java $JVM_OPTS -jar /opt/dockwatch/dockwatch.jar "$@"
fi
# shellcheck disable=SC2086
exec java $JVM_OPTS -jar /opt/dockwatch/dockwatch.jar "$@"
