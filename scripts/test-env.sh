#!/usr/bin/env bash
# Prepares a fresh Debian machine for dockwatch's tests: a real Docker engine
# (Debian's docker.io), rsyslog for the syslog sink, Prometheus and Chromium for
# the metrics and status-page tests, and the local busybox
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
# Prometheus scrapes /observe/metrics and Chromium renders the status page in the ops tests;
# the tests start their own instances (not started here). setpriv (util-linux) and the JDK's
# jmods go into the locally built container base images.
command -v prometheus >/dev/null 2>&1 || need_pkgs+=(prometheus)
command -v chromium >/dev/null 2>&1 || need_pkgs+=(chromium)
command -v setpriv >/dev/null 2>&1 || need_pkgs+=(util-linux)
[ -d /usr/lib/jvm/java-17-openjdk-amd64/jmods ] || need_pkgs+=(openjdk-17-jdk-headless)
# DeadLinkIT drops a port's packets (iptables) and makes the far end forget its connections (ss -K).
command -v iptables >/dev/null 2>&1 || need_pkgs+=(iptables)
command -v ss >/dev/null 2>&1 || need_pkgs+=(iproute2)
# deploy/compose.yml is run with Debian's docker-compose (1.29) in DeployFilesIT
command -v docker-compose >/dev/null 2>&1 || need_pkgs+=(docker-compose)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  echo "test-env: installing ${need_pkgs[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

# iptables comes in two flavours, nft and legacy, and a kernel may lack the one Debian's default
# points to: keep the default when it works, else switch to the other (dockerd uses the same one).
if ! $SUDO iptables -w -L INPUT -n >/dev/null 2>&1; then
  for flavour in iptables-legacy iptables-nft; do
    if command -v "$flavour" >/dev/null 2>&1 && $SUDO "$flavour" -w -L INPUT -n >/dev/null 2>&1; then
      echo "test-env: iptables -> $flavour"
      $SUDO update-alternatives --set iptables "$(command -v "$flavour")" >/dev/null
      break
    fi
  done
fi
$SUDO iptables -w -L INPUT -n >/dev/null 2>&1 || { echo "test-env: neither iptables flavour works here" >&2; exit 1; }

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
# A newer engine beside the system's (the API-version tests run on both): Debian sid's docker.io
# and containerd, downloaded through a source list and lists folder of their own, so the system's
# packages are neither upgraded nor mixed with sid's, and unpacked into /opt/docker-sid. runc stays
# bookworm's: sid's is linked against a newer glibc. ExtraDockerd starts it (SidEngine).
SID_ROOT=/opt/docker-sid
if [ ! -x "$SID_ROOT/usr/sbin/dockerd" ]; then
  echo "test-env: unpacking Debian sid's docker.io into $SID_ROOT"
  sid="$(mktemp -d)"
  mkdir -p "$sid/lists/partial" "$sid/cache/archives/partial" "$sid/debs"
  echo 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian sid main' > "$sid/sid.list"
  apt_sid=(-o Dir::Etc::sourcelist="$sid/sid.list" -o Dir::Etc::sourceparts=- -o Dir::State::Lists="$sid/lists"
           -o Dir::Cache="$sid/cache" -o APT::Sandbox::User=root)
  $SUDO apt-get "${apt_sid[@]}" update -qq
  (cd "$sid/debs" && $SUDO apt-get "${apt_sid[@]}" download -qq docker.io containerd tini-static)
  $SUDO rm -rf "$SID_ROOT.partial"
  for deb in "$sid"/debs/*.deb; do $SUDO dpkg-deb -x "$deb" "$SID_ROOT.partial"; done
  $SUDO mv "$SID_ROOT.partial" "$SID_ROOT"
  rm -rf "$sid"
fi
"$SID_ROOT/usr/sbin/dockerd" --version >/dev/null

echo "test-env: ready (docker $(docker version --format '{{.Server.Version}}'), sid's $("$SID_ROOT/usr/sbin/dockerd" --version | cut -d, -f1))"
