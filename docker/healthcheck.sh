#!/bin/sh
# The image's HEALTHCHECK: does the collector's HTTP server answer /observe/health/live?
#
# Liveness, not /observe/health: Docker and Swarm restart an unhealthy container, and a restart
# fixes neither a dead daemon nor a dead sink (the spool keeps records meanwhile); it only helps a
# process that stopped answering. wget (busybox or GNU) or curl take a few milliseconds; the Java
# probe, for a base image with neither, starts a JVM (about half a CPU-second) every interval.
host="${DOCKWATCH_HTTP_HOST:-127.0.0.1}"
case "$host" in
  0.0.0.0|::|"") host=127.0.0.1 ;;   # bound everywhere: loopback reaches it too
  *:*) host="[$host]" ;;
esac
url="http://$host:${DOCKWATCH_HTTP_PORT:-9876}/observe/health/live"
if command -v wget >/dev/null 2>&1; then
  # no -T: busybox 1.35's wget crashes with it (the HEALTHCHECK's --timeout bounds the probe)
  exec wget -q -O /dev/null "$url"
fi
if command -v curl >/dev/null 2>&1; then
  exec curl -fsS -m 4 -o /dev/null "$url"
fi
exec java -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx16m \
  -cp /opt/dockwatch/dockwatch.jar io.dockwatch.observe.HealthProbe /observe/health/live
