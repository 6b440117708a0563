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
  # by path: a busybox sh would otherwise run its own setpriv applet, which lacks --groups
  setpriv=setpriv
  [ -x /usr/bin/setpriv ] && setpriv=/usr/bin/setpriv
  # Every capability is dropped, except CAP_DAC_READ_SEARCH when the container was given it
  # (cap_add: [DAC_READ_SEARCH]): it lets the collector read Docker's json-file logs (0640 root,
  # mounted read-only from /var/lib/docker/containers) instead of asking dockerd for them, and
  # nothing more (no writing). Kept as an ambient capability so that java, run as dockwatch, has it.
  caps="--inh-caps=-all"
  prm="$(sed -n 's/^CapPrm:[[:space:]]*//p' /proc/self/status)"
  if [ -n "$prm" ] && [ $(( (0x$prm >> 2) & 1 )) = 1 ]; then   # bit 2: CAP_DAC_READ_SEARCH
    caps="--inh-caps=-all,+dac_read_search --ambient-caps=+dac_read_search"
  fi
  # shellcheck disable=SC2086
  exec "$setpriv" --reuid=dockwatch --regid=dockwatch --groups="$groups" $caps \
    java $JVM_OPTS -jar /opt/dockwatch/dockwatch.jar "$@"
fi
# shellcheck disable=SC2086
exec java $JVM_OPTS -jar /opt/dockwatch/dockwatch.jar "$@"
