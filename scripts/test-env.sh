#!/usr/bin/env bash
# Prepares a fresh Debian machine for dockwatch's tests: a real Docker engine
# (Debian's docker.io), rsyslog for the syslog sink, and the local busybox
# test image (no registry is reachable, so the image is built by `docker import`).
# Idempotent: every step checks before it acts.
set -euo pipefail

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

need_pkgs=()
command -v dockerd >/dev/null 2>&1 || need_pkgs+=(docker.io)
dpkg -s busybox-static >/dev/null 2>&1 || need_pkgs+=(busybox-static)
command -v rsyslogd >/dev/null 2>&1 || need_pkgs+=(rsyslog)
# the syslog sink's TLS test needs rsyslog's gtls network stream driver
dpkg -s rsyslog-gnutls >/dev/null 2>&1 || need_pkgs+=(rsyslog-gnutls)
command -v curl >/dev/null 2>&1 || need_pkgs+=(curl)
command -v openssl >/dev/null 2>&1 || need_pkgs+=(openssl)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  echo "test-env: installing ${need_pkgs[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

# dockerd has no systemd here: start it in the background unless one answers.
if ! curl -fsS --unix-socket /var/run/docker.sock http://localhost/_ping >/dev/null 2>&1; then
  echo "test-env: starting dockerd"
  mkdir -p /var/log/dockwatch-test
  $SUDO sh -c 'nohup dockerd >>/var/log/dockwatch-test/dockerd.log 2>&1 &'
  for _ in $(seq 1 60); do
    curl -fsS --unix-socket /var/run/docker.sock http://localhost/_ping >/dev/null 2>&1 && break
    sleep 0.5
  done
fi
curl -fsS --unix-socket /var/run/docker.sock http://localhost/_ping >/dev/null

# The test image: busybox-static with its applets linked, imported as a rootfs.
if ! docker image inspect dockwatch-test/busybox:latest >/dev/null 2>&1; then
  echo "test-env: building image dockwatch-test/busybox:latest"
  root="$(mktemp -d)"
  mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/var/log"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
  done
  echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
  echo 'root:x:0:' > "$root/etc/group"
  tar -C "$root" -c . | docker import -c 'ENV PATH=/bin' -c 'CMD ["sh"]' - dockwatch-test/busybox:latest >/dev/null
  rm -rf "$root"
fi
echo "test-env: ready (docker $(docker version --format '{{.Server.Version}}'))"
